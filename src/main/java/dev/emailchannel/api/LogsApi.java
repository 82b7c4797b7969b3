package dev.emailchannel.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.camel.Exchange;

/** {@code GET /api/channel/logs?lines=N} (recent log lines, secrets masked) and the OpenAPI description ({@code GET /api/openapi.yaml}, {@code .json}). */
public final class LogsApi {

    static final int DEFAULT_LINES = 200;

    /** {@code GET /api/channel/logs}. */
    public record Lines(List<String> lines) {
    }

    private final ObjectMapper json;

    public LogsApi(ObjectMapper json) {
        this.json = json;
    }

    public void logs(Exchange exchange) throws Exception {
        String value = ApiCall.query(exchange).get("lines");
        int lines = DEFAULT_LINES;
        if (value != null && !value.isBlank()) {
            try {
                lines = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                lines = -1;
            }
            if (lines < 1 || lines > RecentLogAppender.capacity()) {
                throw ApiException.badRequest("\"lines\" must be a number from 1 to "
                        + RecentLogAppender.capacity() + ", not '" + value + "'");
            }
        }
        List<String> recent = RecentLogAppender.recent(lines); // masked by the appender (LogSecrets)
        ApiCall.json(exchange, json, 200, new Lines(recent));
    }

    /** The same description as JSON (converted from the YAML file with snakeyaml-engine, which the YAML DSL brings). */
    public void openapiJson(Exchange exchange) throws IOException {
        try (InputStream in = LogsApi.class.getResourceAsStream("/openapi.yaml")) {
            Object document = new org.snakeyaml.engine.v2.api.Load(
                    org.snakeyaml.engine.v2.api.LoadSettings.builder().build()).loadFromInputStream(in);
            ApiCall.json(exchange, json, 200, document);
        }
    }

    /** The OpenAPI 3 description of the API, {@code src/main/resources/openapi.yaml}. */
    public void openapi(Exchange exchange) throws IOException {
        try (InputStream in = LogsApi.class.getResourceAsStream("/openapi.yaml")) {
            exchange.getIn().removeHeaders("*");
            exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/yaml");
            exchange.getIn().setBody(in.readAllBytes());
        }
    }
}
