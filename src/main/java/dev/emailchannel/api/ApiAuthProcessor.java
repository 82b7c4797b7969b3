package dev.emailchannel.api;

import dev.emailchannel.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Checks {@code Authorization: Bearer CHANNEL_API_TOKEN} on every {@code /api} call (constant-time comparison) and then
 * removes the request headers, so that nothing of the request, least of all the token, is echoed in the answer.
 * Without a configured token every call is refused.
 */
public final class ApiAuthProcessor implements Processor {

    /** Variable set to true when the caller is authenticated. */
    public static final String AUTHENTICATED = "apiAuthenticated";
    /** Variable holding the {@code {id}} path parameter of the request, which platform-http gives as a header. */
    public static final String PATH_ID = "httpPathId";

    private final Channel channel;

    public ApiAuthProcessor(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getIn().getHeader("Authorization", String.class);
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        String pathId = exchange.getIn().getHeader("id", String.class);
        exchange.getIn().removeHeaders("*");
        exchange.setVariable(PATH_ID, pathId);
        exchange.setVariable("httpQuery", query);
        exchange.setVariable("httpPath", path);
        exchange.setVariable("httpMethod", method);
        String expected = configuredToken();
        boolean ok = expected != null && header != null && header.startsWith("Bearer ")
                && MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8));
        exchange.setVariable(AUTHENTICATED, ok);
        if (!ok) {
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
            exchange.getIn().setHeader("WWW-Authenticate", "Bearer");
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getIn().setBody(expected == null
                    ? "{\"error\":\"the API is disabled: CHANNEL_API_TOKEN is not set\"}"
                    : "{\"error\":\"missing or wrong bearer token\"}");
        }
    }

    private String configuredToken() {
        return channel.apiToken().isEmpty() ? null : channel.apiToken().value();
    }
}
