package dev.emailchannel.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sticky mailboxes and the rotation on embedded H2 and, when one is reachable, on PostgreSQL. */
class MailboxRotationTest {

    static final List<String> BOXES = List.of("support@acme.test", "sales@acme.test", "billing@acme.test");
    TestDatabases.TestDatabase db;
    final Instant now = Instant.parse("2026-11-24T05:00:00Z");

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    void open(String kind) {
        db = TestDatabases.open(kind);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_rotate_new_customers_and_keep_assigned_ones(String kind) {
        open(kind);
        MailboxRotation r = new MailboxRotation(db.dataSource(), "email");
        assertThat(List.of(r.assign("a@x.test", BOXES, null, now), r.assign("b@x.test", BOXES, null, now),
                r.assign("c@x.test", BOXES, null, now), r.assign("d@x.test", BOXES, null, now)))
                .containsExactly("support@acme.test", "sales@acme.test", "billing@acme.test", "support@acme.test");
        assertThat(r.assign("B@X.test", BOXES, null, now)).isEqualTo("sales@acme.test");
        assertThat(new MailboxRotation(db.dataSource(), "email").assign("e@x.test", BOXES, null, now))
                .as("the counter is in the database").isEqualTo("sales@acme.test");
        assertThat(new MailboxRotation(db.dataSource(), "other").assign("a@x.test", BOXES, null, now))
                .as("each connection has its own rotation and assignments").isEqualTo("support@acme.test");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_prefer_the_given_mailbox_for_a_new_customer_but_never_override_an_assignment(String kind) {
        open(kind);
        MailboxRotation r = new MailboxRotation(db.dataSource(), "email");
        assertThat(r.assign("a@x.test", BOXES, "BILLING@acme.test", now)).isEqualTo("billing@acme.test");
        assertThat(r.assign("a@x.test", BOXES, "sales@acme.test", now)).isEqualTo("billing@acme.test");
        assertThat(r.assign("b@x.test", BOXES, null, now)).as("preferred did not use the rotation")
                .isEqualTo("support@acme.test");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_reassign_a_customer_whose_mailbox_was_removed_from_the_connection(String kind) {
        open(kind);
        MailboxRotation r = new MailboxRotation(db.dataSource(), "email");
        assertThat(r.assign("a@x.test", BOXES, "billing@acme.test", now)).isEqualTo("billing@acme.test");
        assertThat(r.assign("a@x.test", BOXES.subList(0, 2), null, now)).isIn(BOXES.subList(0, 2));
        assertThat(r.assigned("a@x.test")).contains(r.assign("a@x.test", BOXES, null, now));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_spread_concurrent_new_customers_evenly(String kind) throws Exception {
        open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String customer = "c" + i + "@x.test";
            MailboxRotation r = new MailboxRotation(db.dataSource(), "email");
            results.add(pool.submit(() -> r.assign(customer, BOXES, null, now)));
        }
        List<String> boxes = new ArrayList<>();
        for (Future<String> f : results) {
            boxes.add(f.get());
        }
        pool.shutdown();
        for (String box : BOXES) {
            assertThat(Collections.frequency(boxes, box)).as(box).isEqualTo(20);
        }
    }
}
