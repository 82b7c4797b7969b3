package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.FakeSmtpServer;
import dev.emailchannel.testing.MailClient;
import dev.emailchannel.testing.OffsetClock;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestDatabases;
import dev.emailchannel.testing.TestTls;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The durable inbox and its dispatcher (SPEC §4, §7, §8, issue 9) over real servers: the whole channel in this JVM
 * against GreenMail (IMAPS, SMTPS), a fake agent over HTTP, and PostgreSQL where the case is about PostgreSQL. What
 * {@link ChannelGreenMailIT} shows already (a 12-mail burst, held replies, parking after three 422s, pending while the
 * agent fails) is not repeated here.
 */
class InboxDispatchIT {

    static final String SUPPORT = AcmeMailServers.SUPPORT;
    final ObjectMapper json = new ObjectMapper();

    GreenMail mail;
    FakeAgent agent;
    MailClient client;
    RunningChannel channel;
    String postgresSchema;

    @BeforeAll
    static void tls() {
        TestTls.install();
    }

    @BeforeEach
    void servers() throws Exception {
        mail = AcmeMailServers.start();
        agent = new FakeAgent();
        client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        agent.close();
        mail.stop();
        if (postgresSchema != null) {
            TestDatabases.dropPostgresSchema(postgresSchema);
        }
    }

    Map<String, String> settings() {
        return AcmeMailServers.channelSettings(mail, agent.url());
    }

    /** The settings on a fresh PostgreSQL schema ({@code postgresql}) or the default in-memory H2 ({@code h2}). */
    Map<String, String> settings(String database) {
        Map<String, String> s = settings();
        if (database.equals("postgresql")) {
            postgresSchema = TestDatabases.postgresSchema();
            s.put("DATABASE_URL", TestDatabases.postgresUrl(postgresSchema));
        }
        return s;
    }

    RunningChannel start(Map<String, String> settings) throws Exception {
        channel = RunningChannel.start(settings);
        channel.awaitStatus(ChannelStatus.RUNNING);
        return channel;
    }

    static String customer(int i) {
        return "customer" + i + "@example.com";
    }

    /** The mails the channel sent to this address (GreenMail keeps every mail it received). */
    List<MimeMessage> repliesTo(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address))) {
                out.add(m);
            }
        }
        return out;
    }

    JsonNode inbox(String state) throws Exception {
        return apiGet("/api/inbox?state=" + state).get("mails");
    }

    JsonNode apiGet(String path) throws Exception {
        HttpResponse<String> answer = channel.api("GET", path);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    static String text(JsonNode event) {
        return event.get("text").asText();
    }

    static String from(JsonNode event) {
        return event.get("from").get("address").asText();
    }

    @Test
    void should_answer_24_customers_in_parallel_and_one_customer_s_mails_in_order_one_at_a_time() throws Exception {
        agent.delay(Duration.ofSeconds(2)).answerWith(e -> Answer.reply("About \"" + text(e) + "\": on it."));
        start(settings());
        String regular = customer(0);
        // 26 mails from 24 customers at once; customer 0 writes three of them, first, in the middle and last
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            String from = i == 0 || i == 12 || i == 25 ? regular : customer(i < 12 ? i : i - 1);
            String body = from.equals(regular) ? "Step " + (sent.stream().filter(regular::equals).count() + 1)
                    : "Question from " + from;
            client.send(from, SUPPORT, "Hello", body, Map.of());
            sent.add(from);
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> mail.getReceivedMessagesForDomain("example.com").length
                >= 26);
        for (int i = 0; i < 24; i++) {
            assertThat(repliesTo(customer(i))).as(customer(i)).hasSize(i == 0 ? 3 : 1)
                    .allMatch(m -> fromAddress(m).equals(SUPPORT));
        }
        List<FakeAgent.Call> calls = agent.calls();
        assertThat(calls).as("each mail reached the agent once").hasSize(26);
        assertThat(calls.stream().map(c -> c.event().get("event_id").asText()).distinct()).hasSize(26);
        // concurrency from the agent's own records: the most calls that were in flight at one moment
        System.out.println("InboxDispatchIT: at most " + agent.maxInFlight() + " agent calls in flight at once");
        assertThat(agent.maxInFlight()).as("calls in flight at once (AGENT_CONCURRENCY=8)").isGreaterThanOrEqualTo(6);

        List<FakeAgent.Call> regulars = calls.stream().filter(c -> from(c.event()).equals(regular))
                .sorted(Comparator.comparingLong(FakeAgent.Call::startedNanos)).toList();
        assertThat(regulars).extracting(c -> text(c.event())).as("one customer's mails in arrival order")
                .containsExactly("Step 1", "Step 2", "Step 3");
        for (int i = 1; i < regulars.size(); i++) {
            assertThat(regulars.get(i).startedNanos()).as("Step %d waited for the answer to step %d", i + 1, i)
                    .isGreaterThan(regulars.get(i - 1).answeredNanos());
        }
        assertThat(repliesTo(regular)).extracting(m -> body(m)).as("each reply answers its own mail")
                .allMatch(b -> b.startsWith("About \"Step ")).hasSize(3);
        assertThat(inbox("delivered")).hasSize(26);
        assertThat(inbox("pending")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.emailchannel.testing.TestDatabases#kinds")
    void should_park_poison_mails_while_the_mails_behind_them_are_answered(String database) throws Exception {
        start(settings(database));
        // content the database cannot keep (PostgreSQL refuses a NUL in text; the customer column holds 320)
        String longAddress = "a".repeat(330) + "@example.com";
        client.sendRaw("poison@example.com", SUPPORT, raw("From: <" + longAddress + ">\nTo: " + SUPPORT
                + "\nSubject: Long sender\nMessage-ID: <long-from@example.com>", "Whose address is this long?"));
        client.sendRaw("nul@example.com", SUPPORT, raw("From: Nul <nul@example.com>\nTo: " + SUPPORT
                + "\nSubject: Bad\u0000byte\nMessage-ID: <nul-subject@example.com>", "A NUL in my subject"));
        for (int i = 1; i <= 3; i++) {
            client.send(customer(i), SUPPORT, "Normal " + i, "A normal question " + i, Map.of());
        }
        // the sender of the NUL mail writes again: answered once the bad mail is out of the way
        client.send("nul@example.com", SUPPORT, "Sorry", "Let me try again", Map.of());

        await().atMost(Duration.ofSeconds(60)).until(() -> inbox("parked").size() == 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> repliesTo(customer(1)).size() + repliesTo(customer(2))
                .size() + repliesTo(customer(3)).size() == 3);
        JsonNode parked = inbox("parked");
        JsonNode longFrom = find(parked, "<long-from@example.com>");
        assertThat(longFrom.get("failures").asInt()).isEqualTo(3);
        assertThat(longFrom.get("last_error").asText()).as("names the problem")
                .isEqualTo("the From address is 342 characters long; an address has at most 320");
        JsonNode nul = find(parked, "<nul-subject@example.com>");
        assertThat(nul.get("failures").asInt()).isEqualTo(3);
        assertThat(nul.get("last_error").asText()).as("names the problem")
                .isEqualTo("the Subject contains a NUL character (0x00), which cannot be stored");
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesTo("nul@example.com").size() == 1);
        assertThat(agent.requests()).extracting(r -> text(r.event())).contains("Let me try again")
                .doesNotContain("A NUL in my subject", "Whose address is this long?");
        assertThat(inbox("pending")).isEmpty();
        assertThat(repliesTo(longAddress)).isEmpty();
    }

    @Test
    void should_keep_mails_pending_and_show_the_agent_error_while_the_agent_refuses_the_token() throws Exception {
        agent.answerWith(e -> new Answer(401, "{\"error\":\"bad token\"}"));
        start(settings());
        for (int i = 1; i <= 3; i++) {
            client.send(customer(i), SUPPORT, "Hello " + i, "Question " + i, Map.of());
        }
        // every mail tried three times at least: a mail failing on its own would be parked by now
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode pending = inbox("pending");
            return pending.size() == 3 && StreamSupport.stream(pending.spliterator(), false)
                    .allMatch(m -> m.get("attempts").asInt() >= 3);
        });
        assertThat(inbox("parked")).isEmpty();
        for (JsonNode m : inbox("pending")) {
            assertThat(m.get("failures").asInt()).as("not counted against the mail").isZero();
            assertThat(m.get("last_error").asText()).contains("401");
        }
        JsonNode status = apiGet("/api/channel");
        assertThat(status.get("status").asText()).isEqualTo("RUNNING");
        assertThat(status.get("agent_error").asText()).as("the channel shows the agent's set-up error")
                .contains("401");
        assertThat(mail.getReceivedMessagesForDomain("example.com")).as("nothing answered yet").isEmpty();

        int refused = agent.requests().size();
        agent.answerWith(e -> Answer.reply("Sorry for the wait."));
        await().atMost(Duration.ofSeconds(60)).until(() -> inbox("delivered").size() == 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesTo(customer(1)).size() + repliesTo(customer(2))
                .size() + repliesTo(customer(3)).size() == 3);
        for (int i = 1; i <= 3; i++) {
            assertThat(repliesTo(customer(i))).as(customer(i)).hasSize(1);
        }
        assertThat(agent.requests()).as("one successful call per mail").hasSize(refused + 3);
        assertThat(apiGet("/api/channel").get("agent_error").isNull()).as("the agent error is gone").isTrue();
        assertThat(inbox("parked")).isEmpty();
        assertThat(inbox("pending")).isEmpty();
    }

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

            // 30 s pass for the channel; then the sender renews its lease while the server still holds the mail
            clock.advance(Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).until(() -> outbox.find(sending.id()).orElseThrow().leaseUntil()
                    .isAfter(firstLease));
            // past the first lease: another sender (the outbox timer, or another instance) finds nothing to send
            clock.advance(Duration.ofSeconds(45));
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

    HttpResponse<String> call(String body, String path, Map<String, String> headers) {
        try {
            return channel.api("POST", path, body, headers);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode find(JsonNode mails, String messageId) {
        for (JsonNode m : mails) {
            if (m.get("message_id").asText().equals(messageId)) {
                return m;
            }
        }
        throw new AssertionError("no mail " + messageId + " in " + mails);
    }

    /** A plain-text mail with exactly these header lines (CRLF line ends). */
    static byte[] raw(String headers, String body) {
        String text = headers + "\nDate: Tue, 1 Dec 2026 09:59:00 +0000\nMIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\n\n" + body + "\n";
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String fromAddress(MimeMessage m) {
        try {
            return ((InternetAddress) m.getFrom()[0]).getAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(MimeMessage m) {
        try {
            Object content = m.getContent();
            return content instanceof String s ? s : String.valueOf(content);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
