package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Durable queue of outgoing email. Every email is written here before it is sent and marked sent after, so a reply is
 * never lost when SMTP is briefly down, and an entry is sent at most once per successful claim: a sender claims an
 * entry by pushing its next attempt time forward (a lease), so two instances never send the same entry at once.
 */
public final class Outbox {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";

    /** How long a claimed entry is reserved for the sender that claimed it. */
    static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

    private final Jdbc jdbc;

    public Outbox(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** An email to send: the complete RFC 5322 bytes and the mailbox that sends it. */
    public record Draft(String sessionId, String mailbox, String messageId, byte[] raw) {
    }

    /** A queued email. */
    public record Entry(long id, String sessionId, String mailbox, String messageId, byte[] raw, String status,
            int attempts, String lastError) {
    }

    public long enqueue(Draft draft, Instant now) {
        return jdbc.inTransaction(c -> enqueue(c, draft, now));
    }

    long enqueue(Connection c, Draft draft, Instant now) throws SQLException {
        return Jdbc.insert(c, "INSERT INTO outbox (session_id, mailbox, message_id, raw, status, attempts, "
                + "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                draft.sessionId(), draft.mailbox(), draft.messageId(), draft.raw(), PENDING, now, now);
    }

    /** Pending entries whose time has come, oldest first. */
    public List<Long> due(Instant now, int limit) {
        return jdbc.query("SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? ORDER BY id",
                rs -> rs.getLong(1), PENDING, now).stream().limit(limit).toList();
    }

    /** Claims a due entry for sending; empty when another sender has it or it is no longer due. */
    public java.util.Optional<Entry> claim(long id, Instant now) {
        return jdbc.inTransaction(c -> {
            int claimed = Jdbc.update(c, "UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = ? "
                    + "AND next_attempt_at <= ?", now.plus(LEASE), id, PENDING, now);
            if (claimed == 0) {
                return java.util.Optional.<Entry>empty();
            }
            return Jdbc.query(c, "SELECT * FROM outbox WHERE id = ?", Outbox::entry, id).stream().findFirst();
        });
    }

    public void sent(long id, Instant now) {
        jdbc.update("UPDATE outbox SET status = ?, sent_at = ?, last_error = NULL WHERE id = ?", SENT, now, id);
    }

    /**
     * Records a failed send: a temporary failure is retried with backoff, a permanent one (SMTP 5xx) is not.
     */
    public void failed(long id, String error, boolean permanent, Instant now) {
        jdbc.inTransaction(c -> {
            int attempts = Jdbc.query(c, "SELECT attempts FROM outbox WHERE id = ?", rs -> rs.getInt(1), id)
                    .stream().findFirst().orElse(0) + 1;
            long seconds = Math.min(MAX_BACKOFF.getSeconds(), 2L << Math.min(attempts, 12));
            return Jdbc.update(c, "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? "
                    + "WHERE id = ?", permanent ? FAILED : PENDING, attempts, now.plusSeconds(seconds),
                    error == null || error.length() <= 2000 ? error : error.substring(0, 2000), id);
        });
    }

    public java.util.Optional<Entry> find(long id) {
        return jdbc.queryOne("SELECT * FROM outbox WHERE id = ?", Outbox::entry, id);
    }

    public List<Entry> bySession(String sessionId) {
        return jdbc.query("SELECT * FROM outbox WHERE session_id = ? ORDER BY id", Outbox::entry, sessionId);
    }

    private static Entry entry(java.sql.ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getString("session_id"), rs.getString("mailbox"),
                rs.getString("message_id"), rs.getBytes("raw"), rs.getString("status"), rs.getInt("attempts"),
                rs.getString("last_error"));
    }
}
