package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.FakeSmtpServer;
import dev.emailchannel.testing.OffsetClock;
import dev.emailchannel.testing.RunningChannel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The outbox and the outbound API over SMTP (SPEC §7, §8): a provider's sending limit defers mail instead
 * of failing it, a slow send keeps its claim and goes out once, and a request repeated with an
 * {@code Idempotency-Key} sends once. The SMTP server is GreenMail, or a {@link FakeSmtpServer} that answers as a test
 * tells it; time passes for the channel on an {@link OffsetClock}.
 */
class OutboxDeliveryIT extends ChannelOnGreenMail {

    @Test
    void should_send_once_when_a_request_with_an_idempotency_key_is_repeated() throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        start(s);
        String message = "{\"to\":\"once@example.com\",\"subject\":\"Your order\",\"text\":\"It ships today.\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "order-77-shipped");
        HttpResponse<String> first = channel.api("POST", "/api/messages", message, key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String messageId = json.readTree(first.body()).get("message_id").asText();
        // the client retries after a timeout, twice in a row and twice at once
        List<HttpResponse<String>> retries = new ArrayList<>();
        retries.add(channel.api("POST", "/api/messages", message, key));
        var a = CompletableFuture.supplyAsync(() -> call(message, "/api/messages", key));
        var b = CompletableFuture.supplyAsync(() -> call(message, "/api/messages", key));
        retries.add(a.get());
        retries.add(b.get());
        for (HttpResponse<String> retry : retries) {
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
            assertThat(json.readTree(retry.body()).get("message_id").asText()).isEqualTo(messageId);
        }
        HttpResponse<String> other = channel.api("POST", "/api/messages", message.replace("today", "tomorrow"), key);
        assertThat(other.statusCode()).as("the key with another body").isEqualTo(422);
        assertThat(other.body()).contains("Idempotency-Key");

        // a campaign of three, sent twice at once with one key: three mails
        String campaign = "{\"subject\":\"News for {{ name }}\",\"text\":\"Hello {{ name }}\",\"participants\":["
                + "{\"address\":\"p1@example.com\",\"vars\":{\"name\":\"P1\"}},"
                + "{\"address\":\"p2@example.com\",\"vars\":{\"name\":\"P2\"}},"
                + "{\"address\":\"p3@example.com\",\"vars\":{\"name\":\"P3\"}}]}";
        Map<String, String> campaignKey = Map.of("Idempotency-Key", "newsletter-2026-12");
        var c1 = CompletableFuture.supplyAsync(() -> call(campaign, "/api/campaigns", campaignKey));
        var c2 = CompletableFuture.supplyAsync(() -> call(campaign, "/api/campaigns", campaignKey));
        HttpResponse<String> again = channel.api("POST", "/api/campaigns", campaign, campaignKey);
        List<String> ids = null;
        for (HttpResponse<String> answer : List.of(c1.get(), c2.get(), again)) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            List<String> these = json.readTree(answer.body()).get("messages").findValues("message_id").stream()
                    .map(JsonNode::asText).toList();
            assertThat(these).hasSize(3);
            if (ids != null) {
                assertThat(these).isEqualTo(ids);
            }
            ids = these;
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessagesForDomain("example.com").length
                >= 4);
        Outbox outbox = channel.bean(Outbox.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.due(Instant.now().plusSeconds(86_400), 100)
                .isEmpty());
        assertThat(outbox.list(null, 100, null)).as("queued once each").hasSize(4)
                .allMatch(e -> e.status().equals(Outbox.SENT));
        assertThat(repliesTo("once@example.com")).hasSize(1);
        for (String p : List.of("p1", "p2", "p3")) {
            assertThat(repliesTo(p + "@example.com")).as(p).hasSize(1);
        }
    }

    /** Outbound only, sending through {@code smtp} on this clock. */
    RunningChannel startSendingThrough(FakeSmtpServer smtp, OffsetClock clock) throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        s.put("SMTP_SERVER", "127.0.0.1");
        s.put("SMTP_PORT", String.valueOf(smtp.port()));
        channel = RunningChannel.start(s, clock);
        channel.awaitStatus(ChannelStatus.RUNNING);
        return channel;
    }

    JsonNode postMessage(String to, String subject) throws Exception {
        HttpResponse<String> answer = channel.api("POST", "/api/messages", "{\"to\":\"" + to + "\",\"subject\":\""
                + subject + "\",\"text\":\"Hello\"}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return json.readTree(answer.body());
    }

    @Test
    void should_defer_mail_on_a_provider_s_daily_limit_and_send_it_once_the_limit_has_passed() throws Exception {
        OffsetClock clock = new OffsetClock();
        // the provider takes one mail, then its daily limit is reached
        try (FakeSmtpServer smtp = new FakeSmtpServer().answerMails(FakeSmtpServer.ACCEPT, FakeSmtpServer.DAILY_LIMIT)) {
            startSendingThrough(smtp, clock);
            HttpResponse<String> campaign = channel.api("POST", "/api/campaigns", "{\"subject\":\"News\","
                    + "\"text\":\"Hello {{ name }}\",\"participants\":["
                    + "{\"address\":\"p1@example.com\",\"vars\":{\"name\":\"P1\"}},"
                    + "{\"address\":\"p2@example.com\",\"vars\":{\"name\":\"P2\"}},"
                    + "{\"address\":\"p3@example.com\",\"vars\":{\"name\":\"P3\"}}]}");
            assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> apiGet("/api/outbox?state=pending").get("mails")
                    .size() == 2 && apiGet("/api/outbox?state=sent").get("mails").size() == 1);
            assertThat(apiGet("/api/outbox?state=failed").get("mails")).as("the rest of the campaign is deferred, "
                    + "not failed").isEmpty();
            JsonNode limited = apiGet("/api/outbox?state=pending").get("mails");
            JsonNode p2 = StreamSupport.stream(limited.spliterator(), false)
                    .filter(m -> m.get("to").asText().equals("p2@example.com")).findFirst().orElseThrow();
            assertThat(p2.get("attempts").asInt()).isEqualTo(1);
            assertThat(p2.get("last_error").asText()).contains("5.4.5");
            assertThat(Instant.parse(p2.get("next_attempt_at").asText()))
                    .as("a provider's limit waits minutes, not seconds").isAfter(clock.instant().plus(Duration
                            .ofMinutes(5)));

            // a mail queued meanwhile waits with the mailbox: not even tried while the limit lasts
            JsonNode single = postMessage("later@example.com", "Later");
            assertThat(single.get("status").asText()).as("deferred, not failed").isEqualTo(Outbox.PENDING);
            assertThat(smtp.dataCommands()).as("one mail accepted, one refused, nothing else tried").isEqualTo(2);

            // the limit is lifted and the deferral has passed: the rest goes out, once each
            smtp.answerMails(FakeSmtpServer.ACCEPT);
            clock.advance(Duration.ofMinutes(11));
            await().atMost(Duration.ofSeconds(30)).until(() -> apiGet("/api/outbox?state=sent").get("mails")
                    .size() == 4);
            assertThat(channel.bean(OutboxSender.class).sendDue()).as("nothing left to send again").isZero();
            assertThat(smtp.accepted()).hasSize(4);
            for (String to : List.of("p1", "p2", "p3", "later")) {
                assertThat(smtp.accepted()).as(to).filteredOn(m -> m.contains("To: " + to + "@example.com"))
                        .hasSize(1);
            }
        }
    }

    @Test
    void should_send_once_when_a_send_outlasts_the_outbox_lease() throws Exception {
        OffsetClock clock = new OffsetClock();
        try (FakeSmtpServer smtp = new FakeSmtpServer().holdAnswers()) {
            startSendingThrough(smtp, clock);
            // the API sends at once: the request waits for the slow server
            CompletableFuture<HttpResponse<String>> request = CompletableFuture.supplyAsync(() -> call(
                    "{\"to\":\"slow@example.com\",\"subject\":\"Slow\",\"text\":\"Hello\"}", "/api/messages",
                    Map.of()));
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.holding() == 1);
            Outbox outbox = channel.bean(Outbox.class);
            Outbox.Entry sending = outbox.list(null, 10, null).get(0);
            Instant firstLease = sending.leaseUntil();
            assertThat(firstLease).as("claimed for the send").isNotNull();

            // 20 s pass for the channel (the lease is 30 s); then the sender renews its lease while the server still
            // holds the mail
            clock.advance(Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.find(sending.id()).orElseThrow().leaseUntil()
                    .isAfter(firstLease));
            // past the first lease: another sender (the outbox timer, or another instance) finds nothing to send
            clock.advance(Duration.ofSeconds(20));
            assertThat(clock.instant()).isAfter(firstLease);
            assertThat(outbox.due(clock.instant(), 10)).isEmpty();
            assertThat(channel.bean(OutboxSender.class).sendDue()).isZero();
            assertThat(smtp.dataCommands()).isEqualTo(1);

            smtp.release();
            HttpResponse<String> answer = request.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(json.readTree(answer.body()).get("status").asText()).isEqualTo(Outbox.SENT);
            assertThat(channel.bean(OutboxSender.class).sendDue()).isZero();
            assertThat(smtp.accepted()).as("sent once").hasSize(1);
            assertThat(smtp.dataCommands()).isEqualTo(1);
            assertThat(outbox.find(sending.id()).orElseThrow().attempts()).isEqualTo(1);
        }
    }

    @Test
    void should_hold_a_reply_in_doubt_when_the_server_took_it_and_its_answer_never_came() throws Exception {
        OffsetClock clock = new OffsetClock();
        try (FakeSmtpServer smtp = new FakeSmtpServer().answerMails(FakeSmtpServer.TAKE_AND_DROP,
                FakeSmtpServer.ACCEPT)) {
            startSendingThrough(smtp, clock);
            JsonNode queued = postMessage("doubt@example.com", "Taken, then silence");
            assertThat(queued.get("status").asText()).as("not sent, not pending: held").isEqualTo(Outbox.HELD);
            Outbox outbox = channel.bean(Outbox.class);
            Outbox.Entry held = outbox.list(null, 10, null).get(0);
            assertThat(held.status()).isEqualTo(Outbox.HELD);
            assertThat(held.holdReason()).startsWith("in doubt").contains("may have been delivered");
            assertThat(smtp.taken()).as("the server had the whole mail").hasSize(1);

            // hours pass: it is never sent again by itself
            clock.advance(Duration.ofHours(3));
            assertThat(channel.bean(OutboxSender.class).sendDue()).isZero();
            assertThat(smtp.dataCommands()).isEqualTo(1);
            HttpResponse<String> listed = channel.api("GET", "/api/outbox?state=held");
            assertThat(json.readTree(listed.body()).get("mails").get(0).get("hold_reason").asText())
                    .startsWith("in doubt");

            // the operator found it did not arrive and releases it: sent once more
            HttpResponse<String> released = channel.api("POST", "/api/outbox/" + held.id() + "/release");
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
            assertThat(json.readTree(released.body()).get("state").asText()).isEqualTo("sent");
            assertThat(smtp.accepted()).hasSize(1);
            assertThat(smtp.taken()).hasSize(2);
        }
    }

    @Test
    void should_not_send_again_a_reply_that_a_dead_sender_was_handing_over() throws Exception {
        OffsetClock clock = new OffsetClock();
        try (FakeSmtpServer smtp = new FakeSmtpServer()) {
            startSendingThrough(smtp, clock);
            Outbox outbox = channel.bean(Outbox.class);
            // another instance on the same database claimed the reply and was killed while the server took it
            long id = outbox.enqueue(new Outbox.Draft("s-dead", AcmeMailServers.SUPPORT, "<dead-1@example.test>",
                    "jane@example.com", "Re: order", "From: x@example.test\r\nSubject: Re: order\r\n\r\nHi\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII), null), clock.instant());
            Outbox.Claim dead = outbox.claim(id, "killed-instance", clock.instant(), Duration.ofSeconds(60))
                    .orElseThrow();
            assertThat(outbox.handingOver(dead, clock.instant())).isTrue();
            assertThat(channel.bean(OutboxSender.class).sendDue()).as("its claim still runs").isZero();

            clock.advance(Duration.ofSeconds(61));
            assertThat(channel.bean(OutboxSender.class).sendDue()).isZero();
            Outbox.Entry held = outbox.find(id).orElseThrow();
            assertThat(held.status()).isEqualTo(Outbox.HELD);
            assertThat(held.holdReason()).startsWith("in doubt: the sender stopped while the mail server was taking");
            assertThat(smtp.dataCommands()).as("nothing went to the server").isZero();
        }
    }
}
