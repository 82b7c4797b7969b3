package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The durable inbox on H2 and PostgreSQL: stored once, claimed once, one customer in order, failures by kind. */
class InboxTest {

    static final String BOX = "support@acme.test";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    static Inbox.NewMail mail(String key, String customer, Long uid) {
        return new Inbox.NewMail(BOX, key, "event-" + key, "<" + key + "@x>", customer, customer, "Subject " + key,
                uid == null ? null : 7L, uid, ("raw " + key).getBytes(), T0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_store_a_mail_once_and_know_its_uid(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            List<Inbox.Stored> first = inbox.store(List.of(mail("a", "jane@x", 10L), mail("b", "bob@x", 11L)), T0);
            assertThat(first).extracting(Inbox.Stored::isNew).containsExactly(true, true);
            List<Inbox.Stored> again = inbox.store(List.of(mail("a", "jane@x", null)), T0);
            assertThat(again.get(0).isNew()).isFalse();
            assertThat(again.get(0).id()).isEqualTo(first.get(0).id());
            assertThat(inbox.knownUids(BOX, 7L, List.of(10L, 11L, 12L))).containsExactlyInAnyOrder(10L, 11L);
            assertThat(inbox.knownUids(BOX, 8L, List.of(10L))).as("another UIDVALIDITY").isEmpty();
            assertThat(inbox.highestUid(BOX, 7L)).isEqualTo(11L);
            assertThat(inbox.highestUid(BOX, 8L)).as("nothing stored under another UIDVALIDITY").isNull();
            assertThat(inbox.highestUid("other@acme.test", 7L)).isNull();
            assertThat(new String(inbox.raw(first.get(1).id()))).isEqualTo("raw b");
            assertThat(inbox.pending()).isEqualTo(2);

            // one batch: a mail stored before, a new one that comes twice, and a known key in another mailbox
            Inbox.NewMail elsewhere = new Inbox.NewMail("other@acme.test", "a", "event-a2", "<a@x>", "jane@x",
                    "jane@x", "Subject a", null, null, "raw a".getBytes(), T0);
            List<Inbox.Stored> mixed = inbox.store(List.of(mail("b", "bob@x", null), mail("c", "carl@x", 12L),
                    mail("c", "carl@x", 12L), elsewhere), T0);
            assertThat(mixed).extracting(Inbox.Stored::isNew).containsExactly(false, true, false, true);
            assertThat(mixed.get(0).id()).isEqualTo(first.get(1).id());
            assertThat(mixed.get(2).id()).as("the same mail twice in one batch").isEqualTo(mixed.get(1).id());
            assertThat(mixed.get(3).id()).isNotIn(first.get(0).id(), first.get(1).id(), mixed.get(1).id());
            assertThat(inbox.pending()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_hand_a_just_stored_mail_to_its_first_reader_from_memory(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            byte[] large = new byte[300_000]; // over 256 KB: not kept
            java.util.Arrays.fill(large, (byte) 'x');
            byte[] buffer = "....raw a....".getBytes();
            List<Inbox.Stored> stored = inbox.store(List.of(new Inbox.NewMail(BOX, "a", "event-a", "<a@x>", "jane@x",
                    "jane@x", "Subject a", null, null, buffer, 4, 5, T0, null), new Inbox.NewMail(BOX, "big", "event-big",
                    "<big@x>", "jane@x", "jane@x", "Big", null, null, large, 0, large.length, T0, null)), T0);
            java.util.Arrays.fill(buffer, (byte) '-'); // the pickup reuses its buffers
            // the rows change behind the inbox's back, so that the test sees where each read came from
            try (java.sql.Connection c = db.dataSource().getConnection();
                 java.sql.PreparedStatement update = c.prepareStatement("UPDATE inbound SET raw = ?, size_bytes = 7")) {
                update.setBytes(1, "changed".getBytes());
                update.executeUpdate();
            }
            assertThat(new String(inbox.raw(stored.get(0).id()))).as("first read: kept").isEqualTo("raw a");
            assertThat(new String(inbox.raw(stored.get(0).id()))).as("then forgotten").isEqualTo("changed");
            assertThat(new String(inbox.raw(stored.get(1).id()))).as("a large mail").isEqualTo("changed");
            long b = inbox.store(List.of(mail("b", "bob@x", null)), T0).get(0).id();
            assertThat(new String(new Inbox(db.dataSource()).raw(b))).as("another instance reads the database")
                    .isEqualTo("raw b");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_know_stored_uids_far_apart_and_leave_out_those_not_asked(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            List<Inbox.NewMail> mails = new java.util.ArrayList<>();
            for (long uid : new long[] {1, 2, 3, 4, 5, 1_000, 5_000, 4_294_967_295L}) {
                mails.add(mail("m" + uid, "jane@x", uid));
            }
            inbox.store(mails, T0);
            // stored 3 and 5 lie inside the asked ranges, but are not asked: read on the server, not unread
            assertThat(inbox.knownUids(BOX, 7L, List.of(2L, 4L, 1_000L, 3_000L, 5_000L, 7_000L, 4_294_967_295L)))
                    .containsExactlyInAnyOrder(2L, 4L, 1_000L, 5_000L, 4_294_967_295L);
            assertThat(inbox.knownUids(BOX, 7L, List.of())).isEmpty();
            assertThat(inbox.knownUids("other@acme.test", 7L, List.of(1L, 2L))).as("another mailbox").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_claim_one_customer_in_order_and_customers_in_parallel(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("j1", "jane@x", null), mail("b1", "bob@x", null), mail("j2", "jane@x", null)),
                    T0);
            Inbox.Claim jane1 = inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow();
            Inbox.Claim bob1 = inbox.claimNext(List.of(BOX), "i2", T0, LEASE).orElseThrow();
            assertThat(jane1.mail().messageKey()).isEqualTo("j1");
            assertThat(bob1.mail().messageKey()).isEqualTo("b1");
            assertThat(inbox.claimNext(List.of(BOX), "i3", T0, LEASE)).as("jane's second waits for her first")
                    .isEmpty();
            assertThat(inbox.delivered(jane1, null, null, T0)).contains(0L);
            Inbox.Claim jane2 = inbox.claimNext(List.of(BOX), "i3", T0, LEASE).orElseThrow();
            assertThat(jane2.mail().messageKey()).isEqualTo("j2");
            assertThat(inbox.claimNext(List.of("other@acme.test"), "i4", T0, LEASE)).as("other connection")
                    .isEmpty();
        }
    }

    @Test
    void should_find_a_customers_first_pending_mail_without_reading_their_history() {
        try (TestDatabases.TestDatabase db = TestDatabases.open("h2")) {
            Inbox inbox = new Inbox(db.dataSource());
            List<Inbox.NewMail> history = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                history.add(mail("n" + i, "noreply@x", null));
            }
            inbox.store(history, T0);
            Jdbc jdbc = new Jdbc(db.dataSource());
            jdbc.update("UPDATE inbound SET state = ? WHERE message_key <> ?", Inbox.DELIVERED, "n39");

            // the claim rule's lookup (Inbox.firstPendingOfCustomer): the pending mail's index entry, not the sender's
            // 40 mails
            String plan = jdbc.query("EXPLAIN ANALYZE SELECT MIN(e.id) FROM inbound e WHERE e.customer = ? "
                    + "AND e.state = ? AND e.mailbox IN (?)", rs -> rs.getString(1), "noreply@x", Inbox.PENDING, BOX)
                    .get(0);
            Matcher scanned = Pattern.compile("scanCount: (\\d+)").matcher(plan);
            assertThat(plan).contains("IX_INBOUND_CUSTOMER_STATE");
            assertThat(scanned.find()).as(plan).isTrue();
            assertThat(Integer.parseInt(scanned.group(1))).as("index entries read (41 by (customer, id))")
                    .isLessThanOrEqualTo(2);
            assertThat(inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow().mail().messageKey())
                    .isEqualTo("n39");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_let_only_the_holder_of_a_claim_deliver(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            Outbox outbox = new Outbox(db.dataSource());
            inbox.store(List.of(mail("a", "jane@x", null)), T0);
            Inbox.Claim old = inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow();
            // the first dispatcher stalls past its lease; another takes the mail over
            Instant later = T0.plus(LEASE).plusSeconds(1);
            Inbox.Claim current = inbox.claimNext(List.of(BOX), "i2", later, LEASE).orElseThrow();
            assertThat(inbox.renew(old, later.plus(LEASE))).isFalse();
            Outbox.Draft reply = new Outbox.Draft(null, BOX, "<r@acme.test>", "jane@x", "Re: a", "raw".getBytes(),
                    null);
            assertThat(inbox.delivered(old, reply, null, later)).as("lost claim: nothing recorded").isEmpty();
            assertThat(outbox.due(later, 10)).as("no reply queued by the stale claim").isEmpty();
            Optional<Long> queued = inbox.delivered(current, reply, null, later);
            assertThat(queued).isPresent();
            assertThat(outbox.due(later, 10)).containsExactly(queued.get());
            assertThat(inbox.find(current.id()).orElseThrow().state()).isEqualTo(Inbox.DELIVERED);
            assertThat(inbox.find(current.id()).orElseThrow().attempts()).isEqualTo(2);
        }
    }

    @Test
    void should_tell_claims_apart_by_mail_and_token_only() {
        try (TestDatabases.TestDatabase db = TestDatabases.open("h2")) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("a", "jane@x", null), mail("b", "joe@x", null)), T0);
            Inbox.Claim claim = inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow();
            assertThat(inbox.renew(claim, T0.plus(LEASE).plusSeconds(5))).isTrue();
            Inbox.Mail later = inbox.find(claim.id()).orElseThrow(); // the same row, its lease renewed since
            assertThat(later).isNotEqualTo(claim.mail());
            Inbox.Claim same = new Inbox.Claim(later, claim.token());
            assertThat(same).isEqualTo(claim).hasSameHashCodeAs(claim);
            assertThat(new Inbox.Claim(claim.mail(), claim.token() + "x")).isNotEqualTo(claim);
            Inbox.Claim other = inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow();
            assertThat(new Inbox.Claim(other.mail(), claim.token())).isNotEqualTo(claim);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_keep_transient_failures_pending_and_park_a_mail_at_its_third_failure(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("a", "jane@x", null)), T0);
            Instant now = T0;
            for (int i = 0; i < 10; i++) {
                Inbox.Claim c = inbox.claimNext(List.of(BOX), "i1", now, LEASE).orElseThrow();
                Inbox.Failure kind2 = i % 2 == 0 ? Inbox.Failure.TRANSIENT : Inbox.Failure.AGENT_SETUP;
                Inbox.Mail after = inbox.failed(c, kind2, "HTTP 503", now.plusSeconds(5), now).orElseThrow();
                assertThat(after.state()).isEqualTo(Inbox.PENDING);
                assertThat(inbox.claimNext(List.of(BOX), "i1", now.plusSeconds(4), LEASE)).as("backoff").isEmpty();
                now = now.plusSeconds(5);
            }
            Inbox.Mail mail = null;
            for (int i = 0; i < 3; i++) {
                Inbox.Claim c = inbox.claimNext(List.of(BOX), "i1", now, LEASE).orElseThrow();
                mail = inbox.failed(c, Inbox.Failure.MAIL, "HTTP 422", now.plusSeconds(1), now).orElseThrow();
                now = now.plusSeconds(1);
            }
            assertThat(mail.state()).isEqualTo(Inbox.PARKED);
            assertThat(mail.failures()).isEqualTo(3);
            assertThat(mail.attempts()).isEqualTo(13);
            assertThat(inbox.claimNext(List.of(BOX), "i1", now, LEASE)).isEmpty();
            assertThat(inbox.list(new Inbox.Filter(Inbox.PARKED, null, null), 10, null)).hasSize(1);
            assertThat(inbox.retry(mail.id(), now)).isTrue();
            assertThat(inbox.retry(mail.id(), now)).as("not parked any more").isFalse();
            assertThat(inbox.claimNext(List.of(BOX), "i1", now, LEASE)).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_claim_several_mails_at_once_but_never_two_of_one_customer(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("j1", "jane@x", null), mail("j2", "jane@x", null), mail("b1", "bob@x", null),
                    mail("c1", "carl@x", null), mail("d1", "dora@x", null)), T0);

            List<Inbox.Claim> first = inbox.claim(List.of(BOX), "i1", T0, LEASE, 3);
            assertThat(first).extracting(c -> c.mail().messageKey()).containsExactly("j1", "b1", "c1");
            List<Inbox.Claim> rest = inbox.claim(List.of(BOX), "i2", T0, LEASE, 8);
            assertThat(rest).as("jane's second mail waits for her first").extracting(c -> c.mail().messageKey())
                    .containsExactly("d1");
            assertThat(inbox.claim(List.of(BOX), "i2", T0, LEASE, 0)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_make_a_released_claim_claimable_at_once_without_counting_it_as_an_attempt(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("j1", "jane@x", null), mail("j2", "jane@x", null)), T0);
            Inbox.Claim taken = inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow();
            assertThat(inbox.claimNext(List.of(BOX), "i2", T0, LEASE)).as("held").isEmpty();

            assertThat(inbox.release(taken)).isTrue();
            Inbox.Mail released = inbox.find(taken.id()).orElseThrow();
            assertThat(released.attempts()).isZero();
            assertThat(released.leaseOwner()).isNull();
            assertThat(released.state()).isEqualTo(Inbox.PENDING);
            assertThat(inbox.release(taken)).as("released once only").isFalse();

            Inbox.Claim again = inbox.claimNext(List.of(BOX), "i2", T0, LEASE).orElseThrow();
            assertThat(again.mail().messageKey()).as("jane's first, before her second").isEqualTo("j1");
            assertThat(again.mail().attempts()).isEqualTo(1);
            assertThat(inbox.release(taken)).as("a stale token releases nothing").isFalse();
            assertThat(inbox.delivered(again, null, null, T0)).isPresent();
            assertThat(inbox.release(again)).as("a finished mail is not released").isFalse();
            assertThat(inbox.find(again.id()).orElseThrow().attempts()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_pass_over_candidates_that_stopped_being_claimable_since_they_were_found(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("j1", "jane@x", null), mail("b1", "bob@x", null), mail("c1", "carl@x", null),
                    mail("d1", "dora@x", null)), T0);
            Inbox.Claim jane1 = inbox.claimNext(List.of(BOX), "i0", T0, LEASE).orElseThrow();
            for (int i = 0; i < 3; i++) { // jane's first mail parked
                inbox.failed(i == 0 ? jane1 : inbox.claimNext(List.of(BOX), "i0", T0, LEASE).orElseThrow(),
                        Inbox.Failure.MAIL, "cannot parse", T0, T0);
            }
            inbox.store(List.of(mail("j2", "jane@x", null)), T0);
            java.util.Queue<Long> found = new java.util.ArrayDeque<>(inbox.candidates(List.of(BOX), T0, 10));
            assertThat(found).as("jane's second mail is a candidate while her first is parked").hasSize(4);

            // meanwhile: another dispatcher takes bob's mail, and jane's parked mail is retried by an operator
            inbox.claim(new java.util.ArrayDeque<>(List.of(found.toArray(new Long[0])[0])), List.of(BOX), "i2", T0,
                    LEASE, 1); // b1, the oldest candidate
            inbox.retry(jane1.id(), T0);

            List<Inbox.Claim> claims = inbox.claim(found, List.of(BOX), "i1", T0, LEASE, 3);
            assertThat(claims).as("bob's taken, jane's second waits for her retried first")
                    .extracting(c -> c.mail().messageKey()).containsExactly("c1", "d1");
            assertThat(claims).allSatisfy(c -> assertThat(c.mail().leaseOwner()).isEqualTo(c.token()));
            assertThat(found).as("every candidate looked at is used up").isEmpty();
            assertThat(inbox.claim(List.of(BOX), "i1", T0, LEASE, 8)).extracting(c -> c.mail().messageKey())
                    .containsExactly("j1");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_not_let_a_parked_mail_block_the_customers_next_mail(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            inbox.store(List.of(mail("poison", "jane@x", null), mail("next", "jane@x", null)), T0);
            for (int i = 0; i < 3; i++) {
                Inbox.Claim c = inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow();
                assertThat(c.mail().messageKey()).isEqualTo("poison");
                inbox.failed(c, Inbox.Failure.MAIL, "cannot parse", T0, T0);
            }
            assertThat(inbox.claimNext(List.of(BOX), "i1", T0, LEASE).orElseThrow().mail().messageKey())
                    .isEqualTo("next");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_page_newest_first(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            for (int i = 0; i < 5; i++) {
                inbox.store(List.of(mail("m" + i, "c" + i + "@x", null)), T0);
            }
            List<Inbox.Mail> page1 = inbox.list(new Inbox.Filter(null, BOX, null), 2, null);
            List<Inbox.Mail> page2 = inbox.list(new Inbox.Filter(null, BOX, null), 2, page1.get(1).id());
            assertThat(page1).extracting(Inbox.Mail::messageKey).containsExactly("m4", "m3");
            assertThat(page2).extracting(Inbox.Mail::messageKey).containsExactly("m2", "m1");
            assertThat(inbox.list(new Inbox.Filter(null, null, "c0@x"), 10, null)).hasSize(1);
        }
    }

    /** Several dispatchers (threads, as instances would be) on one database: each mail once, each customer in order. */
    @ParameterizedTest
    @MethodSource("databases")
    void should_deliver_each_mail_once_and_each_customer_in_order_with_concurrent_dispatchers(String kind)
            throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Inbox inbox = new Inbox(db.dataSource());
            int customers = 6;
            int perCustomer = 5;
            for (int m = 0; m < perCustomer; m++) {
                for (int c = 0; c < customers; c++) {
                    inbox.store(List.of(mail("c" + c + "-" + m, "c" + c + "@x", null)), T0);
                }
            }
            Map<String, List<String>> delivered = new ConcurrentHashMap<>();
            Set<String> inFlight = ConcurrentHashMap.newKeySet();
            List<String> overlaps = new CopyOnWriteArrayList<>();
            AtomicInteger done = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String owner = "instance-" + w;
                workers.add(pool.submit(() -> {
                    while (done.get() < customers * perCustomer) {
                        Optional<Inbox.Claim> c = inbox.claimNext(List.of(BOX), owner, Instant.now(), LEASE);
                        if (c.isEmpty()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        String customer = c.get().mail().customer();
                        if (!inFlight.add(customer)) {
                            overlaps.add(customer);
                        }
                        delivered.computeIfAbsent(customer, k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(c.get().mail().messageKey());
                        inFlight.remove(customer);
                        assertThat(inbox.delivered(c.get(), null, null, Instant.now())).isPresent();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            pool.shutdown();
            assertThat(overlaps).as("one customer's mails never at once").isEmpty();
            assertThat(delivered).hasSize(customers);
            for (int c = 0; c < customers; c++) {
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < perCustomer; m++) {
                    expected.add("c" + c + "-" + m);
                }
                assertThat(delivered.get("c" + c + "@x")).as("customer c%d in order, once each", c)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void should_keep_large_mails_intact_in_an_h2_file_database(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // inline VARBINARY rows of this size broke H2's page store ("Illegal page length", or an OutOfMemoryError
        // that closed the database): raw mails are BLOBs in H2
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("db"), null, null)) {
            Inbox inbox = new Inbox(db.dataSource());
            byte[] big = new byte[13_700_000];
            new java.util.Random(13).nextBytes(big);
            List<Long> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                big[0] = (byte) i;
                ids.add(inbox.store(List.of(new Inbox.NewMail(BOX, "big" + i, "event-big" + i, "<big" + i + "@x>",
                        "jane@x", "jane@x", "Big", null, null, big.clone(), T0)), T0).get(0).id());
            }
            for (int i = 0; i < 4; i++) {
                byte[] read = inbox.raw(ids.get(i));
                big[0] = (byte) i;
                assertThat(java.util.Arrays.equals(read, big)).as("mail " + i + " intact").isTrue();
            }
            // a row whose recorded size is missing (0, as the V4 migration left parked mails), too small or too large
            for (long recorded : new long[] {0, 1000, big.length + 1000L}) {
                try (java.sql.Connection c = db.dataSource().getConnection()) {
                    c.createStatement().executeUpdate("UPDATE inbound SET size_bytes = " + recorded + " WHERE id = "
                            + ids.get(3));
                }
                big[0] = 3;
                assertThat(java.util.Arrays.equals(inbox.raw(ids.get(3)), big)).as("size recorded " + recorded)
                        .isTrue();
            }
            try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.ResultSet rs = c.createStatement()
                    .executeQuery("SELECT TABLE_NAME, DATA_TYPE, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS "
                            + "WHERE COLUMN_NAME = 'RAW' AND TABLE_NAME IN ('INBOUND', 'OUTBOX') ORDER BY 1")) {
                List<String> columns = new java.util.ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
                assertThat(columns).containsExactly("INBOUND BINARY LARGE OBJECT NO", "OUTBOX BINARY LARGE OBJECT NO");
            }
        }
    }
}
