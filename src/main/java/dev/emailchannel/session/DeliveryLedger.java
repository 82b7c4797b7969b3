package dev.emailchannel.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Remembers every inbound email per mailbox (keyed by Message-ID, or a content hash when it has none) so that it is
 * delivered to the agent once, and carries its retry state: attempts, the earliest next attempt, the last error.
 * A crash between "agent accepted" and "marked read" finds the row DELIVERED on the next poll and does not call the
 * agent again.
 */
public final class DeliveryLedger {

    /** Not delivered yet (new, or failed and waiting for its next attempt). */
    public static final String PENDING = "PENDING";
    /** The agent accepted it. */
    public static final String DELIVERED = "DELIVERED";
    /** Deliberately not sent to the agent (auto-reply, own mail). */
    public static final String SKIPPED = "SKIPPED";
    /** Failed on its own too often; the raw message is in {@code parked_message}. */
    public static final String PARKED = "PARKED";

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final Jdbc jdbc;
    private final Outbox outbox;

    public DeliveryLedger(DataSource dataSource, Outbox outbox) {
        this.jdbc = new Jdbc(dataSource);
        this.outbox = outbox;
    }

    /** The retry state of one inbound email. */
    public record Delivery(String mailbox, String messageKey, String eventId, String state, int attempts,
            Instant nextAttemptAt, String sessionId, Boolean sessionNew, Long messageRow) {

        public boolean finished() {
            return !PENDING.equals(state);
        }

        public boolean due(Instant now) {
            return nextAttemptAt == null || !nextAttemptAt.isAfter(now);
        }
    }

    /** The record of this email, created as PENDING when it is seen for the first time. */
    public Delivery begin(String mailbox, String messageKey, String eventId, String messageId, Instant now) {
        return jdbc.inTransaction(c -> {
            var found = Jdbc.query(c, "SELECT * FROM inbound_delivery WHERE mailbox = ? AND message_key = ?",
                    DeliveryLedger::delivery, mailbox, messageKey);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Jdbc.update(c, "INSERT INTO inbound_delivery (mailbox, message_key, event_id, message_id, state, attempts, "
                    + "updated_at) VALUES (?, ?, ?, ?, ?, 0, ?)", mailbox, messageKey, eventId, messageId, PENDING, now);
            return new Delivery(mailbox, messageKey, eventId, PENDING, 0, null, null, null, null);
        });
    }

    public Optional<Delivery> find(String mailbox, String messageKey) {
        return jdbc.queryOne("SELECT * FROM inbound_delivery WHERE mailbox = ? AND message_key = ?",
                DeliveryLedger::delivery, mailbox, messageKey);
    }

    /**
     * Records a failed attempt and when the next one may happen: exponential backoff from 2 s, capped at a minute.
     *
     * @return the number of attempts so far
     */
    public int failed(String mailbox, String messageKey, String error, Instant now) {
        return jdbc.inTransaction(c -> {
            var current = Jdbc.query(c, "SELECT attempts FROM inbound_delivery WHERE mailbox = ? AND message_key = ?",
                    rs -> rs.getInt(1), mailbox, messageKey);
            int attempts = (current.isEmpty() ? 0 : current.get(0)) + 1;
            Jdbc.update(c, "UPDATE inbound_delivery SET attempts = ?, next_attempt_at = ?, last_error = ?, "
                    + "updated_at = ? WHERE mailbox = ? AND message_key = ?",
                    attempts, now.plus(backoff(attempts)), truncate(error), now, mailbox, messageKey);
            return attempts;
        });
    }

    /** The wait before attempt {@code attempts + 1}: 2 s, 4 s, … capped at a minute. */
    public static Duration backoff(int attempts) {
        long seconds = 1L << Math.min(attempts, 6);
        return seconds >= MAX_BACKOFF.getSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
    }

    /** Fixes the session and the stored message of the email at its first attempt. */
    public void stored(String mailbox, String messageKey, String sessionId, boolean sessionNew, long messageRow,
            Instant now) {
        jdbc.update("UPDATE inbound_delivery SET session_id = ?, session_new = ?, message_row = ?, updated_at = ? "
                + "WHERE mailbox = ? AND message_key = ?", sessionId, sessionNew, messageRow, now, mailbox, messageKey);
    }

    /**
     * The agent accepted the email; a reply it gave is queued in the outbox in the same transaction.
     *
     * @return the outbox id of the reply, or null without reply
     */
    public Long delivered(String mailbox, String messageKey, String sessionId, Outbox.Draft reply, Instant now) {
        return jdbc.inTransaction(c -> {
            Long id = reply == null ? null : outbox.enqueue(c, reply, now);
            Jdbc.update(c, "UPDATE inbound_delivery SET state = ?, session_id = ?, last_error = NULL, "
                    + "updated_at = ? WHERE mailbox = ? AND message_key = ?",
                    DELIVERED, sessionId, now, mailbox, messageKey);
            return id;
        });
    }

    /** The email was deliberately not sent to the agent. */
    public void skipped(String mailbox, String messageKey, String sessionId, String reason, Instant now) {
        jdbc.update("UPDATE inbound_delivery SET state = ?, session_id = ?, last_error = ?, updated_at = ? "
                + "WHERE mailbox = ? AND message_key = ?", SKIPPED, sessionId, truncate(reason), now, mailbox,
                messageKey);
    }

    /** Parks an email that failed on its own: keeps its raw bytes and the reason. */
    public void park(String mailbox, String messageKey, String messageId, String reason, byte[] raw, Instant now) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO parked_message (mailbox, message_id, reason, raw, parked_at) "
                    + "VALUES (?, ?, ?, ?, ?)", mailbox, messageId, truncate(reason), raw, now);
            return Jdbc.update(c, "UPDATE inbound_delivery SET state = ?, last_error = ?, updated_at = ? "
                    + "WHERE mailbox = ? AND message_key = ?", PARKED, truncate(reason), now, mailbox, messageKey);
        });
    }

    /** A parked message, for operators. */
    public record Parked(long id, String mailbox, String messageId, String reason, byte[] raw, Instant parkedAt) {
    }

    public java.util.List<Parked> parked() {
        return jdbc.query("SELECT * FROM parked_message ORDER BY id", rs -> new Parked(rs.getLong("id"),
                rs.getString("mailbox"), rs.getString("message_id"), rs.getString("reason"), rs.getBytes("raw"),
                Jdbc.instant(rs, "parked_at")));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private static Delivery delivery(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Delivery(rs.getString("mailbox"), rs.getString("message_key"), rs.getString("event_id"),
                rs.getString("state"), rs.getInt("attempts"), Jdbc.instant(rs, "next_attempt_at"),
                rs.getString("session_id"), (Boolean) rs.getObject("session_new"),
                rs.getObject("message_row") == null ? null : rs.getLong("message_row"));
    }
}
