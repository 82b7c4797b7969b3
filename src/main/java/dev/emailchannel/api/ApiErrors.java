package dev.emailchannel.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the exception of a failed API call into its JSON answer (the {@code onException} of the API's route
 * configuration): an {@link ApiException} into its 4xx/5xx and message, anything else into a 500 naming the kind of
 * failure. One log line per refused or failed call.
 */
public final class ApiErrors implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** The answer of a refused call. */
    public record Error(String error) {
    }

    private final ObjectMapper json;

    public ApiErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Object method = exchange.getVariable(ApiCall.METHOD);
        Object path = exchange.getVariable(ApiCall.PATH);
        if (e instanceof ApiException refused) {
            LOG.info("API {} {} refused with {}: {}", method, path, refused.status(),
                    refused.getMessage().replaceAll("[\\r\\n]+", " "));
            ApiCall.json(exchange, json, refused.status(), new Error(refused.getMessage()));
        } else {
            LOG.error("API {} {} failed: {}", method, path, e, e);
            ApiCall.json(exchange, json, 500, new Error("internal error: "
                    + (e == null ? "unknown" : e.getClass().getSimpleName())));
        }
    }
}
