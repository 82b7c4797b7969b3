package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestTls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.spi.RestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The door of the API over real HTTP: the token from the Authorization header only, an unauthenticated request refused
 * before its body is read, JSON 404/405, readiness that follows the channel's status, and an OpenAPI description that
 * names exactly the routes the REST DSL serves. A channel with AUTOSTART=false: it stays STOPPED.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiGateIT {

    static final String TOKEN = "gate-token-secret";
    final ObjectMapper json = new ObjectMapper();
    RunningChannel channel;

    @BeforeAll
    void start() throws Exception {
        TestTls.install(); // the JVM's default SSL context is made once; the other ITs of this JVM need the test CA
        channel = RunningChannel.start(Map.of("EMAIL_ADDRESS", "support@acme.test", "EMAIL_PASSWORD", "x",
                "IMAP_SERVER", "127.0.0.1", "SMTP_SERVER", "127.0.0.1", "AGENT_URL", "http://127.0.0.1:9/agent",
                "AUTOSTART", "false", "CHANNEL_API_TOKEN", TOKEN));
    }

    @AfterAll
    void stop() throws Exception {
        channel.close();
    }

    @Test
    void should_refuse_a_token_given_as_a_query_parameter() throws Exception {
        var answer = channel.get("/api/channel?Authorization=Bearer%20" + TOKEN, null);
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(json.readTree(answer.body()).get("error").asText()).contains("bearer token");
        assertThat(answer.body()).doesNotContain(TOKEN);
        assertThat(channel.get("/api/channel?access_token=" + TOKEN, null).statusCode()).isEqualTo(401);
        assertThat(channel.get("/api/channel", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void should_answer_unknown_paths_and_wrong_methods_in_json() throws Exception {
        var unknown = channel.get("/api/nothing-here", TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(json.readTree(unknown.body()).get("error").asText()).contains("/api/nothing-here");

        var wrongMethod = channel.api("DELETE", "/api/channel");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json.readTree(wrongMethod.body()).get("error").asText()).contains("DELETE")
                .contains("GET");
        assertThat(wrongMethod.headers().firstValue("Allow").orElse("")).contains("GET");
        var getStart = channel.api("GET", "/api/channel/start");
        assertThat(getStart.statusCode()).as(getStart.body()).isEqualTo(405);
        assertThat(channel.api("GET", "/api/sessions/abc/close").statusCode()).isEqualTo(405);
    }

    @Test
    void should_refuse_an_unauthenticated_request_before_reading_its_body() throws Exception {
        // announce 30 MB, send 1 KB: the answer must come without the server waiting for the rest
        try (Socket socket = new Socket("127.0.0.1", channel.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 31457280\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 401");
        }
    }

    @Test
    void should_be_ready_only_while_running_and_alive_meanwhile() throws Exception {
        assertThat(channel.state().status()).isEqualTo(ChannelStatus.STOPPED);
        var ready = channel.get("/observe/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("STOPPED");
        assertThat(channel.get("/observe/health/live", null).statusCode()).isEqualTo(200);
    }

    @Test
    void should_describe_exactly_the_served_calls_in_openapi() throws Exception {
        JsonNode spec = json.readTree(channel.get("/api/openapi.json", TOKEN).body());
        Set<String> described = new TreeSet<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "patch", "head", "options");
        spec.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(method -> {
            if (methods.contains(method)) {
                described.add(method.toUpperCase() + " " + p.getKey());
            }
        }));
        Set<String> served = new TreeSet<>();
        for (RestRegistry.RestService s : channel.context().getRestRegistry().listAllRestServices()) {
            served.add(s.getMethod().toUpperCase() + " " + s.getBaseUrl().replaceAll("^https?://[^/]*", "")
                    .replaceAll("/$", "") + s.getUriTemplate());
        }
        served.removeIf(s -> s.contains("/openapi."));
        described.removeIf(s -> s.contains("/openapi."));
        assertThat(described).isEqualTo(served);
    }
}
