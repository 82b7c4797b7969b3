package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.Secret;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The first step of every API route on a plain exchange: it runs only behind the installed gate, keeps the query, the
 * {@code {id}}, the method, the path and the Idempotency-Key in variables and drops every request header, so nothing
 * of the request (the Authorization header least of all) is echoed; then the query, id and body helpers.
 */
class ApiCallTest {

    final ObjectMapper json = new ObjectMapper();
    final CamelContext camel = new DefaultCamelContext();
    final Vertx vertx = Vertx.vertx();
    final ApiGate gate = new ApiGate(new Secret("api-token"));

    ApiCallTest() {
        camel.start();
    }

    @AfterEach
    void close() {
        camel.stop();
        vertx.close();
    }

    /** The gate on a real Vert.x router, registered as the embedded server's (as camel-platform-http-main does). */
    ApiCall installed() {
        camel.getRegistry().bind(VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME, new VertxPlatformHttpRouter(null,
                vertx, Router.router(vertx), VertxPlatformHttpRouter.PLATFORM_HTTP_ROUTER_NAME,
                VertxPlatformHttpRouter.SERVER_TYPE_SERVER));
        gate.install(camel);
        return new ApiCall(gate);
    }

    Exchange request(String method, String path, String query, String id) {
        Exchange exchange = new DefaultExchange(camel);
        var in = exchange.getIn();
        in.setHeader(Exchange.HTTP_METHOD, method);
        in.setHeader(Exchange.HTTP_PATH, path);
        in.setHeader(Exchange.HTTP_QUERY, query);
        in.setHeader(Exchange.HTTP_URI, "/api" + path);
        if (id != null) {
            in.setHeader("id", id);
        }
        in.setHeader("Authorization", "Bearer api-token");
        in.setHeader("Cookie", "session=abc");
        in.setHeader("Idempotency-Key", "trial-jane-2026-12");
        in.setHeader("Content-Type", "application/json");
        return exchange;
    }

    @Test
    void should_refuse_to_run_when_the_gate_is_not_in_front_of_the_api() {
        Exchange exchange = request("GET", "/api/channel", null, null);

        assertThatThrownBy(() -> new ApiCall(gate).process(exchange)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the API gate is not installed");
    }

    @Test
    void should_keep_the_request_in_variables_and_drop_every_header() {
        Exchange exchange = request("POST", "/api/inbox/42/retry", "state=parked&limit=20", "42");

        installed().process(exchange);

        assertThat(exchange.getIn().getHeaders()).as("nothing of the request is echoed").isEmpty();
        assertThat(exchange.getVariables()).containsEntry(ApiCall.METHOD, "POST")
                .containsEntry(ApiCall.PATH, "/api/inbox/42/retry").containsEntry(ApiCall.QUERY, "state=parked&limit=20")
                .containsEntry(ApiCall.PATH_ID, "42").containsEntry(ApiCall.IDEMPOTENCY_KEY, "trial-jane-2026-12");
        assertThat(exchange.getVariables().values()).doesNotContain("Bearer api-token");
        assertThat(ApiCall.pathId(exchange)).isEqualTo("42");
        assertThat(ApiCall.numericPathId(exchange)).isEqualTo(42L);
    }

    @Test
    void should_decode_the_query_and_keep_the_first_value_of_a_repeated_parameter() {
        Exchange exchange = request("GET", "/api/sessions", "customer=jane%40example.com&status=OPEN&status=CLOSED"
                + "&flag&&name=J+Doe", null);
        installed().process(exchange);

        assertThat(ApiCall.query(exchange)).containsExactly(Map.entry("customer", "jane@example.com"),
                Map.entry("status", "OPEN"), Map.entry("flag", ""), Map.entry("name", "J Doe"));

        Exchange none = request("GET", "/api/sessions", null, null);
        installed().process(none);
        assertThat(ApiCall.query(none)).isEmpty();
    }

    @Test
    void should_refuse_a_malformed_query_or_id_naming_the_problem() {
        ApiCall step = installed();
        Exchange badQuery = request("GET", "/api/inbox", "state=%zz", null);
        step.process(badQuery);
        assertThatThrownBy(() -> ApiCall.query(badQuery)).isInstanceOf(ApiException.class)
                .hasMessage("malformed query string").extracting(e -> ((ApiException) e).status()).isEqualTo(400);

        Exchange noId = request("GET", "/api/sessions", null, null);
        step.process(noId);
        assertThatThrownBy(() -> ApiCall.pathId(noId)).isInstanceOf(ApiException.class)
                .hasMessage("missing id in the path").extracting(e -> ((ApiException) e).status()).isEqualTo(400);

        Exchange wordId = request("POST", "/api/outbox/abc/retry", null, "abc");
        step.process(wordId);
        assertThatThrownBy(() -> ApiCall.numericPathId(wordId)).isInstanceOf(ApiException.class)
                .hasMessage("no entry abc: ids are numbers").extracting(e -> ((ApiException) e).status())
                .isEqualTo(404);
    }

    @Test
    void should_read_a_json_object_body_and_refuse_anything_else_with_the_reason() {
        Exchange ok = new DefaultExchange(camel);
        ok.getIn().setBody("{\"to\": \"jane@example.com\", \"subject\": 7}".getBytes(StandardCharsets.UTF_8));
        var body = ApiCall.body(ok, json);
        assertThat(ApiCall.text(body, "to", "to")).isEqualTo("jane@example.com");
        assertThat(ApiCall.text(body, "name", "name")).isNull();
        assertThatThrownBy(() -> ApiCall.text(body, "subject", "subject")).hasMessage("\"subject\" must be a string");

        assertRefused("", 400, "the request body is empty: a JSON object is expected");
        assertRefused("{\"to\": ", 400, "invalid JSON: ");
        assertRefused("[1, 2]", 400, "the request body must be a JSON object");
        assertRefused("{}" + " ".repeat((int) ApiCall.MAX_BODY_BYTES), 413,
                "the request body is too large: 26214402 bytes, the limit is 26214400 bytes");
    }

    @Test
    void should_leave_the_body_readable_again_after_reading_it_from_a_stream() {
        // the HTTP server may hand the body over as a stream, read once; the Idempotency-Key check hashes it again
        byte[] raw = "{\"to\": \"jane@example.com\"}".getBytes(StandardCharsets.UTF_8);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(new java.io.ByteArrayInputStream(raw));
        assertThat(ApiCall.text(ApiCall.body(exchange, json), "to", "to")).isEqualTo("jane@example.com");
        assertThat(exchange.getIn().getBody(byte[].class)).isEqualTo(raw);
    }

    void assertRefused(String body, int status, String message) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(body.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ApiCall.body(exchange, json)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith(message).extracting(e -> ((ApiException) e).status()).isEqualTo(status);
    }

    @Test
    void should_read_a_body_with_a_16_mb_file_in_base64() throws Exception {
        String data = java.util.Base64.getEncoder().encodeToString(new byte[16 * 1024 * 1024]);
        Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.getIn().setBody(("{\"text\": \"x\", \"attachments\": [{\"filename\": \"big.bin\", \"data\": \""
                + data + "\"}]}").getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        var body = ApiCall.body(exchange, json);

        assertThat(body.get("attachments").get(0).get("data").asText()).hasSize(data.length());
    }
}
