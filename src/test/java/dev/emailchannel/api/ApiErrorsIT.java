package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestTls;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every refused API request over real HTTP: the status and a JSON {@code {"error"}} naming the problem, and nothing
 * sent. One running channel (outbound only) for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiErrorsIT {

    static final String SUPPORT = "support@acme.test";
    final ObjectMapper json = new ObjectMapper();

    GreenMail mail;
    RunningChannel channel;

    @BeforeAll
    void start() throws Exception {
        TestTls.install();
        mail = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)}));
        mail.start();
        mail.setUser(SUPPORT, SUPPORT, "support-pw");
        Map<String, String> s = new HashMap<>();
        s.put("EMAIL_ADDRESS", SUPPORT);
        s.put("EMAIL_PASSWORD", "support-pw-secret");
        s.put("IMAP_SERVER", "localhost");
        s.put("IMAP_PORT", String.valueOf(mail.getImaps().getPort()));
        s.put("SMTP_SERVER", "localhost");
        s.put("SMTP_PORT", String.valueOf(mail.getSmtps().getPort()));
        s.put("AGENT_URL", "http://127.0.0.1:9/agent");
        s.put("AGENT_TOKEN", "agent-token-secret");
        s.put("INBOUND_ENABLED", "false");
        mail.setUser(SUPPORT, SUPPORT, "support-pw-secret");
        channel = RunningChannel.start(s);
        channel.awaitStatus(ChannelStatus.RUNNING);
    }

    @AfterAll
    void stop() throws Exception {
        channel.close();
        mail.stop();
    }

    void assertError(HttpResponse<String> answer, int status, String... fragments) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("error").isTextual()).as(answer.body()).isTrue();
        for (String f : fragments) {
            assertThat(body.get("error").asText()).contains(f);
        }
    }

    @Test
    void should_refuse_every_call_without_the_bearer_token() throws Exception {
        for (String path : new String[] {"/api/sessions", "/api/sessions/x", "/api/channel/logs",
            "/api/openapi.yaml"}) {
            assertError(channel.get(path, null), 401, "bearer token");
            assertError(channel.get(path, "wrong"), 401, "bearer token");
        }
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var post = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + channel.httpPort() + "/api/messages"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"to\":\"a@b.c\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(post, 401, "bearer token");
        assertThat(mail.getReceivedMessages()).isEmpty();
    }

    @Test
    void should_answer_404_for_an_unknown_session() throws Exception {
        assertError(channel.api("GET", "/api/sessions/no-such-id"), 404, "no session no-such-id");
        assertError(channel.api("POST", "/api/sessions/no-such-id/close"), 404, "no session no-such-id");
        assertError(channel.api("POST", "/api/sessions/no-such-id/messages", "{\"text\":\"hi\"}"), 404,
                "no session no-such-id");
    }

    @Test
    void should_answer_409_for_a_closed_session() throws Exception {
        var sent = json.readTree(channel.api("POST", "/api/messages",
                "{\"to\":\"closed@example.com\",\"subject\":\"Hi\",\"text\":\"Hello\"}").body());
        String id = sent.get("session_id").asText();
        assertThat(channel.api("POST", "/api/sessions/" + id + "/close").statusCode()).isEqualTo(200);
        assertError(channel.api("POST", "/api/sessions/" + id + "/close"), 409, "already closed");
        assertError(channel.api("POST", "/api/sessions/" + id + "/messages", "{\"text\":\"late\"}"), 409,
                "is closed");
    }

    @Test
    void should_refuse_bad_outbound_messages_naming_the_problem() throws Exception {
        int before = mail.getReceivedMessages().length;
        assertError(channel.api("POST", "/api/messages", "{\"to\": \"x@example.com\", \"subject\": "), 400,
                "invalid JSON");
        assertError(channel.api("POST", "/api/messages", "[1, 2]"), 400, "must be a JSON object");
        assertError(channel.api("POST", "/api/messages", ""), 400, "empty");
        assertError(channel.api("POST", "/api/messages", "{\"subject\":\"Hi\",\"text\":\"x\"}"), 400,
                "missing \"to\"");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"not an address\",\"subject\":\"Hi\","
                + "\"text\":\"x\"}"), 400, "\"to\" is not a valid email address", "not an address");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@\",\"subject\":\"Hi\",\"text\":\"x\"}"),
                400, "not a valid email address");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"text\":\"x\"}"), 400,
                "missing \"subject\"");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\\r\\n"
                + "Bcc: victim@example.com\",\"text\":\"x\"}"), 400, "\"subject\" must not contain line breaks");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"name\":\"Jane\\n"
                + "Bcc: victim@example.com\",\"subject\":\"Hi\",\"text\":\"x\"}"), 400, "name\" must not contain");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\\r\\nBcc: v@example.com\","
                + "\"subject\":\"Hi\",\"text\":\"x\"}"), 400, "\"to\" must not contain line breaks");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\"}"),
                400, "neither \"text\" nor \"html\"");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\","
                + "\"text\":\"x\",\"attachments\":[{\"filename\":\"a.pdf\"}]}"), 400, "attachments[0] (a.pdf) has "
                + "no data");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\","
                + "\"text\":\"x\",\"attachments\":[{\"filename\":\"a.pdf\",\"data\":\"%%% not base64 %%%\"}]}"),
                400, "attachments[0] (a.pdf) data is not base64");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\","
                + "\"text\":\"x\",\"attachments\":[{\"filename\":\"a\\r\\nX: y.pdf\",\"data\":\"QUJD\"}]}"),
                400, "attachments[0].filename\" must not contain line breaks");
        assertError(channel.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\","
                + "\"text\":\"x\",\"attachments\":{}}"), 400, "attachments must be a list");
        assertError(channel.api("POST", "/api/messages", "{\"to\":42,\"subject\":\"Hi\",\"text\":\"x\"}"), 400,
                "\"to\" must be a string");
        assertThat(mail.getReceivedMessages()).hasSize(before);
    }

    @Test
    void should_refuse_a_body_over_25_megabytes_with_413() throws Exception {
        String big = "{\"to\":\"jane@example.com\",\"subject\":\"Big\",\"text\":\"" + "a".repeat(26 * 1024 * 1024)
                + "\"}";
        assertError(channel.api("POST", "/api/messages", big), 413, "too large");
    }

    @Test
    void should_refuse_a_whole_campaign_naming_unknown_placeholders_and_participants() throws Exception {
        int before = mail.getReceivedMessages().length;
        String campaign = "{\"subject\":\"Hello {{ first_name }}\",\"text\":\"Your code: {{code}} {{ typo }}\","
                + "\"participants\":[{\"address\":\"ok@example.com\",\"vars\":{\"first_name\":\"Ok\",\"code\":1,"
                + "\"typo\":\"\"}},{\"address\":\"ann@example.com\",\"vars\":{\"first_name\":\"Ann\",\"code\":2}}]}";
        assertError(channel.api("POST", "/api/campaigns", campaign), 400, "participants[1] (ann@example.com)",
                "{{ typo }}");
        assertError(channel.api("POST", "/api/campaigns", "{\"subject\":\"Hi\",\"text\":\"x\","
                + "\"participants\":[{\"address\":\"a@example.com\"},{\"address\":\"bad\"}]}"), 400,
                "participants[1].address\" is not a valid email address");
        assertError(channel.api("POST", "/api/campaigns", "{\"subject\":\"Hi\",\"text\":\"x\","
                + "\"participants\":[{\"address\":\"a@example.com\"},{\"address\":\"A@example.com\"}]}"), 400,
                "listed more than once");
        assertError(channel.api("POST", "/api/campaigns", "{\"subject\":\"Hi {{ x }}\",\"text\":\"x\","
                + "\"participants\":[{\"address\":\"a@example.com\",\"vars\":{\"x\":\"a\\r\\nBcc: v@example.com\"}}"
                + "]}"), 400, "participants[0] (a@example.com): \"subject\" must not contain line breaks");
        assertError(channel.api("POST", "/api/campaigns", "{\"subject\":\"Hi\",\"text\":\"x\"}"), 400,
                "missing \"participants\"");
        assertError(channel.api("POST", "/api/campaigns", "{\"subject\":\"Hi\",\"text\":\"x\",\"participants\":[]}"),
                400, "\"participants\" is empty");
        assertError(channel.api("POST", "/api/campaigns", "{\"subject\":\"Hi\",\"text\":\"x\",\"participants\":"
                + "[{\"address\":\"a@example.com\",\"vars\":{\"x\":[1]}}]}"), 400, "participants[0].vars.x");
        assertThat(mail.getReceivedMessages()).hasSize(before);
        assertThat(channel.bean(dev.emailchannel.session.SessionStore.class).sessions("ok@example.com", null)).as("nothing half-sent").isEmpty();
    }

    @Test
    void should_refuse_bad_query_parameters() throws Exception {
        assertError(channel.api("GET", "/api/sessions?status=maybe"), 400, "\"status\" must be OPEN or CLOSED");
        assertError(channel.api("GET", "/api/channel/logs?lines=abc"), 400, "\"lines\" must be a number");
        assertError(channel.api("GET", "/api/channel/logs?lines=0"), 400, "\"lines\"");
    }

    @Test
    void should_serve_recent_logs_with_every_secret_masked() throws Exception {
        org.slf4j.LoggerFactory.getLogger("test").info("leak: support-pw-secret {} {} agent-token-secret {}",
                java.net.URLEncoder.encode("support-pw-secret", "UTF-8"),
                java.util.Base64.getEncoder().encodeToString("agent-token-secret".getBytes()), "test-api-token");
        var answer = channel.api("GET", "/api/channel/logs?lines=50");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode lines = json.readTree(answer.body()).get("lines");
        assertThat(lines.size()).isBetween(1, 50);
        assertThat(answer.body()).contains("leak: ******** ******** ******** ******** ********")
                .doesNotContain("support-pw-secret").doesNotContain("agent-token-secret")
                .doesNotContain("test-api-token");
        assertThat(channel.api("GET", "/api/channel/logs?lines=2000").body()).contains("RUNNING")
                .doesNotContain("support-pw-secret");
        assertThat(json.readTree(channel.api("GET", "/api/channel/logs?lines=1").body()).get("lines").size())
                .isEqualTo(1);
    }

    @Test
    void should_serve_the_openapi_description() throws Exception {
        var answer = channel.api("GET", "/api/openapi.yaml");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).startsWith("openapi: 3").contains("/api/sessions/{id}/messages:")
                .contains("/api/campaigns:").contains("/api/channel/logs:");
        var asJson = channel.api("GET", "/api/openapi.json");
        assertThat(asJson.statusCode()).isEqualTo(200);
        JsonNode doc = json.readTree(asJson.body());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("paths").has("/api/sessions/{id}/messages")).isTrue();
        assertThat(doc.at("/paths/~1api~1messages/post/responses/202")).isNotNull();
    }

    @Test
    void should_not_close_a_session_before_the_idle_timeout() throws Exception {
        var sent = json.readTree(channel.api("POST", "/api/messages",
                "{\"to\":\"idle@example.com\",\"subject\":\"Hi\",\"text\":\"Hello\"}").body());
        var bean = channel.context().getRegistry().lookupByNameAndType("sessionsApi", SessionsApi.class);
        assertThat(bean.closeIdle()).isZero();
        assertThat(json.readTree(channel.api("GET", "/api/sessions/" + sent.get("session_id").asText()).body())
                .get("status").asText()).isEqualTo("OPEN");
    }

    @Test
    void should_answer_503_naming_the_settings_problem_when_the_channel_is_not_configured() throws Exception {
        try (RunningChannel broken = RunningChannel.start(Map.of("EMAIL_ADDRESS", SUPPORT,
                "AGENT_URL", "http://127.0.0.1:9/agent"))) {
            broken.awaitStatus(ChannelStatus.ERROR);
            assertError(broken.api("POST", "/api/messages", "{\"to\":\"jane@example.com\",\"subject\":\"Hi\","
                    + "\"text\":\"x\"}"), 503, "not configured", "IMAP_SERVER is required");
            assertThat(broken.api("GET", "/api/sessions").statusCode()).isEqualTo(200);
        }
    }
}
