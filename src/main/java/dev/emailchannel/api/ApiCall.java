package dev.emailchannel.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * What every API call shares. As the first step of each API route ({@link #process}) it keeps the query string, the
 * {@code {id}} path parameter and the method in exchange variables and drops every request header, so that nothing of
 * the request (least of all the Authorization header) is echoed in the answer; then the helpers read the JSON body
 * (size limit, syntax) and write JSON answers.
 */
public final class ApiCall implements Processor {

    /** Largest request body accepted (the embedded server refuses far larger bodies before they reach a route). */
    static final long MAX_BODY_BYTES = 25L * 1024 * 1024;

    /** Parses request bodies with Jackson's per-string limit lifted to the body limit (checked before parsing). */
    private static final JsonFactory LARGE_STRINGS = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) MAX_BODY_BYTES).build())
            .build();

    static final String QUERY = "apiQuery";
    static final String PATH_ID = "apiPathId";
    static final String METHOD = "apiMethod";
    static final String PATH = "apiPath";
    static final String IDEMPOTENCY_KEY = "apiIdempotencyKey";

    private final ApiGate gate;

    public ApiCall(ApiGate gate) {
        this.gate = gate;
    }

    @Override
    public void process(Exchange exchange) {
        if (!gate.installed()) {
            // never answer an API call that did not pass the authentication in front of it
            throw new IllegalStateException("the API gate is not installed");
        }
        var in = exchange.getIn();
        exchange.setVariable(QUERY, in.getHeader(Exchange.HTTP_QUERY, String.class));
        exchange.setVariable(PATH_ID, in.getHeader("id", String.class));
        exchange.setVariable(METHOD, in.getHeader(Exchange.HTTP_METHOD, String.class));
        exchange.setVariable(PATH, in.getHeader(Exchange.HTTP_PATH, String.class));
        exchange.setVariable(IDEMPOTENCY_KEY, in.getHeader("Idempotency-Key", String.class));
        in.removeHeaders("*");
    }

    /** The request body as a JSON object. */
    static JsonNode body(Exchange exchange, ObjectMapper json) {
        byte[] raw = exchange.getIn().getBody(byte[].class);
        // the server may hand over a stream, readable once: keep the bytes for the Idempotency-Key check's hash
        exchange.getIn().setBody(raw);
        if (raw == null || raw.length == 0) {
            throw ApiException.badRequest("the request body is empty: a JSON object is expected");
        }
        if (raw.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "the request body is too large: " + raw.length + " bytes, the limit is "
                    + MAX_BODY_BYTES + " bytes");
        }
        JsonNode node;
        try (JsonParser parser = LARGE_STRINGS.createParser(raw)) {
            // the body's size was checked: a 16 MB file (a 21-million-character base64 string) must be readable
            node = json.readTree(parser);
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
        String query = exchange.getVariable(QUERY, String.class);
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
        String id = exchange.getVariable(PATH_ID, String.class);
        if (id == null || id.isBlank()) {
            throw ApiException.badRequest("missing id in the path");
        }
        return id;
    }

    /** The {@code {id}} of the request path as a number (inbox and outbox ids). */
    static long numericPathId(Exchange exchange) {
        String id = pathId(exchange);
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no entry " + id + ": ids are numbers");
        }
    }

    static void json(Exchange exchange, ObjectMapper json, int status, Object body) throws JsonProcessingException {
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getIn().setBody(json.writeValueAsBytes(body));
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
