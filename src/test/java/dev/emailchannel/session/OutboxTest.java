package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The outbox on H2 and PostgreSQL: claims with leases, outcomes by the claim's holder only, held and cancelled mail. */
class OutboxTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(60);

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    static Outbox.Draft draft(String id, String hold) {
        return new Outbox.Draft("s1", "support@acme.test", "<" + id + "@acme.test>", "Jane@Example.com", "Re: x",
                "raw".getBytes(), hold);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_claim_once_renew_and_record_only_by_the_holder(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Outbox outbox = new Outbox(db.dataSource());
            long id = outbox.enqueue(draft("a", null), T0);
            Outbox.Claim first = outbox.claim(id, "i1", T0, LEASE).orElseThrow();
            assertThat(outbox.claim(id, "i2", T0.plusSeconds(30), LEASE)).as("held by i1").isEmpty();
            assertThat(outbox.renew(first, T0.plusSeconds(120))).isTrue();
            assertThat(outbox.claim(id, "i2", T0.plusSeconds(90), LEASE)).as("renewed").isEmpty();
            Outbox.Claim second = outbox.claim(id, "i2", T0.plusSeconds(121), LEASE).orElseThrow();
            assertThat(outbox.sent(first, T0.plusSeconds(122))).as("the stale claim records nothing").isFalse();
            assertThat(outbox.sent(second, T0.plusSeconds(122))).isTrue();
            Outbox.Entry sent = outbox.find(id).orElseThrow();
            assertThat(sent.status()).isEqualTo(Outbox.SENT);
            assertThat(sent.leaseOwner()).isNull();
            assertThat(outbox.queuedOrSentTo("jane@example.com", T0)).isEqualTo(1);
            assertThat(outbox.queuedOrSentTo("JANE@EXAMPLE.COM", T0)).as("any case").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_back_off_defer_provider_limits_and_fail_permanent_refusals(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Outbox outbox = new Outbox(db.dataSource());
            long id = outbox.enqueue(draft("a", null), T0);
            Outbox.Entry temporary = outbox.failed(outbox.claim(id, "i1", T0, LEASE).orElseThrow(),
                    Outbox.Failure.TEMPORARY, "451 try later", T0).orElseThrow();
            assertThat(temporary.status()).isEqualTo(Outbox.PENDING);
            assertThat(temporary.nextAttemptAt()).isEqualTo(T0.plusSeconds(4));
            Instant t1 = temporary.nextAttemptAt();
            Outbox.Entry limited = outbox.failed(outbox.claim(id, "i1", t1, LEASE).orElseThrow(),
                    Outbox.Failure.PROVIDER_LIMIT, "550 5.4.5 Daily user sending limit exceeded", t1).orElseThrow();
            assertThat(limited.status()).isEqualTo(Outbox.PENDING);
            assertThat(Duration.between(t1, limited.nextAttemptAt())).isGreaterThanOrEqualTo(Duration.ofMinutes(10));
            Instant t2 = limited.nextAttemptAt();
            Outbox.Entry failed = outbox.failed(outbox.claim(id, "i1", t2, LEASE).orElseThrow(),
                    Outbox.Failure.PERMANENT, "550 no such user", t2).orElseThrow();
            assertThat(failed.status()).isEqualTo(Outbox.FAILED);
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(outbox.retry(id, t2)).isTrue();
            assertThat(outbox.find(id).orElseThrow().status()).isEqualTo(Outbox.PENDING);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_keep_held_mail_until_released_and_cancel_what_is_not_sent(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Outbox outbox = new Outbox(db.dataSource());
            long held = outbox.enqueue(draft("h", "mail loop guard: 30 replies"), T0);
            long pending = outbox.enqueue(draft("p", null), T0);
            assertThat(outbox.due(T0, 10)).containsExactly(pending);
            assertThat(outbox.find(held).orElseThrow().holdReason()).contains("loop guard");
            assertThat(outbox.count(Outbox.HELD)).isEqualTo(1);
            assertThat(outbox.queuedOrSentTo("jane@example.com", T0)).as("held mail does not count").isEqualTo(1);
            assertThat(outbox.release(held, T0)).isTrue();
            assertThat(outbox.release(held, T0)).isFalse();
            assertThat(outbox.due(T0, 10)).containsExactly(held, pending);
            Outbox.Claim sending = outbox.claim(pending, "i1", T0, LEASE).orElseThrow();
            assertThat(outbox.cancel(pending, T0)).as("being sent right now").isFalse();
            outbox.failed(sending, Outbox.Failure.PERMANENT, "550", T0);
            assertThat(outbox.cancel(pending, T0)).isTrue();
            assertThat(outbox.find(pending).orElseThrow().status()).isEqualTo(Outbox.CANCELLED);
            assertThat(outbox.list(Outbox.CANCELLED, 10, null)).hasSize(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_tell_the_next_claim_that_a_reply_was_handed_over_and_hold_it_in_doubt(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            Outbox outbox = new Outbox(db.dataSource());
            long id = outbox.enqueue(draft("d", null), T0);
            Outbox.Claim first = outbox.claim(id, "i1", T0, LEASE).orElseThrow();
            assertThat(first.handedOverAt()).isNull();
            assertThat(outbox.handingOver(first, T0.plusSeconds(1))).isTrue();
            // i1 dies before it learns the server's answer; its lease runs out
            Outbox.Claim next = outbox.claim(id, "i2", T0.plusSeconds(61), LEASE).orElseThrow();
            assertThat(next.handedOverAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(outbox.handingOver(first, T0.plusSeconds(62))).as("the stale claim hands nothing over")
                    .isFalse();
            assertThat(outbox.holdInDoubt(next, "in doubt: it may have been delivered")).isTrue();
            Outbox.Entry held = outbox.find(id).orElseThrow();
            assertThat(held.status()).isEqualTo(Outbox.HELD);
            assertThat(held.holdReason()).startsWith("in doubt");
            assertThat(held.leaseOwner()).isNull();
            assertThat(outbox.due(T0.plusSeconds(3600), 10)).as("never sent again by itself").isEmpty();

            assertThat(outbox.release(id, T0.plusSeconds(70))).isTrue();
            Outbox.Claim released = outbox.claim(id, "i2", T0.plusSeconds(70), LEASE).orElseThrow();
            assertThat(released.handedOverAt()).as("released: sent like any other").isNull();

            // a send the server refused with an answer is not in doubt
            assertThat(outbox.handingOver(released, T0.plusSeconds(71))).isTrue();
            outbox.failed(released, Outbox.Failure.TEMPORARY, "451 4.3.0 try again", T0.plusSeconds(72));
            Instant retryAt = outbox.find(id).orElseThrow().nextAttemptAt();
            assertThat(outbox.claim(id, "i2", retryAt, LEASE).orElseThrow().handedOverAt()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_count_the_replies_queued_before_the_recipient_key_existed(String kind) throws Exception {
        String schema = kind.equals("postgresql") ? TestDatabases.postgresSchema() : null;
        String url = schema != null ? TestDatabases.postgresUrl(schema)
                : "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try {
            // the schema as the previous version left it, with one reply queued by that version
            org.flywaydb.core.Flyway.configure().dataSource(url, null, null)
                    .locations(schema != null ? new String[] {"classpath:db/migration"}
                            : new String[] {"classpath:db/migration", "classpath:db/h2"})
                    .target("7").load().migrate();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                 java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (mailbox, message_id, "
                         + "recipient, raw, status, attempts, next_attempt_at, created_at) "
                         + "VALUES ('support@acme.test', '<old@acme.test>', 'Jane@Example.com', ?, 'SENT', 1, ?, ?)")) {
                ps.setBytes(1, "raw".getBytes());
                ps.setTimestamp(2, java.sql.Timestamp.from(T0));
                ps.setTimestamp(3, java.sql.Timestamp.from(T0));
                ps.executeUpdate();
            }
            Database db = Database.open(url, null, null);
            try {
                Outbox outbox = new Outbox(db.dataSource());
                assertThat(outbox.queuedOrSentTo("jane@example.com", T0)).isEqualTo(1);
                outbox.enqueue(draft("new", null), T0);
                assertThat(outbox.queuedOrSentTo("JANE@example.COM", T0)).isEqualTo(2);
            } finally {
                db.close();
            }
        } finally {
            if (schema != null) {
                TestDatabases.dropPostgresSchema(schema);
            }
        }
    }
}
