package dev.emailchannel.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dispatcher on a real inbox (H2, and PostgreSQL where it runs): customer order and concurrency, and the mails
 * it claims ahead of its workers — given back when the agent turns slow and at stop, never counted as attempts.
 */
class DispatcherTest {

    static final String BOX = "support@acme.test";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    /** Pending mails of the stalling tests, one per customer. */
    static final int MAILS = 200;

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    static void store(Inbox inbox, int mails, int customers) {
        List<Inbox.NewMail> batch = new ArrayList<>();
        for (int m = 0; m < mails; m++) {
            String key = "m" + m;
            String customer = "c" + (m % customers) + "@x";
            batch.add(new Inbox.NewMail(BOX, key, "event-" + key, "<" + key + "@x>", customer, customer, key, null,
                    null, ("raw " + key).getBytes(), T0));
        }
        inbox.store(batch, T0);
    }

    /** Records each call; one customer's mails must never be with it at once. */
    static final class Agent {
        final Map<String, List<String>> byCustomer = new ConcurrentHashMap<>();
        final Set<String> busy = ConcurrentHashMap.newKeySet();
        final List<String> overlaps = new CopyOnWriteArrayList<>();
        final List<Long> handled = new CopyOnWriteArrayList<>();

        void call(Inbox inbox, Inbox.Claim claim) {
            String customer = claim.mail().customer();
            if (!busy.add(customer)) {
                overlaps.add(customer);
            }
            byCustomer.computeIfAbsent(customer, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(claim.mail().messageKey());
            handled.add(claim.id());
            busy.remove(customer);
            inbox.delivered(claim, null, null, Instant.now());
        }
    }

    /**
     * {@link #MAILS} pending mails, one per customer, and a dispatcher of two workers that always holds two mails claimed
     * ahead ({@link ClaimAhead#fixed}: the channel's own choice, by the agent's pace, made the test depend on the
     * machine's speed, and it timed out in full builds), whose agent turns slow once the dispatcher holds mails claimed
     * ahead: from the first call that sees some, every call waits for {@code answer} (the mail noted in {@code stuck}).
     * Once both workers wait, nothing takes those mails but a give-back.
     */
    static final class Stalling {
        final Inbox inbox;
        final Agent agent = new Agent();
        final CountDownLatch answer = new CountDownLatch(1);
        final List<Long> stuck = new CopyOnWriteArrayList<>();
        final Dispatcher dispatcher;

        Stalling(TestDatabases.TestDatabase db, String owner) {
            inbox = new Inbox(db.dataSource());
            store(inbox, MAILS, MAILS);
            AtomicReference<Dispatcher> self = new AtomicReference<>();
            self.set(new Dispatcher(inbox, List.of(BOX), owner, 2, ClaimAhead.fixed(2), Clock.systemUTC(), claim -> {
                // every call after the first stuck one waits too: the second worker's own look for mails held ahead
                // would race with the claiming thread's top-up (it has just taken one of them)
                if (!stuck.isEmpty() || self.get().claimedAhead() > 0) {
                    stuck.add(claim.id());
                    answer.await();
                }
                agent.call(inbox, claim);
            }));
            dispatcher = self.get();
        }

        /**
         * Starts the dispatcher and waits until both workers wait for the agent, with mails claimed ahead (the claiming
         * thread tops them up as it hands the second worker one of them).
         */
        void startUntilStalled() {
            dispatcher.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                    .until(() -> stuck.size() == 2 && dispatcher.claimedAhead() > 0);
        }
    }

    static long count(Inbox inbox, String state) {
        return inbox.list(new Inbox.Filter(state, null, null), 10_000, null).size();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_deliver_every_mail_once_in_customer_order_and_count_one_attempt_each(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            store(inbox, 400, 40); // ten mails of each of 40 customers, interleaved
            Agent agent = new Agent();
            Dispatcher dispatcher = new Dispatcher(inbox, List.of(BOX), "i1", 4, Clock.systemUTC(),
                    claim -> agent.call(inbox, claim));
            dispatcher.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> agent.handled.size() >= 400);
            } finally {
                dispatcher.stop(Duration.ofSeconds(5));
            }
            assertThat(agent.overlaps).as("one customer's mails never at once").isEmpty();
            assertThat(agent.handled).as("each mail once").hasSize(400).doesNotHaveDuplicates();
            for (int c = 0; c < 40; c++) {
                List<String> expected = new ArrayList<>();
                for (int m = c; m < 400; m += 40) {
                    expected.add("m" + m);
                }
                assertThat(agent.byCustomer.get("c" + c + "@x")).as("customer c%d in order", c)
                        .containsExactlyElementsOf(expected);
            }
            assertThat(inbox.list(new Inbox.Filter(null, null, null), 1000, null))
                    .as("a claim taken ahead and handed to a worker is one attempt")
                    .allSatisfy(m -> assertThat(m.attempts()).isEqualTo(1));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_give_mails_claimed_ahead_to_another_dispatcher_when_its_agent_turns_slow(String kind)
            throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Stalling first = new Stalling(db, "first"); // its agent stops answering once it holds mails claimed ahead
            Inbox inbox = first.inbox;
            Agent agent = first.agent;
            Dispatcher second = new Dispatcher(inbox, List.of(BOX), "second", 4, Clock.systemUTC(),
                    claim -> agent.call(inbox, claim));
            try {
                first.startUntilStalled();
                second.start();
                // every other mail — those the first holds claimed ahead too — is delivered by the second long before
                // the claims would run out (30 s; the first renews them meanwhile)
                await().atMost(Duration.ofSeconds(20)).until(() -> agent.handled.size() == MAILS - 2);
                assertThat(first.dispatcher.claimedAhead()).isZero();
            } finally {
                first.answer.countDown();
                second.stop(Duration.ofSeconds(5));
                first.dispatcher.stop(Duration.ofSeconds(5));
            }
            assertThat(count(inbox, Inbox.DELIVERED)).isEqualTo(MAILS);
            assertThat(agent.handled).as("each mail once").hasSize(MAILS).doesNotHaveDuplicates();
            assertThat(inbox.list(new Inbox.Filter(null, null, null), 10_000, null))
                    .as("a claim given back is no attempt").allSatisfy(m -> assertThat(m.attempts()).isEqualTo(1));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_give_back_the_mails_claimed_ahead_at_stop(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Stalling stalling = new Stalling(db, "i1");
            Dispatcher dispatcher = stalling.dispatcher;
            Thread stopping = new Thread(() -> dispatcher.stop(Duration.ofSeconds(10)));
            try {
                stalling.startUntilStalled();
                stopping.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.claimedAhead() == 0);
            } finally {
                stalling.answer.countDown(); // the two calls in flight finish during the stop
                stopping.join(20_000);
            }
            List<Inbox.Mail> pending = stalling.inbox.list(new Inbox.Filter(Inbox.PENDING, null, null), 10_000, null);
            assertThat(pending).as("mails left for the next start").isNotEmpty();
            assertThat(pending).as("claimable at once by any dispatcher, no attempt counted")
                    .allSatisfy(m -> {
                        assertThat(m.leaseOwner()).isNull();
                        assertThat(m.attempts()).isZero();
                    });
            assertThat(stalling.agent.handled).as("the calls in flight finished")
                    .contains(stalling.stuck.get(0), stalling.stuck.get(1))
                    .hasSize(MAILS - pending.size());
        }
    }
}
