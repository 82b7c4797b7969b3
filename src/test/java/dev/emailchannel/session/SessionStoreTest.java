package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sessions, delivery ledger and outbox on embedded H2 and, when one is reachable, on PostgreSQL. */
class SessionStoreTest {

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    static TestDatabases.TestDatabase open(String kind) {
        return TestDatabases.open(kind);
    }

    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final EmailAddress JANE = new EmailAddress("Jane@Example.com", "Jane");

    @ParameterizedTest
    @MethodSource("databases")
    void should_keep_one_open_session_per_customer_regardless_of_case(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = open(kind)) {
            SessionStore store = new SessionStore(db.dataSource(), "email", Duration.ofDays(7));
            SessionRef first = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0);
            SessionRef second = store.openOrJoin(EmailAddress.of("jane@example.COM"), "sales@acme.test", "INBOUND",
                    T0.plusSeconds(60));
            assertThat(first.isNew()).isTrue();
            assertThat(second.isNew()).isFalse();
            assertThat(second.id()).isEqualTo(first.id());
            assertThat(second.mailbox()).isEqualTo("support@acme.test");
            assertThat(new SessionStore(db.dataSource(), "other-connection", Duration.ofDays(7))
                    .openOrJoin(JANE, "x@acme.test", "INBOUND", T0).id()).isNotEqualTo(first.id());
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_open_a_new_session_after_idle_timeout_or_close(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = open(kind)) {
            SessionStore store = new SessionStore(db.dataSource(), "email", Duration.ofHours(1));
            SessionRef first = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0);
            SessionRef afterIdle = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0.plus(Duration.ofHours(2)));
            assertThat(afterIdle.isNew()).isTrue();
            assertThat(store.session(first.id()).orElseThrow().status()).isEqualTo(SessionStore.CLOSED);
            assertThat(store.close(afterIdle.id(), T0.plus(Duration.ofHours(3)))).isTrue();
            assertThat(store.close(afterIdle.id(), T0.plus(Duration.ofHours(3)))).isFalse();
            assertThat(store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0.plus(Duration.ofHours(3))).isNew())
                    .isTrue();
            assertThat(store.sessions("jane@example.com", "CLOSED")).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_open_one_session_when_many_threads_race(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = open(kind)) {
            SessionStore store = new SessionStore(db.dataSource(), "email", Duration.ofDays(7));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<SessionRef>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                results.add(pool.submit(() -> store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0)));
            }
            var ids = ConcurrentHashMap.<String>newKeySet();
            for (Future<SessionRef> f : results) {
                ids.add(f.get().id());
            }
            pool.shutdown();
            assertThat(ids).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_store_messages_in_order_with_attachments(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = open(kind)) {
            SessionStore store = new SessionStore(db.dataSource(), "email", Duration.ofDays(7));
            SessionRef s = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0);
            store.addMessage(new StoredMessage(0, s.id(), "IN", "support@acme.test", "<a@x>", null, null,
                    JANE.address(), "Jane", null, "support@acme.test", "Hi", "Hello", null, T0, List.of(
                            new StoredMessage.StoredAttachment("a.pdf", "application/pdf", 10, "abc", null),
                            new StoredMessage.StoredAttachment("big.zip", null, 99, null, "too_large"))));
            store.addMessage(new StoredMessage(0, s.id(), "OUT", "support@acme.test", "<b@acme.test>", "<a@x>",
                    "<a@x>", "support@acme.test", null, null, JANE.address(), "Re: Hi", "Hello Jane", null,
                    T0.plusSeconds(5), List.of()));
            var messages = store.messages(s.id());
            assertThat(messages).extracting(StoredMessage::direction).containsExactly("IN", "OUT");
            assertThat(messages.get(0).attachments()).extracting(StoredMessage.StoredAttachment::filename)
                    .containsExactly("a.pdf", "big.zip");
            assertThat(store.receivedFileHashes(s.id(), -1)).containsExactly("abc");
            assertThat(store.receivedFileHashes(s.id(), messages.get(0).id())).isEmpty();
            // the same answers when asked file by file (read at the first question)
            assertThat(store.receivedFiles(s.id(), -1)).accepts("abc").rejects("other", "skipped");
            assertThat(store.receivedFiles(s.id(), messages.get(0).id())).rejects("abc");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_give_a_customers_latest_mails_with_the_reply_each_answers_across_sessions(String kind) {
        try (TestDatabases.TestDatabase db = open(kind)) {
            SessionStore store = new SessionStore(db.dataSource(), "email", Duration.ofDays(7));
            SessionStore otherConnection = new SessionStore(db.dataSource(), "other", Duration.ofDays(7));
            EmailAddress bob = new EmailAddress("bob@example.com", "Bob");
            SessionRef first = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0);
            SessionRef bobs = store.openOrJoin(bob, "support@acme.test", "INBOUND", T0);
            store.addMessage(message(first, "IN", "<j1@x>", null, T0));
            store.addMessage(message(bobs, "IN", "<b1@x>", null, T0.plusSeconds(1)));
            store.addMessage(message(first, "OUT", "<r1@acme.test>", "<j1@x>", T0.plusSeconds(5)));
            store.addMessage(message(first, "IN", "<j2@x>", "<r1@acme.test>", T0.plusSeconds(20)));
            store.addMessage(message(bobs, "IN", "<b2@x>", null, T0.plusSeconds(30)));
            store.close(first.id(), T0.plusSeconds(40));
            SessionRef second = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0.plusSeconds(100));
            store.addMessage(message(second, "IN", "<j3@x>", "<r1@acme.test>", T0.plusSeconds(100)));
            SessionRef elsewhere = otherConnection.openOrJoin(JANE, "sales@acme.test", "INBOUND", T0.plusSeconds(200));
            otherConnection.addMessage(message(elsewhere, "IN", "<o1@x>", null, T0.plusSeconds(200)));

            // newest first; a mail answers our reply only within its session (j3 quotes r1 from a closed one)
            assertThat(store.latestRounds("JANE@example.com", 8)).containsExactly(
                    new SessionStore.Round(T0.plusSeconds(100), null),
                    new SessionStore.Round(T0.plusSeconds(20), T0.plusSeconds(5)),
                    new SessionStore.Round(T0, null));
            assertThat(store.latestRounds("jane@example.com", 2)).extracting(SessionStore.Round::receivedAt)
                    .containsExactly(T0.plusSeconds(100), T0.plusSeconds(20));
            assertThat(store.latestRounds("nobody@example.com", 8)).isEmpty();
        }
    }

    private static StoredMessage message(SessionRef session, String direction, String messageId, String inReplyTo,
            Instant at) {
        return new StoredMessage(0, session.id(), direction, "support@acme.test", messageId, inReplyTo, inReplyTo,
                direction.equals("IN") ? "customer@example.com" : "support@acme.test", null, null, null, "Hi", "Hello",
                null, at, List.of());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_close_only_the_sessions_idle_past_the_timeout(String kind) {
        try (TestDatabases.TestDatabase db = open(kind)) {
            SessionStore store = new SessionStore(db.dataSource(), "email", Duration.ofHours(1));
            SessionStore other = new SessionStore(db.dataSource(), "other", Duration.ofHours(1));
            SessionRef idle = store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0);
            SessionRef active = store.openOrJoin(new EmailAddress("bob@example.com", "Bob"), "support@acme.test",
                    "INBOUND", T0.plus(Duration.ofMinutes(50)));
            SessionRef closed = store.openOrJoin(new EmailAddress("carl@example.com", "Carl"), "support@acme.test",
                    "INBOUND", T0);
            store.close(closed.id(), T0.plusSeconds(1));
            SessionRef elsewhere = other.openOrJoin(JANE, "sales@acme.test", "INBOUND", T0);

            assertThat(store.closeIdle(T0.plus(Duration.ofMinutes(90)))).isEqualTo(1);
            assertThat(store.session(idle.id()).orElseThrow().status()).isEqualTo(SessionStore.CLOSED);
            assertThat(store.session(active.id()).orElseThrow().status()).isEqualTo(SessionStore.OPEN);
            assertThat(store.session(closed.id()).orElseThrow().closedAt()).as("closed before, left as it was")
                    .isEqualTo(T0.plusSeconds(1));
            assertThat(other.session(elsewhere.id()).orElseThrow().status()).as("another connection's")
                    .isEqualTo(SessionStore.OPEN);
            assertThat(store.openOrJoin(JANE, "support@acme.test", "INBOUND", T0.plus(Duration.ofMinutes(91))).id())
                    .as("the customer's next mail opens a new session").isNotEqualTo(idle.id());
            assertThat(store.closeIdle(T0.plus(Duration.ofMinutes(90)))).isZero();
        }
    }
}
