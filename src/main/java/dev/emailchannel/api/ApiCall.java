package dev.emailchannel.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every API call shares: the JSON request body (size limit, syntax), the query string and path id kept by
 * {@link ApiAuthProcessor}, JSON answers, and {@code {"error": …}} answers for refused requests.
 */
final class ApiCall {

    /** Largest request body accepted (the embedded server refuses far larger bodies before they reach a route). */
    static final long MAX_BODY_BYTES = 25L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ApiCall.class);

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private ApiCall() {
    }

    /** Runs a call; an {@link ApiException} becomes its 4xx answer, anything else a 500 naming the failure. */
    static void handle(Exchange exchange, ObjectMapper json, Work work) {
        try {
            work.run();
        } catch (ApiException e) {
            LOG.info("API {} {} refused with {}: {}", exchange.getVariable("httpMethod"),
                    exchange.getVariable("httpPath"), e.status(), e.getMessage().replaceAll("[\\r\\n]+", " "));
            error(exchange, json, e.status(), e.getMessage());
        } catch (Exception e) {
            LOG.error("API {} {} failed: {}", exchange.getVariable("httpMethod"), exchange.getVariable("httpPath"),
                    e.toString(), e);
            error(exchange, json, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** The request body as a JSON object. */
    static JsonNode body(Exchange exchange, ObjectMapper json) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        if (raw == null || raw.length == 0) {
            throw ApiException.badRequest("the request body is empty: a JSON object is expected");
        }
        if (raw.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "the request body is too large: " + raw.length + " bytes, the limit is "
                    + MAX_BODY_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("invalid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        return node;
    }

    /** A text field of the body, or null; a field of another type is refused. */
    static String text(JsonNode node, String field, String shownAs) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("\"" + shownAs + "\" must be a string");
        }
        return v.asText();
    }

    /** The decoded query parameters (first value of each). */
    static Map<String, String> query(Exchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        String query = exchange.getVariable("httpQuery", String.class);
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("malformed query string");
        }
    }

    /** The {@code {id}} of the request path. */
    static String pathId(Exchange exchange) {
        String id = exchange.getVariable(ApiAuthProcessor.PATH_ID, String.class);
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("missing id in the path");
        }
        return id;
    }

    static void json(Exchange exchange, ObjectMapper json, int status, Object body) throws JsonProcessingException {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setBody(json.writeValueAsString(body));
    }

    static void error(Exchange exchange, ObjectMapper json, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        try {
            json(exchange, json, status, body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
