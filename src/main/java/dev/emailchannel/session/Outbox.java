package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Durable queue of outgoing email. Every email is written here before it is sent and marked sent after, so a reply is
 * never lost when SMTP is briefly down; a sender claims an entry with a lease it renews while it sends, so two
 * senders (threads or instances) never send the same entry at once, and only the holder of the claim may record the
 * outcome. A reply the loop guard stopped waits here as HELD until an operator releases or cancels it.
 */
public final class Outbox {

    public static final String PENDING = "PENDING";
    public static final String HELD = "HELD";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";

    private static final Duration MAX_BACKOFF = Duration.ofMinutes(15);
    /** Provider limits (daily quota, rate limit) clear slowly: wait longer, never give up for them. */
    private static final Duration LIMIT_BACKOFF = Duration.ofMinutes(10);
    private static final Duration MAX_LIMIT_BACKOFF = Duration.ofHours(2);
    private static final String COLUMNS = "id, session_id, mailbox, message_id, recipient, subject, status, attempts, "
            + "next_attempt_at, last_error, hold_reason, lease_owner, lease_until, created_at, sent_at";

    private final Jdbc jdbc;

    public Outbox(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * An email to send: the complete RFC 5322 bytes, the mailbox that sends it, and for the API its recipient and
     * subject.
     *
     * @param holdReason  why the loop guard holds it, or null to send it
     * @param traceParent the W3C trace context the send continues, or null
     */
    public record Draft(String sessionId, String mailbox, String messageId, String recipient, String subject,
            byte[] raw, String holdReason, String traceParent) {

        public Draft(String sessionId, String mailbox, String messageId, String recipient, String subject, byte[] raw,
                String holdReason) {
            this(sessionId, mailbox, messageId, recipient, subject, raw, holdReason, null);
        }
    }

    /** A queued email, without its bytes. */
    public record Entry(long id, String sessionId, String mailbox, String messageId, String recipient, String subject,
            String status, int attempts, Instant nextAttemptAt, String lastError, String holdReason,
            String leaseOwner, Instant leaseUntil, Instant createdAt, Instant sentAt) {
    }

    /**
     * A claimed entry with its bytes, the trace it continues and the claim's token. {@code handedOverAt} is set when an
     * earlier sender was handing this entry to the server and never recorded the outcome: it may have been sent.
     */
    public record Claim(Entry entry, byte[] raw, String traceParent, String token, Instant handedOverAt) {

        public long id() {
            return entry.id();
        }
    }

    /** How a failed send counts. */
    public enum Failure {
        /** Network, 4xx, the server unreachable: retried with backoff up to {@code 15 min} apart. */
        TEMPORARY,
        /** The provider's limit (quota, rate): deferred longer, never failed for it. */
        PROVIDER_LIMIT,
        /** A 5xx refusal of the mail or its recipients: failed for good (an operator may retry it). */
        PERMANENT
    }

    public long enqueue(Draft draft, Instant now) {
        return jdbc.inTransaction(c -> enqueue(c, draft, now));
    }

    /** Queues an email inside the caller's transaction (with the inbound mail it answers, or a whole campaign). */
    public static long enqueue(Connection c, Draft draft, Instant now) throws SQLException {
        String recipient = clip(draft.recipient(), 320);
        return Jdbc.insert(c, "INSERT INTO outbox (session_id, mailbox, message_id, recipient, recipient_key, subject, "
                + "raw, status, attempts, next_attempt_at, hold_reason, created_at, trace_parent) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                draft.sessionId(), draft.mailbox(), draft.messageId(), recipient, recipientKey(recipient),
                clip(draft.subject(), 998), draft.raw(), draft.holdReason() == null ? PENDING : HELD, now,
                clip(draft.holdReason(), 2000), now, draft.traceParent());
    }

    /** Pending entries whose time has come and that nobody holds, oldest first. */
    public List<Long> due(Instant now, int limit) {
        return jdbc.query("SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? "
                + "AND (lease_until IS NULL OR lease_until < ?) ORDER BY id FETCH FIRST " + limit + " ROWS ONLY",
                rs -> rs.getLong(1), PENDING, now, now);
    }

    /** Claims a due entry for sending; empty when another sender holds it or it is not due (or not pending). */
    public Optional<Claim> claim(long id, String owner, Instant now, Duration lease) {
        String token = owner + "#" + UUID.randomUUID().toString().substring(0, 8);
        int claimed = jdbc.update("UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND status = ? "
                + "AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)",
                token, now.plus(lease), id, PENDING, now, now);
        if (claimed == 0) {
            return Optional.empty();
        }
        return jdbc.queryOne("SELECT " + COLUMNS + ", raw, trace_parent, handed_over_at FROM outbox WHERE id = ?",
                rs -> new Claim(entry(rs), rs.getBytes("raw"), rs.getString("trace_parent"), token,
                        Jdbc.instant(rs, "handed_over_at")), id);
    }

    /**
     * Records, just before the mail is handed to the server for good, that it may be sent from now on; false when the
     * claim was lost meanwhile (the send must stop then).
     */
    public boolean handingOver(Claim claim, Instant now) {
        return jdbc.update("UPDATE outbox SET handed_over_at = ? WHERE id = ? AND lease_owner = ? AND status = ?",
                now, claim.id(), claim.token(), PENDING) == 1;
    }

    /**
     * Holds an entry that may have been sent already (a sender handed it over and its outcome is unknown): it is not
     * sent again unless an operator releases it.
     */
    public boolean holdInDoubt(Claim claim, String reason) {
        return jdbc.update("UPDATE outbox SET status = ?, hold_reason = ?, lease_owner = NULL, lease_until = NULL "
                + "WHERE id = ? AND lease_owner = ?", HELD, clip(reason, 2000), claim.id(), claim.token()) == 1;
    }

    /** Extends a claim while the send goes on; false when it was lost. */
    public boolean renew(Claim claim, Instant until) {
        return jdbc.update("UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = ?",
                until, claim.id(), claim.token(), PENDING) == 1;
    }

    /** The SMTP server accepted the entry; false when the claim was lost (nothing changes then). */
    public boolean sent(Claim claim, Instant now) {
        return jdbc.update("UPDATE outbox SET status = ?, sent_at = ?, last_error = NULL, attempts = attempts + 1, "
                + "lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                SENT, now, claim.id(), claim.token()) == 1;
    }

    /**
     * Records a failed send and releases the claim. Only for a send the server did not take: refused with an answer,
     * or stopped before the mail was handed over.
     *
     * @return the entry after the change
     */
    public Optional<Entry> failed(Claim claim, Failure kind, String error, Instant now) {
        jdbc.inTransaction(c -> {
            int attempts = Jdbc.query(c, "SELECT attempts FROM outbox WHERE id = ?", rs -> rs.getInt(1), claim.id())
                    .stream().findFirst().orElse(0) + 1;
            return Jdbc.update(c, "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                    + "handed_over_at = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?",
                    kind == Failure.PERMANENT ? FAILED : PENDING, attempts, now.plus(backoff(kind, attempts)),
                    clip(error, 2000), claim.id(), claim.token());
        });
        return find(claim.id());
    }

    /** The wait after the {@code attempts}th failed send. */
    static Duration backoff(Failure kind, int attempts) {
        if (kind == Failure.PROVIDER_LIMIT) {
            Duration d = LIMIT_BACKOFF.multipliedBy(1L << Math.min(attempts - 1, 10));
            return d.compareTo(MAX_LIMIT_BACKOFF) > 0 ? MAX_LIMIT_BACKOFF : d;
        }
        long seconds = Math.min(MAX_BACKOFF.getSeconds(), 2L << Math.min(attempts, 12));
        return Duration.ofSeconds(seconds);
    }

    /**
     * Releases a claim without a try: the entry waits until {@code until} (its mailbox is held back by a provider's
     * limit).
     */
    public void deferTo(Claim claim, Instant until, String reason) {
        jdbc.update("UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL "
                + "WHERE id = ? AND lease_owner = ?", until, clip(reason, 2000), claim.id(), claim.token());
    }

    /**
     * Replies queued or sent to {@code recipient} (case-insensitive) since {@code since}, for the loop guard: looked up
     * in {@code ix_outbox_recipient}, so the cost does not grow with the outbox.
     */
    public int queuedOrSentTo(String recipient, Instant since) {
        return jdbc.query("SELECT COUNT(*) FROM outbox WHERE recipient_key = ? AND created_at >= ? "
                + "AND status IN (?, ?)", rs -> rs.getInt(1), recipientKey(clip(recipient, 320)), since,
                PENDING, SENT).get(0);
    }

    /** The recipient as the loop guard compares it (the column {@code recipient_key}). */
    private static String recipientKey(String recipient) {
        return recipient == null ? null : recipient.toLowerCase(java.util.Locale.ROOT);
    }

    /** A held reply is released: it is sent as soon as a sender gets to it (also one held in doubt). */
    public boolean release(long id, Instant now) {
        return jdbc.update("UPDATE outbox SET status = ?, next_attempt_at = ?, hold_reason = NULL, "
                + "handed_over_at = NULL WHERE id = ? AND status = ?", PENDING, now, id, HELD) == 1;
    }

    /** A failed entry is tried again now. */
    public boolean retry(long id, Instant now) {
        return jdbc.update("UPDATE outbox SET status = ?, next_attempt_at = ? WHERE id = ? AND status = ?",
                PENDING, now, id, FAILED) == 1;
    }

    /** An entry not sent yet (pending, held or failed, and not being sent right now) is cancelled for good. */
    public boolean cancel(long id, Instant now) {
        return jdbc.update("UPDATE outbox SET status = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? "
                + "AND status IN (?, ?, ?) AND (lease_until IS NULL OR lease_until < ?)",
                CANCELLED, id, PENDING, HELD, FAILED, now) == 1;
    }

    public Optional<Entry> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM outbox WHERE id = ?", Outbox::entry, id);
    }

    public List<Entry> bySession(String sessionId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM outbox WHERE session_id = ? ORDER BY id", Outbox::entry,
                sessionId);
    }

    /** Entries newest first, at most {@code limit}, with an id below {@code beforeId} when given; state optional. */
    public List<Entry> list(String status, int limit, Long beforeId) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM outbox WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (beforeId != null) {
            sql.append(" AND id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        return jdbc.query(sql.toString(), Outbox::entry, args.toArray());
    }

    /** How many entries are in a state (for the metrics). */
    public int count(String status) {
        return jdbc.query("SELECT COUNT(*) FROM outbox WHERE status = ?", rs -> rs.getInt(1), status).get(0);
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getString("session_id"), rs.getString("mailbox"),
                rs.getString("message_id"), rs.getString("recipient"), rs.getString("subject"),
                rs.getString("status"), rs.getInt("attempts"), Jdbc.instant(rs, "next_attempt_at"),
                rs.getString("last_error"), rs.getString("hold_reason"), rs.getString("lease_owner"),
                Jdbc.instant(rs, "lease_until"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "sent_at"));
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
