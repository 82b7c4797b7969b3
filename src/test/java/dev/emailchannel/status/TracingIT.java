package dev.emailchannel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.MailClient;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestTls;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry on: one trace follows a mail from its pickup through the inbox, the agent call and the outbox to the
 * SMTP send of the reply. The spans go to an in-memory exporter chosen with OTEL_TRACES_EXPORTER (as system
 * property), the way a real exporter is chosen.
 */
class TracingIT {

    GreenMail mail;
    FakeAgent agent;
    RunningChannel channel;

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (mail != null) {
            mail.stop();
        }
        System.clearProperty("otel.traces.exporter");
        System.clearProperty("otel.bsp.schedule.delay");
    }

    @Test
    void should_trace_a_mail_from_pickup_to_the_sent_reply() throws Exception {
        TestTls.install();
        System.setProperty("otel.traces.exporter", "channel-test");
        System.setProperty("otel.bsp.schedule.delay", "100");
        TestSpanExporterProvider.SPANS.reset();
        mail = AcmeMailServers.start();
        agent = new FakeAgent().answerWith(e -> FakeAgent.Answer.reply("Traced."));
        Map<String, String> s = new java.util.HashMap<>(AcmeMailServers.channelSettings(mail, agent.url()));
        channel = RunningChannel.start(s);
        channel.awaitStatus(ChannelStatus.RUNNING);
        MailClient client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
        client.send(AcmeMailServers.JANE, AcmeMailServers.SUPPORT, "Trace me", "Hello?", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> client.inbox(AcmeMailServers.JANE, "jane-pw").size() == 1);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<SpanData> spans = TestSpanExporterProvider.SPANS.getFinishedSpanItems();
            // span names are Camel's: the endpoint of each exchange (mailbox: pickup and SMTP send, inbox: dispatch,
            // POST: the agent call, smtp-send: the outbox route)
            String dispatchTrace = spans.stream().filter(sp -> sp.getName().equals("inbox")).map(SpanData::getTraceId)
                    .findFirst().orElseThrow(() -> new AssertionError("no dispatch span in " + names(spans)));
            List<String> inTrace = spans.stream().filter(sp -> sp.getTraceId().equals(dispatchTrace))
                    .map(SpanData::getName).toList();
            assertThat(inTrace).as("one trace: pickup, dispatch, agent call, outbox, SMTP send")
                    .contains("inbox", "POST", "smtp-send");
            assertThat(inTrace.stream().filter("mailbox"::equals).count()).as("pickup and SMTP send").isEqualTo(2);
        });
        assertThat(TestSpanExporterProvider.SPANS.getFinishedSpanItems().toString()).doesNotContain("jane-pw")
                .doesNotContain("support-pw");
    }

    private static String names(List<SpanData> spans) {
        return spans.stream().map(sp -> sp.getName() + "/" + sp.getKind()).toList().toString();
    }
}
