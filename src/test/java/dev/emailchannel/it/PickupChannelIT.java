package dev.emailchannel.it;

import static dev.emailchannel.testing.RealMailServers.ALICE;
import static dev.emailchannel.testing.RealMailServers.BOB;
import static dev.emailchannel.testing.RealMailServers.CAROL;
import static dev.emailchannel.testing.RealMailServers.DAVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.RealMailServers.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Push pickup in the packaged jar: one channel process with three mailboxes on real Dovecot + Postfix, the default
 * {@code CHECK_INTERVAL} (15 s, the safety poll under IDLE) and {@code IMAP_IDLE} left at its default. A customer's
 * mail goes through Postfix; the agent gets it before the safety poll was due (read from the channel's own
 * {@code last_poll}), each mailbox answers from its own address, and Dovecot restarted under the running channel
 * costs no mail. No timed assertion: the only clock compared is the channel's own schedule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PickupChannelIT {

    static final List<String> MAILBOXES = List.of(ALICE, CAROL, DAVE);
    static final Duration MAIL = Duration.ofSeconds(60);

    RealMailServers servers;
    FakeAgent agent;
    ChannelProcess channel;
    Path work;

    @BeforeAll
    void start() throws Exception {
        servers = RealMailServers.get();
        for (String m : MAILBOXES) {
            servers.clear(m);
        }
        servers.clear(BOB);
        agent = new FakeAgent();
        work = Files.createTempDirectory("pickup-channel-it");
        Map<String, String> env = servers.channelEnv(MAILBOXES);
        env.put("EMAIL_NAME", "Example Support");
        env.put("AGENT_URL", agent.url());
        // CHECK_INTERVAL and IMAP_IDLE stay at their defaults (15 s, true)
        channel = ChannelProcess.start(work, env, servers.trustStore());
        channel.awaitStatus("RUNNING");
        await().atMost(MAIL).untilAsserted(() -> assertThat(channel.channel().get("mailboxes"))
                .allSatisfy(m -> {
                    assertThat(m.get("pickup").asText()).isEqualTo("IDLE");
                    assertThat(m.path("last_poll").isTextual()).isTrue();
                }));
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @Order(1)
    void should_hand_a_mail_to_the_agent_before_the_safety_poll_is_due() throws Exception {
        JsonNode status = channel.channel();
        assertThat(status.get("check_interval").asInt()).as("the default CHECK_INTERVAL").isEqualTo(15);
        Duration interval = Duration.ofSeconds(status.get("check_interval").asInt());

        Instant lastCheck = freshCheck(ALICE, interval);
        String id = servers.deliverText(BOB, ALICE, "Order 1234", "Where is my order?");

        FakeAgent.Request request = awaitAgent(id);
        assertThat(request.receivedAt())
                .as("the agent got the mail before the safety poll, due %s after the check of %s", interval, lastCheck)
                .isBefore(lastCheck.plus(interval));
        assertThat(request.event().get("mailbox").asText()).isEqualTo(ALICE);
        assertAnsweredFrom(ALICE, id);
        assertThat(metric("email_channel_poll_fallbacks_total", ALICE)).isZero();
        assertThat(metric("email_channel_pickup_latency_seconds_count", ALICE)).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void should_answer_each_mailbox_from_its_own_address() throws Exception {
        Map<String, String> ids = new HashMap<>();
        for (String mailbox : MAILBOXES) {
            ids.put(mailbox, servers.deliverText(BOB, mailbox, "Order 1234", "A question for " + mailbox));
        }
        for (String mailbox : MAILBOXES) {
            assertThat(awaitAgent(ids.get(mailbox)).event().get("mailbox").asText()).isEqualTo(mailbox);
            assertAnsweredFrom(mailbox, ids.get(mailbox));
        }
    }

    @Test
    @Order(3)
    void should_pick_up_again_after_dovecot_restarts_under_the_running_channel() throws Exception {
        Map<String, Double> reconnectsBefore = new HashMap<>();
        for (String mailbox : MAILBOXES) {
            reconnectsBefore.put(mailbox, metric("email_channel_idle_reconnects_total", mailbox));
        }

        servers.restartDovecot(Duration.ofSeconds(2));
        // sent at once, while the mailboxes may still be waiting for their next attempt
        String meanwhile = servers.deliverText(BOB, CAROL, "Order 1234", "Are you back?");

        assertAnsweredFrom(CAROL, meanwhile);
        await().atMost(MAIL).untilAsserted(() -> {
            for (String mailbox : MAILBOXES) {
                assertThat(metric("email_channel_idle_reconnects_total", mailbox)).as(mailbox)
                        .isGreaterThan(reconnectsBefore.get(mailbox));
            }
            JsonNode now = channel.channel();
            assertThat(now.get("status").asText()).isEqualTo("RUNNING");
            assertThat(now.get("mailboxes")).allSatisfy(m -> {
                assertThat(m.get("pickup").asText()).isEqualTo("IDLE");
                assertThat(m.path("error").isTextual()).as(m.toString()).isFalse();
            });
        });

        // back on IDLE: a new mail again reaches the agent before the safety poll is due
        Duration interval = Duration.ofSeconds(channel.channel().get("check_interval").asInt());
        Instant lastCheck = freshCheck(DAVE, interval);
        String after = servers.deliverText(BOB, DAVE, "Order 1234", "And now?");
        assertThat(awaitAgent(after).receivedAt()).isBefore(lastCheck.plus(interval));
        assertAnsweredFrom(DAVE, after);
        assertThat(channel.log()).contains(CAROL + ": connected again on IDLE");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * The time of the mailbox's last check (its {@code last_poll}), at most a third of the interval ago: waits for the
     * next safety poll otherwise, so that a mail sent now has most of the interval before the next one is due.
     */
    Instant freshCheck(String mailbox, Duration interval) throws Exception {
        Instant last = lastPoll(mailbox);
        if (Instant.now().isBefore(last.plus(interval.dividedBy(3)))) {
            return last;
        }
        Instant before = last;
        return await().atMost(interval.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> lastPoll(mailbox), t -> t.isAfter(before));
    }

    Instant lastPoll(String mailbox) throws Exception {
        for (JsonNode m : channel.channel().get("mailboxes")) {
            if (m.get("address").asText().equals(mailbox)) {
                return Instant.parse(m.get("last_poll").asText());
            }
        }
        throw new AssertionError("no mailbox " + mailbox + " in " + channel.channel());
    }

    FakeAgent.Request awaitAgent(String messageId) {
        return await().atMost(MAIL).pollInterval(Duration.ofMillis(50)).until(() -> agent.requests().stream()
                .filter(r -> messageId.equals(r.event().path("message_id").asText())).findFirst().orElse(null),
                r -> r != null);
    }

    void assertAnsweredFrom(String mailbox, String customerMessageId) {
        StoredMessage reply = servers.awaitMessage(BOB,
                m -> customerMessageId.equals(ChannelRealServersIT.inReplyTo(m)), MAIL);
        assertThat(reply.from()).contains(mailbox);
        assertThat(reply.subject()).isEqualTo("Re: Order 1234");
        assertThat(reply.text()).contains("Thanks, we are on it.");
        await().atMost(MAIL).until(() -> servers.message(mailbox, customerMessageId).orElseThrow().seen());
    }

    /** A mailbox's value of a Prometheus series on /observe/metrics; 0 when the series is not there (yet). */
    double metric(String name, String mailbox) throws Exception {
        double value = channel.metric(name, "mailbox=\"" + mailbox + "\"");
        return Double.isNaN(value) ? 0 : value;
    }
}
