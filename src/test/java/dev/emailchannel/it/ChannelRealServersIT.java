package dev.emailchannel.it;

import static dev.emailchannel.testing.RealMailServers.ALICE;
import static dev.emailchannel.testing.RealMailServers.BOB;
import static dev.emailchannel.testing.RealMailServers.CAROL;
import static dev.emailchannel.testing.RealMailServers.DAVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.RealMailServers.StoredMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started as a user starts it (environment variables only, an empty working directory), against
 * real Dovecot and Postfix: STARTTLS submission, implicit SSL, strict certificate checking, special-character
 * passwords, crash recovery and OAuth (XOAUTH2).
 */
class ChannelRealServersIT {

    static final Duration MAIL = Duration.ofSeconds(40);

    @TempDir
    Path work;
    FakeAgent agent;
    ChannelProcess channel;

    @BeforeEach
    void agent() throws Exception {
        agent = new FakeAgent();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        agent.close();
    }

    static Map<String, String> env(RealMailServers servers, String mailbox, int smtpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("EMAIL_ADDRESS", mailbox);
        env.put("EMAIL_PASSWORD", servers.password(mailbox).replace(",", "\\,"));
        env.put("EMAIL_NAME", "Example Support");
        env.put("IMAP_SERVER", "localhost");
        env.put("IMAP_PORT", String.valueOf(servers.imapsPort()));
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(smtpPort));
        env.put("CHECK_INTERVAL", "1");
        env.put("SMTP_SIGNATURE", "-- \n{{ sender_name }} <{{ sender_email }}>");
        return env;
    }

    ChannelProcess start(RealMailServers servers, Map<String, String> env, boolean trust) throws Exception {
        env.put("AGENT_URL", agent.url());
        channel = ChannelProcess.start(work, env, trust ? servers.trustStore() : null);
        return channel;
    }

    void assertThreadedReply(RealMailServers servers, String mailbox, String customerMessageId) {
        StoredMessage reply = servers.awaitMessage(BOB, m -> customerMessageId.equals(inReplyTo(m)), MAIL);
        assertThat(reply.subject()).isEqualTo("Re: Order 1234");
        assertThat(reply.messageId()).endsWith("@example.test>");
        assertThat(reply.text()).contains("Thanks, we are on it.").contains("Example Support <" + mailbox + ">");
        await().atMost(MAIL).until(() -> servers.message(mailbox, customerMessageId).orElseThrow().seen());
    }

    static String inReplyTo(StoredMessage m) {
        String raw = m.rawText();
        int i = raw.indexOf("In-Reply-To: ");
        return i < 0 ? null : raw.substring(i + 13, raw.indexOf('\n', i)).trim();
    }

    @Test
    void should_answer_over_starttls_submission_with_verified_certificates() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(ALICE);
        servers.clear(BOB);
        Map<String, String> env = env(servers, ALICE, servers.submissionPort());
        env.put("SMTP_ENCRYPTION", "starttls");
        start(servers, env, true).awaitStatus("RUNNING");
        String id = servers.deliverText(BOB, ALICE, "Order 1234", "Where is my order?\n\nThanks,\nBob");
        assertThreadedReply(servers, ALICE, id);
        JsonNode event = agent.requests().get(0).event();
        assertThat(event.get("message_id").asText()).isEqualTo(id);
        assertThat(event.get("text").asText()).isEqualTo("Where is my order?\n\nThanks,\nBob");
        assertThat(channel.log()).doesNotContain(servers.password(ALICE));
        assertThat(channel.terminate(Duration.ofSeconds(20))).as("graceful stop on SIGTERM").isIn(0, 130, 143);
    }

    @Test
    void should_find_implicit_ssl_on_a_non_standard_port_by_itself() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(CAROL);
        servers.clear(BOB);
        long loginsBefore = servers.imapLogins(CAROL);
        start(servers, env(servers, CAROL, servers.smtpsPort()), true).awaitStatus("RUNNING");
        String id = servers.deliverText(BOB, CAROL, "Order 1234", "Hello?");
        await().atMost(MAIL).until(() -> agent.requests().size() == 1);
        assertThat(servers.imapLogins(CAROL) - loginsBefore).as("the start's IMAP sign-in check is the pickup's login")
                .isEqualTo(1);
        assertThreadedReply(servers, CAROL, id);
    }

    @Test
    void should_sign_in_with_a_password_full_of_special_characters() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(DAVE);
        Map<String, String> env = env(servers, DAVE, servers.submissionPort());
        start(servers, env, true).awaitStatus("RUNNING");
        String log = channel.log() + channel.channel().toString();
        assertThat(log).doesNotContain(servers.password(DAVE)).doesNotContain("p+w#d%1")
                .doesNotContain(java.net.URLEncoder.encode(servers.password(DAVE), StandardCharsets.UTF_8))
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(
                        ("\0" + DAVE + "\0" + servers.password(DAVE)).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void should_refuse_a_certificate_the_jvm_does_not_trust() throws Exception {
        RealMailServers servers = RealMailServers.get();
        JsonNode status = start(servers, env(servers, ALICE, servers.submissionPort()), false).awaitStatus("ERROR");
        assertThat(status.get("error").asText()).contains(ALICE + ": IMAP sign-in failed")
                .contains(ALICE + ": SMTP sign-in failed").containsIgnoringCase("certification path");
    }

    @Test
    void should_go_to_error_naming_the_account_and_protocol_on_a_wrong_password() throws Exception {
        RealMailServers servers = RealMailServers.get();
        Map<String, String> env = env(servers, ALICE, servers.submissionPort());
        env.put("EMAIL_PASSWORD", "not-the-password");
        JsonNode status = start(servers, env, true).awaitStatus("ERROR");
        assertThat(status.get("error").asText()).contains(ALICE + ": IMAP sign-in failed")
                .contains(ALICE + ": SMTP sign-in failed").doesNotContain("not-the-password");
        assertThat(channel.log()).doesNotContain("not-the-password");
    }

    @Test
    void should_answer_every_mail_exactly_once_across_a_kill_9() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(ALICE);
        servers.clear(BOB);
        agent.answerWith(e -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return FakeAgent.Answer.reply("Thanks, we are on it.");
        });
        Map<String, String> env = env(servers, ALICE, servers.submissionPort());
        for (int i = 0; i < 6; i++) {
            servers.deliverText(BOB, ALICE, "Order 1234", "Mail " + i);
        }
        servers.awaitCount(ALICE, 6, MAIL);
        start(servers, env, true).awaitStatus("RUNNING");
        await().atMost(MAIL).until(() -> agent.requests().size() >= 2);
        channel.kill();
        channel = ChannelProcess.start(work, withAgent(env), servers.trustStore());
        channel.awaitStatus("RUNNING");
        List<StoredMessage> replies = servers.awaitCount(BOB, 6, Duration.ofSeconds(60));
        await().atMost(MAIL).until(() -> servers.unseenCount(ALICE) == 0);
        Thread.sleep(3000);
        assertThat(servers.messages(BOB)).hasSize(6);
        assertThat(replies).extracting(ChannelRealServersIT::inReplyTo).doesNotHaveDuplicates();
    }

    Map<String, String> withAgent(Map<String, String> env) {
        env.put("AGENT_URL", agent.url());
        return env;
    }

    @Test
    void should_run_on_oauth_only_refresh_expiring_tokens_keep_rotated_ones_and_report_rejected_ones()
            throws Exception {
        RealMailServers servers = RealMailServers.oauth();
        servers.clear(ALICE);
        servers.clear(BOB);
        List<String> forms = new CopyOnWriteArrayList<>();
        HttpServer tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokens.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            forms.add(form);
            // the first refresh token is rotated (as Microsoft does); access tokens live 4 s
            boolean first = form.contains("refresh_token=alice-refresh&") || form.endsWith("refresh_token=alice-refresh");
            boolean rotated = form.contains("refresh_token=alice-refresh-2");
            boolean ok = first || rotated;
            byte[] body = (ok ? "{\"access_token\":\"" + servers.token(ALICE) + "\",\"expires_in\":4"
                    + (first ? ",\"refresh_token\":\"alice-refresh-2\"" : "") + "}"
                    : "{\"error\":\"invalid_grant\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokens.start();
        try {
            String tokenUri = "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token";
            Map<String, String> env = env(servers, ALICE, servers.submissionPort());
            env.remove("EMAIL_PASSWORD");
            env.put("OAUTH_ENABLED", "true");
            env.put("OAUTH_REFRESH_TOKEN", "alice-refresh");
            env.put("OAUTH_CLIENT_ID", "client-1");
            env.put("OAUTH_CLIENT_SECRET", "client-secret-1");
            env.put("OAUTH_TOKEN_URI", tokenUri);
            start(servers, env, true).awaitStatus("RUNNING");
            String id = servers.deliverText(BOB, ALICE, "Order 1234", "Via OAuth?");
            assertThreadedReply(servers, ALICE, id);
            assertThat(forms.get(0)).contains("grant_type=refresh_token").contains("refresh_token=alice-refresh")
                    .contains("client_id=client-1").contains("client_secret=client-secret-1");

            // the access token expires during the run: it is refreshed (with the rotated refresh token)
            Thread.sleep(5000);
            String later = servers.deliverText(BOB, ALICE, "Order 1234", "Still there?");
            assertThreadedReply(servers, ALICE, later);
            assertThat(forms).anySatisfy(f -> assertThat(f).contains("refresh_token=alice-refresh-2"));
            assertThat(channel.log()).doesNotContain("client-secret-1").doesNotContain("alice-refresh")
                    .doesNotContain(servers.token(ALICE));

            // after a restart on the same database the rotated refresh token is used, not the configured one
            assertThat(channel.terminate(Duration.ofSeconds(20))).isIn(0, 130, 143);
            forms.clear();
            channel = ChannelProcess.start(work, withAgent(env), servers.trustStore());
            channel.awaitStatus("RUNNING");
            assertThat(forms).isNotEmpty().allSatisfy(f -> assertThat(f).contains("refresh_token=alice-refresh-2"));
            channel.close();

            // a refresh token the provider rejects: ERROR with a precise, secret-free message
            env.put("OAUTH_REFRESH_TOKEN", "revoked-refresh");
            channel = ChannelProcess.start(work.resolve("second"), withAgent(env), servers.trustStore());
            JsonNode status = channel.awaitStatus("ERROR");
            assertThat(status.get("error").asText()).contains(
                    ALICE + ": OAuth token refresh failed: invalid_grant (HTTP 400 from " + tokenUri + ")");
            assertThat(status.toString()).doesNotContain("revoked-refresh").doesNotContain("client-secret-1");
        } finally {
            tokens.stop(0);
        }
    }
}
