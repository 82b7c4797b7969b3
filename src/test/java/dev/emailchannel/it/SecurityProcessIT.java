package dev.emailchannel.it;

import static dev.emailchannel.testing.AcmeMailServers.JANE;
import static dev.emailchannel.testing.AcmeMailServers.SALES;
import static dev.emailchannel.testing.AcmeMailServers.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.sun.net.httpserver.HttpServer;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.MailClient;
import dev.emailchannel.testing.TestDatabases;
import dev.emailchannel.testing.TestTls;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret planted in every secret setting never shows, in any encoding, on the packaged jar's stdout or stderr nor
 * in any API answer: through a normal run, an agent that echoes its token in error answers, a refused API call, a
 * wrong-password sign-in, and on OAuth an access token, a rotated refresh token and a token endpoint whose error
 * echoes the refresh token and client secret.
 */
class SecurityProcessIT {

    static final Duration MAIL = Duration.ofSeconds(60);
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;
    GreenMail mail;
    FakeAgent agent;
    MailClient client;
    ChannelProcess channel;
    /** Setting (or what the secret is) → planted value. */
    final Map<String, String> planted = new LinkedHashMap<>();

    @BeforeEach
    void servers() throws Exception {
        mail = AcmeMailServers.start();
        agent = new FakeAgent();
        client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo test) throws Exception {
        if (channel != null) {
            channel.close();
            // the process's output, to read when a test fails (its working directory is deleted)
            java.nio.file.Files.writeString(Path.of("target", "SecurityProcessIT-"
                    + test.getTestMethod().orElseThrow().getName() + ".log"), channel.log());
        }
        agent.close();
        mail.stop();
    }

    String plant(String what) {
        String value = what.toLowerCase().replaceAll("[^a-z]+", "-") + "-" + UUID.randomUUID().toString().substring(0, 13);
        planted.put(what, value);
        return value;
    }

    Map<String, String> env(String mailbox) {
        Map<String, String> env = new HashMap<>();
        env.put("EMAIL_ADDRESS", mailbox);
        env.put("EMAIL_NAME", "Acme");
        env.put("IMAP_SERVER", "localhost");
        env.put("IMAP_PORT", String.valueOf(mail.getImaps().getPort()));
        env.put("SMTP_SERVER", "localhost");
        env.put("SMTP_PORT", String.valueOf(mail.getSmtps().getPort()));
        env.put("CHECK_INTERVAL", "1");
        env.put("CHANNEL_API_TOKEN", plant("CHANNEL_API_TOKEN"));
        env.put("AGENT_TOKEN", plant("AGENT_TOKEN"));
        env.put("AGENT_SIGNING_SECRET", plant("AGENT_SIGNING_SECRET"));
        env.put("SECRETS_KEY", plant("SECRETS_KEY"));
        env.put("AGENT_URL", agent.url() + "?access_token=" + plant("AGENT_URL access_token"));
        return env;
    }

    /** Every form in which a secret could leak: as written, URL-encoded, JSON-escaped, base64 (also in SASL PLAIN). */
    List<String> forms(String user) {
        List<String> forms = new ArrayList<>();
        for (String secret : planted.values()) {
            forms.add(secret);
            forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            forms.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
            forms.add(Base64.getEncoder().encodeToString(("\0" + user + "\0" + secret)
                    .getBytes(StandardCharsets.UTF_8)));
            forms.add(Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + secret
                    + "\u0001\u0001").getBytes(StandardCharsets.UTF_8)));
        }
        return forms;
    }

    /** GETs every read endpoint of the API (and a few refused calls); returns what they answered. */
    String everyApiAnswer() throws Exception {
        StringBuilder all = new StringBuilder();
        for (String path : List.of("/api/channel", "/api/channel/logs", "/api/channel/logs?level=WARN",
                "/api/sessions", "/api/inbox", "/api/inbox?state=pending", "/api/inbox?state=parked",
                "/api/inbox?state=delivered", "/api/outbox", "/api/outbox?state=sent", "/api/outbox?state=failed",
                "/api/openapi.json", "/observe/metrics", "/observe/health/ready", "/observe/info")) {
            HttpResponse<String> answer = channel.api("GET", path, null);
            if (!path.startsWith("/observe/health")) { // 503 while not RUNNING
                assertThat(answer.statusCode()).as(path + ": " + answer.body()).isLessThan(500);
            }
            all.append(path).append(' ').append(answer.body()).append('\n');
        }
        JsonNode sessions = json.readTree(channel.api("GET", "/api/sessions", null).body()).get("sessions");
        for (JsonNode s : sessions) {
            all.append(channel.api("GET", "/api/sessions/" + s.get("id").asText(), null).body()).append('\n');
        }
        // refused calls: no token, a wrong token, a malformed body, an unknown id
        all.append(channel.get("/api/channel", null).body()).append('\n');
        all.append(channel.get("/api/channel", planted.get("AGENT_TOKEN")).body()).append('\n');
        HttpResponse<String> bad = channel.api("POST", "/api/messages", "{\"to\": \"not an address\"");
        assertThat(bad.statusCode()).isEqualTo(400);
        all.append(bad.body()).append('\n');
        all.append(channel.api("GET", "/api/sessions/no-such-session", null).body()).append('\n');
        return all.toString();
    }

    void assertNoSecretIn(String what, String text, String user) {
        assertThat(text).as(what + " is not empty").isNotBlank();
        for (String form : forms(user)) {
            assertThat(text).as(what + " must not hold a planted secret").doesNotContain(form);
        }
    }

    @Test
    void should_never_show_a_password_or_token_on_stdout_or_in_the_api() throws Exception {
        mail.getUserManager().getUserByEmail(SUPPORT).setPassword(plant("EMAIL_PASSWORD"));
        String schema = TestDatabases.postgresSchema();
        try {
            Map<String, String> env = env(SUPPORT);
            env.put("EMAIL_PASSWORD", planted.get("EMAIL_PASSWORD"));
            env.put("DATABASE_URL", TestDatabases.postgresUrl(schema) + "&password=" + plant("DATABASE_URL password"));
            env.put("DATABASE_PASSWORD", plant("DATABASE_PASSWORD"));
            // an agent that echoes its credentials in its error answers, then accepts
            agent.script(
                    new Answer(401, "{\"error\":\"token " + planted.get("AGENT_TOKEN") + " is not valid\"}"),
                    new Answer(422, "{\"error\":\"cannot handle\",\"you_sent\":\"Bearer "
                            + planted.get("AGENT_TOKEN") + "\",\"url\":\"" + env.get("AGENT_URL") + "\"}"));
            channel = ChannelProcess.start(work, env, TestTls.install().trustStore());
            channel.awaitStatus("RUNNING");
            client.send(JANE, SUPPORT, "Order 1234", "Where is my order?", Map.of());
            await().atMost(MAIL).until(() -> client.inbox(JANE, "jane-pw").size() == 1);
            assertThat(agent.requests()).hasSize(3);
            assertThat(agent.requests().get(2).header("Authorization"))
                    .isEqualTo("Bearer " + planted.get("AGENT_TOKEN"));
            String answers = everyApiAnswer();
            assertThat(answers).contains("\"status\":\"RUNNING\"").contains("Order 1234");
            assertNoSecretIn("the API", answers, SUPPORT);

            // the password changes on the server: a wrong-password sign-in error
            mail.getUserManager().getUserByEmail(SUPPORT).setPassword("changed-by-the-admin");
            channel.api("POST", "/api/channel/stop", null);
            channel.api("POST", "/api/channel/start", null);
            JsonNode error = channel.awaitStatus("ERROR");
            assertThat(error.get("error").asText()).contains(SUPPORT + ": IMAP sign-in failed");
            String errorAnswers = everyApiAnswer();
            assertThat(errorAnswers).contains("IMAP sign-in failed");
            assertNoSecretIn("the API in ERROR", errorAnswers, SUPPORT);
            assertThat(channel.terminate(Duration.ofSeconds(30))).isIn(0, 130, 143);

            String output = channel.log();
            assertThat(output).as("the output holds the run").contains("delivered to the agent")
                    .contains("IMAP sign-in failed").contains("HTTP 422")
                    .as("the agent's echo of its token is logged, masked")
                    .contains("{\"error\":\"token ******** is not valid\"}").contains("Bearer ********");
            assertNoSecretIn("stdout/stderr", output, SUPPORT);
        } finally {
            TestDatabases.dropPostgresSchema(schema);
        }
    }

    @Test
    void should_never_show_oauth_secrets_or_the_tokens_it_obtains() throws Exception {
        String refresh = plant("OAUTH_REFRESH_TOKEN");
        String rotated = plant("rotated refresh token");
        String access = plant("access token");
        String clientSecret = plant("OAUTH_CLIENT_SECRET");
        // GreenMail takes an XOAUTH2 token as the account's password
        mail.getUserManager().getUserByEmail(SALES).setPassword(access);
        List<String> forms = new CopyOnWriteArrayList<>();
        boolean[] revoked = {false};
        HttpServer tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokens.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            forms.add(form);
            boolean known = form.contains("refresh_token=" + refresh + "&") || form.endsWith("refresh_token="
                    + refresh) || form.contains("refresh_token=" + rotated);
            boolean ok = known && !revoked[0];
            // the provider rotates the refresh token (as Microsoft does); an error echoes what it was sent
            String body = ok ? "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":4,"
                    + "\"refresh_token\":\"" + rotated + "\"}"
                    : "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token " + rotated + " of client "
                    + clientSecret + " was revoked; request was " + form.replace("\"", "") + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 400, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        tokens.start();
        try {
            Map<String, String> env = env(SALES);
            env.put("OAUTH_ENABLED", "true");
            env.put("OAUTH_REFRESH_TOKEN", refresh);
            env.put("OAUTH_CLIENT_ID", "client-1.apps.example");
            env.put("OAUTH_CLIENT_SECRET", clientSecret);
            env.put("OAUTH_TOKEN_URI", "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token");
            channel = ChannelProcess.start(work, env, TestTls.install().trustStore());
            channel.awaitStatus("RUNNING");
            client.send(JANE, SALES, "Quote", "Price for 10 units?", Map.of());
            await().atMost(MAIL).until(() -> client.inbox(JANE, "jane-pw").size() == 1);
            // the access token lives 4 s: a later sign-in refreshes with the rotated refresh token
            Thread.sleep(5000);
            channel.api("POST", "/api/channel/stop", null);
            channel.api("POST", "/api/channel/start", null);
            channel.awaitStatus("RUNNING");
            assertThat(forms).anySatisfy(f -> assertThat(f).contains("refresh_token=" + rotated));
            String answers = everyApiAnswer();
            assertThat(answers).contains("\"status\":\"RUNNING\"");
            assertNoSecretIn("the API", answers, SALES);

            // the provider revokes the token; its error answer echoes the refresh token and the client secret
            revoked[0] = true;
            Thread.sleep(5000);
            channel.api("POST", "/api/channel/stop", null);
            channel.api("POST", "/api/channel/start", null);
            JsonNode error = channel.awaitStatus("ERROR");
            assertThat(error.get("error").asText()).contains(SALES + ": OAuth token refresh failed: invalid_grant");
            String errorAnswers = everyApiAnswer();
            assertNoSecretIn("the API in ERROR", errorAnswers, SALES);
            assertThat(channel.terminate(Duration.ofSeconds(30))).isIn(0, 130, 143);

            String output = channel.log();
            assertThat(output).contains("delivered to the agent").contains("invalid_grant");
            assertNoSecretIn("stdout/stderr", output, SALES);
        } finally {
            tokens.stop(0);
        }
    }
}
