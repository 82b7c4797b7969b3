package dev.emailchannel.it;

import static dev.emailchannel.testing.RealMailServers.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable inbox (SPEC §4) with the packaged jar against real Dovecot + Postfix and PostgreSQL: a kill -9 during
 * dispatch loses no mail and doubles no reply, and two instances polling one mailbox answer each mail once. Each
 * customer is a Dovecot mailbox of its own, so the replies are counted where the customers read them.
 */
class InboxCrashIT {

    static final int CUSTOMERS = 30;
    /** A dispatcher's claim runs out 30 s after a crash (Dispatcher.LEASE); then the mail is delivered again. */
    static final Duration REPLIES = Duration.ofSeconds(120);

    @TempDir
    Path work;
    FakeAgent agent;
    String schema;
    final List<ChannelProcess> channels = new ArrayList<>();

    @BeforeEach
    void agent() throws Exception {
        agent = new FakeAgent().answerWith(event -> {
            sleep(1000); // slow-ish: the mails of a burst are with the agent for a while, several at once
            return FakeAgent.Answer.reply("Thanks for mail " + event.path("subject").asText());
        });
        schema = TestDatabases.postgresSchema();
    }

    @AfterEach
    void stop() throws Exception {
        for (ChannelProcess c : channels) {
            c.close();
        }
        agent.close();
        TestDatabases.dropPostgresSchema(schema);
    }

    /** cust00@example.test … cust29@example.test: Dovecot mailboxes, emptied. */
    static List<String> customers(RealMailServers servers) {
        List<RealMailServers.User> users = IntStream.range(0, CUSTOMERS)
                .mapToObj(i -> new RealMailServers.User(String.format("cust%02d@%s", i, RealMailServers.DOMAIN),
                        "cust-" + i, null)).toList();
        servers.addUsers(users);
        List<String> addresses = users.stream().map(RealMailServers.User::address).toList();
        addresses.forEach(servers::clear);
        return addresses;
    }

    Map<String, String> env(RealMailServers servers) {
        Map<String, String> env = servers.channelEnv(ALICE);
        env.put("CHECK_INTERVAL", "1");
        env.put("AGENT_URL", agent.url());
        env.put("DATABASE_URL", TestDatabases.postgresUrl(schema));
        return env;
    }

    ChannelProcess start(RealMailServers servers, String name) throws Exception {
        ChannelProcess c = ChannelProcess.start(work.resolve(name), env(servers), servers.trustStore());
        channels.add(c);
        return c;
    }

    /** One mail from each customer to the channel's mailbox; returns customer → Message-ID. */
    static Map<String, String> writeToChannel(RealMailServers servers, List<String> customers, String subject) {
        Map<String, String> sent = new LinkedHashMap<>();
        for (String customer : customers) {
            sent.put(customer, servers.deliverText(customer, ALICE, subject + " " + customer, "Where is my order?"));
        }
        return sent;
    }

    /**
     * Waits until every customer holds a reply — or, where {@code channel} is given, has the reply held in doubt (the
     * kill came while the mail server was taking it: listed for an operator, never sent twice) —, lets stragglers
     * arrive, then returns the replies per customer. On timeout, names the customers still waiting.
     */
    static Map<String, Integer> repliesPerCustomer(RealMailServers servers, Map<String, String> sent,
            ChannelProcess channel) throws Exception {
        try {
            await().atMost(REPLIES).pollInterval(Duration.ofSeconds(1)).until(() -> waiting(servers, sent, channel)
                    .isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String log = channel == null ? "" : channel.log();
            throw new AssertionError("no reply, none held in doubt, after " + REPLIES.toSeconds() + " s for "
                    + waiting(servers, sent, channel) + "; held: " + heldInDoubt(channel) + "; the channel's log ends: "
                    + log.substring(Math.max(0, log.length() - 6000)), e);
        }
        Thread.sleep(5000); // a doubled reply would be on its way by now
        Map<String, Integer> replies = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sent.entrySet()) {
            replies.put(e.getKey(), (int) servers.messages(e.getKey()).stream()
                    .filter(m -> m.rawText().contains("In-Reply-To: " + e.getValue())).count());
            assertThat(servers.count(e.getKey())).as("mails in %s's mailbox", e.getKey()).isEqualTo(replies.get(e.getKey()));
        }
        return replies;
    }

    static Set<String> waiting(RealMailServers servers, Map<String, String> sent, ChannelProcess channel) {
        Set<String> held = heldInDoubt(channel);
        return sent.entrySet().stream().filter(e -> !held.contains(e.getKey()) && servers.messages(e.getKey()).stream()
                .noneMatch(m -> m.rawText().contains("In-Reply-To: " + e.getValue()))).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** The customers whose reply the channel holds in doubt (none when {@code channel} is null). */
    static Set<String> heldInDoubt(ChannelProcess channel) {
        return channel == null ? Set.of() : channel.heldInDoubt("");
    }

    /** Every message the agent saw, with the event ids it was given: a retried delivery keeps its event_id. */
    Map<String, Set<String>> eventIdsPerMessage() {
        return agent.requests().stream().collect(Collectors.groupingBy(r -> r.event().path("message_id").asText(),
                Collectors.mapping(r -> r.event().path("event_id").asText(), Collectors.toSet())));
    }

    @Test
    void should_answer_each_of_30_customers_exactly_once_across_a_kill_9_during_dispatch() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(ALICE);
        List<String> customers = customers(servers);
        ChannelProcess first = start(servers, "first");
        first.awaitStatus("RUNNING");

        Map<String, String> sent = writeToChannel(servers, customers, "Order");
        // mid-dispatch: some mails answered, several with the agent right now, the rest waiting in the inbox
        await().atMost(REPLIES).pollInterval(Duration.ofMillis(50)).until(() -> agent.requests().size() >= 10);
        int seenBeforeKill = agent.requests().size();
        first.kill();
        assertThat(seenBeforeKill).as("the kill came during dispatch").isLessThan(CUSTOMERS);

        ChannelProcess second = start(servers, "second");
        second.awaitStatus("RUNNING");
        Map<String, Integer> replies = repliesPerCustomer(servers, sent, second);

        Set<String> held = heldInDoubt(second);
        // a reply held in doubt may or may not have reached its customer; it is never sent a second time
        assertThat(replies).as("replies per customer (held in doubt: %s)", held).allSatisfy((customer, n) ->
                assertThat(n).isBetween(held.contains(customer) ? 0 : 1, 1));
        Map<String, Set<String>> events = eventIdsPerMessage();
        assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(sent.values());
        assertThat(events).as("a mail delivered again keeps its event_id")
                .allSatisfy((messageId, ids) -> assertThat(ids).hasSize(1));
        assertThat(servers.unseenCount(ALICE)).isZero();
    }

    @Test
    void should_answer_each_mail_once_with_two_instances_polling_one_mailbox_on_one_database() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(ALICE);
        List<String> customers = customers(servers);
        ChannelProcess one = start(servers, "one");
        ChannelProcess two = start(servers, "two"); // both migrate the fresh schema at the same time
        one.awaitStatus("RUNNING");
        two.awaitStatus("RUNNING");

        Map<String, String> sent = writeToChannel(servers, customers, "Invoice");
        Map<String, Integer> replies = repliesPerCustomer(servers, sent, null);

        assertThat(replies).as("replies per customer").allSatisfy((customer, n) -> assertThat(n).isEqualTo(1));
        assertThat(agent.requests()).as("each mail reached the agent once").hasSize(CUSTOMERS);
        assertThat(eventIdsPerMessage().keySet()).containsExactlyInAnyOrderElementsOf(sent.values());
        JsonNode inbox = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                one.api("GET", "/api/inbox?limit=100", null).body());
        assertThat(inbox.path("mails")).as("the one inbox both instances share: " + inbox).hasSize(CUSTOMERS);
        String both = one.log() + two.log();
        assertThat(both).doesNotContain("could not be handled");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
