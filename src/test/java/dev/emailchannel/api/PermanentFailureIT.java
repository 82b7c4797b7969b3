package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.FakeSmtpServer;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestTls;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An SMTP server that refuses the recipient for good (5xx): recorded on the session, logged, never retried. */
class PermanentFailureIT {

    @Test
    void should_record_a_permanent_smtp_refusal_on_the_session_log_it_and_not_retry() throws Exception {
        TestTls.install();
        ObjectMapper json = new ObjectMapper();
        GreenMail imap = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)}));
        imap.start();
        imap.setUser("support@acme.test", "support@acme.test", "support-pw");
        try (FakeSmtpServer smtp = FakeSmtpServer.rejectingRecipients()) {
            Map<String, String> s = new HashMap<>();
            s.put("EMAIL_ADDRESS", "support@acme.test");
            s.put("EMAIL_PASSWORD", "support-pw");
            s.put("IMAP_SERVER", "localhost");
            s.put("IMAP_PORT", String.valueOf(imap.getImaps().getPort()));
            s.put("SMTP_SERVER", "127.0.0.1");
            s.put("SMTP_PORT", String.valueOf(smtp.port()));
            s.put("AGENT_URL", "http://127.0.0.1:9/agent");
            s.put("INBOUND_ENABLED", "false");
            try (RunningChannel channel = RunningChannel.start(s)) {
                channel.awaitStatus(ChannelStatus.RUNNING);
                var answer = channel.api("POST", "/api/messages",
                        "{\"to\":\"gone@example.com\",\"subject\":\"Hello\",\"text\":\"Hi\"}");
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                JsonNode queued = json.readTree(answer.body());
                assertThat(queued.get("status").asText()).isEqualTo("FAILED");
                assertThat(queued.get("last_error").asText()).contains("550");

                JsonNode message = json.readTree(channel.api("GET", "/api/sessions/"
                        + queued.get("session_id").asText()).body()).get("messages").get(0);
                assertThat(message.get("direction").asText()).isEqualTo("OUT");
                assertThat(message.get("delivery").get("status").asText()).isEqualTo("FAILED");
                assertThat(message.get("delivery").get("attempts").asInt()).isEqualTo(1);
                assertThat(message.get("delivery").get("last_error").asText()).contains("550");
                assertThat(channel.api("GET", "/api/channel/logs?lines=100").body())
                        .contains("sending " + queued.get("message_id").asText() + " failed for good");

                // the outbox timer (every 5 s) does not pick a failed entry up again
                assertThat(channel.bean(dev.emailchannel.session.Outbox.class).due(java.time.Instant.now().plusSeconds(3600), 10)).isEmpty();
                assertThat(smtp.recipients()).hasSize(1);
                assertThat(smtp.dataCommands()).isZero();
            }
        } finally {
            imap.stop();
        }
    }
}
