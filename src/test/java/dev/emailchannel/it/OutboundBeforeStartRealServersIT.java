package dev.emailchannel.it;

import static dev.emailchannel.testing.RealMailServers.ALICE;
import static dev.emailchannel.testing.RealMailServers.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.RealMailServers.StoredMessage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mail queued before the channel starts, against the real Postfix submission port (STARTTLS required, then AUTH): with
 * {@code AUTOSTART=false} the channel is never started, yet {@code POST /api/messages} must go out over STARTTLS and
 * arrive. Before the mailbox runtime it went out in clear text, Postfix answered {@code 530 5.7.0 Must issue a
 * STARTTLS command first} and the mail was failed for good.
 */
class OutboundBeforeStartRealServersIT {

    static final Duration MAIL = Duration.ofSeconds(40);

    final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path work;
    ChannelProcess channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
    }

    /** @param encryption {@code SMTP_ENCRYPTION}: "starttls", or "" (auto: the channel asks the server on this port) */
    @ParameterizedTest
    @ValueSource(strings = {"starttls", ""})
    void should_send_over_starttls_before_the_channel_was_ever_started(String encryption) throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(BOB);
        Map<String, String> env = new HashMap<>();
        env.put("EMAIL_ADDRESS", ALICE);
        env.put("EMAIL_PASSWORD", servers.password(ALICE));
        env.put("EMAIL_NAME", "Example Sales");
        env.put("IMAP_SERVER", "localhost");
        env.put("IMAP_PORT", String.valueOf(servers.imapsPort()));
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(servers.submissionPort())); // 587-style on a free port
        if (!encryption.isEmpty()) {
            env.put("SMTP_ENCRYPTION", encryption);
        }
        env.put("AGENT_URL", "http://127.0.0.1:9/agent-never-called");
        env.put("AUTOSTART", "false");
        channel = ChannelProcess.start(work, env, servers.trustStore());
        channel.awaitStatus("STOPPED");

        HttpResponse<String> queued = channel.api("POST", "/api/messages", "{\"to\": \"" + BOB + "\", \"name\": "
                + "\"Bob\", \"subject\": \"Your trial\", \"text\": \"How is it going?\"}");

        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        JsonNode answer = json.readTree(queued.body());
        assertThat(answer.get("status").asText()).as("sent at the first attempt: %s", answer).isEqualTo("SENT");
        assertThat(answer.get("last_error").isNull()).isTrue();
        String messageId = answer.get("message_id").asText();
        StoredMessage delivered = servers.awaitMessage(BOB, messageId, MAIL);
        assertThat(delivered.subject()).isEqualTo("Your trial");
        assertThat(delivered.from()).contains(ALICE);
        assertThat(delivered.text()).contains("How is it going?");
        // RFC 3848: Postfix names the submission "ESMTPSA" (TLS, then AUTH) in its Received header
        assertThat(delivered.rawText()).contains("with ESMTPSA");

        JsonNode sent = json.readTree(channel.api("GET", "/api/outbox?state=sent", null).body());
        assertThat(sent.get("mails")).anySatisfy(m -> {
            assertThat(m.get("message_id").asText()).isEqualTo(messageId);
            assertThat(m.get("state").asText()).isEqualTo("sent");
            assertThat(m.get("attempts").asInt()).isEqualTo(1);
        });
        assertThat(channel.channel().get("status").asText()).as("never started").isEqualTo("STOPPED");
        // an SMTP 530 answer ("530 5.7.0 Must issue a STARTTLS command first"), not "530" inside a random session id
        assertThat(channel.log()).doesNotContainPattern("\\b530[ -]").doesNotContain(servers.password(ALICE));
    }
}
