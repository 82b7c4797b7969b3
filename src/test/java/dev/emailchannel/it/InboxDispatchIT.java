package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.MailClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The durable inbox and its dispatcher (SPEC §4) over real servers. What {@link ChannelGreenMailIT} shows
 * already (a 12-mail burst, held replies, parking after three 422s, pending while the agent fails) is not repeated
 * here.
 */
class InboxDispatchIT extends ChannelOnGreenMail {

    @Test
    void should_answer_24_customers_in_parallel_and_one_customer_s_mails_in_order_one_at_a_time() throws Exception {
        agent.delay(Duration.ofSeconds(2)).answerWith(e -> Answer.reply("About \"" + text(e) + "\": on it."));
        String regular = customer(0);
        // 26 mails from 24 customers at once, waiting when the channel starts (so that how fast this test can send
        // does not matter); customer 0 wrote three of them, first, in the middle and last
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            String from = i == 0 || i == 12 || i == 25 ? regular : customer(i < 12 ? i : i - 1);
            String body = from.equals(regular) ? "Step " + (sent.stream().filter(regular::equals).count() + 1)
                    : "Question from " + from;
            client.send(from, SUPPORT, "Hello", body, Map.of());
            sent.add(from);
        }
        start(settings());

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
        System.out.printf("InboxDispatchIT: at most %d agent calls in flight at once; %d calls of 2 s from the first "
                + "start to the last answer: %.1f s%n", agent.maxInFlight(), calls.size(), (calls.stream()
                .mapToLong(FakeAgent.Call::answeredNanos).max().orElse(0) - calls.stream()
                .mapToLong(FakeAgent.Call::startedNanos).min().orElse(0)) / 1e9);
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
    void should_keep_mails_through_an_unusable_agent_url_and_a_restart_and_answer_each_once_when_fixed()
            throws Exception {
        Map<String, String> s = settings("postgresql");
        s.put("AGENT_URL", "kafka:orders"); // a Camel endpoint whose component is not on the class path
        start(s);
        for (int i = 1; i <= 2; i++) {
            client.send(customer(i), SUPPORT, "Hello " + i, "Question " + i, Map.of());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode pending = inbox("pending");
            return pending.size() == 2 && StreamSupport.stream(pending.spliterator(), false)
                    .allMatch(m -> m.get("attempts").asInt() >= 1) && !apiGet("/api/channel").get("agent_error")
                    .isNull();
        });
        assertThat(apiGet("/api/channel").get("agent_error").asText()).contains("kafka");
        assertThat(inbox("parked")).isEmpty();
        // the mails are the channel's: read on the server, kept in PostgreSQL across a restart
        assertThat(client.inbox(SUPPORT, "support-pw")).hasSize(2).allMatch(MailClient.Mail::seen);
        channel.close();
        channel = null;

        s.put("AGENT_URL", agent.url());
        start(s);
        await().atMost(Duration.ofSeconds(60)).until(() -> inbox("delivered").size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> repliesTo(customer(1)).size() + repliesTo(customer(2))
                .size() == 2);
        assertThat(agent.requests()).as("each mail reached the agent once").hasSize(2)
                .extracting(r -> text(r.event())).containsExactlyInAnyOrder("Question 1", "Question 2");
        assertThat(repliesTo(customer(1))).hasSize(1);
        assertThat(repliesTo(customer(2))).hasSize(1);
        assertThat(apiGet("/api/channel").get("agent_error").isNull()).isTrue();
    }
}
