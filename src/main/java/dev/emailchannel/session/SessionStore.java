package dev.emailchannel.session;

import dev.emailchannel.mime.EmailAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Sessions of one connection: one open session per customer address (case-insensitive). The first email from a new
 * address opens a session, every further one joins it while it is open; a session idle for longer than the idle
 * timeout is closed the next time it is looked up (and by {@link #closeIdle}).
 */
public final class SessionStore {

    public static final String OPEN = "OPEN";
    public static final String CLOSED = "CLOSED";

    private final Jdbc jdbc;
    private final String connection;
    private final Duration idleTimeout;

    public SessionStore(DataSource dataSource, String connection, Duration idleTimeout) {
        this.jdbc = new Jdbc(dataSource);
        this.connection = connection;
        this.idleTimeout = idleTimeout;
    }

    /**
     * The open session of this customer, or a new one on {@code mailbox}.
     *
     * @param origin {@code INBOUND} when the customer wrote first, {@code OUTBOUND} when the agent did
     */
    public SessionRef openOrJoin(EmailAddress customer, String mailbox, String origin, Instant now) {
        for (int attempt = 0; ; attempt++) {
            try {
                return jdbc.inTransaction(c -> openOrJoin(c, customer, mailbox, origin, now));
            } catch (StoreException e) {
                // two instances opened a session for the same customer at once: the unique key lets one win
                if (attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    /**
     * A session of its own for a mail whose sender a trusted server could not verify (DMARC failed): marked
     * unverified, never joined by later mail (the customer's real session is not shown to a possible forger, nor the
     * forger's mail added to it). It closes like any other session. Inside the caller's transaction.
     */
    public SessionRef openUnverified(Connection c, EmailAddress customer, String mailbox, Instant now)
            throws SQLException {
        String id = UUID.randomUUID().toString();
        Jdbc.update(c, "INSERT INTO chat_session (id, connection_name, customer, customer_name, mailbox, origin, "
                + "status, open_customer, opened_at, last_activity_at, verified) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, FALSE)",
                id, connection, customer.key(), customer.name(), mailbox, "INBOUND", OPEN, now, now);
        return new SessionRef(id, true, mailbox);
    }

    /** The same, inside the caller's transaction (a campaign's sessions open together with its emails). */
    public SessionRef openOrJoin(Connection c, EmailAddress customer, String mailbox, String origin, Instant now)
            throws SQLException {
        // the open session, if it has not been idle too long, joined (the row locked by this update, so nothing
        // closes it in between); the usual case costs two statements
        Instant idleSince = now.minus(idleTimeout);
        if (Jdbc.update(c, "UPDATE chat_session SET last_activity_at = ? "
                + "WHERE connection_name = ? AND open_customer = ? AND last_activity_at >= ?",
                now, connection, customer.key(), idleSince) == 1) {
            return Jdbc.query(c, "SELECT id, mailbox FROM chat_session WHERE connection_name = ? AND open_customer = ?",
                    rs -> new SessionRef(rs.getString("id"), false, rs.getString("mailbox")), connection,
                    customer.key()).get(0);
        }
        Jdbc.update(c, "UPDATE chat_session SET status = ?, open_customer = NULL, closed_at = ? "
                + "WHERE connection_name = ? AND open_customer = ? AND last_activity_at < ?",
                CLOSED, now, connection, customer.key(), idleSince);
        String id = UUID.randomUUID().toString();
        Jdbc.update(c, "INSERT INTO chat_session (id, connection_name, customer, customer_name, mailbox, origin, "
                + "status, open_customer, opened_at, last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, connection, customer.key(), customer.name(), mailbox, origin, OPEN, customer.key(), now, now);
        return new SessionRef(id, true, mailbox);
    }

    /** Stores a message of a session with its attachments; returns its row id. */
    public long addMessage(StoredMessage m) {
        return jdbc.inTransaction(c -> addMessage(c, m));
    }

    /** The same, inside the caller's transaction (e.g. with the inbox row and the outbox entry it belongs to). */
    public static long addMessage(Connection c, StoredMessage m) throws SQLException {
        long id = insertMessage(c, m);
        Jdbc.update(c, "UPDATE chat_session SET last_activity_at = ? WHERE id = ?", m.createdAt(), m.sessionId());
        return id;
    }

    /** Stores the message and its attachments without touching its session (opened or joined at its time already). */
    static long insertMessage(Connection c, StoredMessage m) throws SQLException {
        long id = Jdbc.insert(c, "INSERT INTO session_message (session_id, direction, mailbox, message_id, "
                + "in_reply_to, references_header, from_address, from_name, reply_to, to_addresses, subject, "
                + "body_text, auto_reply_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.sessionId(), m.direction(), m.mailbox(), m.messageId(), m.inReplyTo(), m.references(),
                m.fromAddress(), m.fromName(), m.replyTo(), m.to(), m.subject(), m.text(), m.autoReplyReason(),
                m.createdAt());
        for (StoredMessage.StoredAttachment a : m.attachments()) {
            Jdbc.update(c, "INSERT INTO message_attachment (message_row, filename, content_type, size_bytes, "
                    + "sha256, skipped_reason) VALUES (?, ?, ?, ?, ?, ?)",
                    id, a.filename(), a.contentType(), a.size(), a.sha256(), a.skippedReason());
        }
        return id;
    }

    /** SHA-256 of every file received (and passed on) in the session, except in the message {@code exceptRow}. */
    public Set<String> receivedFileHashes(String sessionId, long exceptRow) {
        return jdbc.read(c -> receivedFileHashes(c, sessionId, exceptRow));
    }

    /**
     * Whether a file (SHA-256) was received in the session, except in the message {@code exceptRow}: the session's
     * files are read at the first question, so a mail without files costs no query.
     */
    public Predicate<String> receivedFiles(String sessionId, long exceptRow) {
        return onFirstQuestion(() -> receivedFileHashes(sessionId, exceptRow));
    }

    /** The same, inside the caller's transaction. */
    public static Predicate<String> receivedFiles(Connection c, String sessionId, long exceptRow) {
        return onFirstQuestion(() -> {
            try {
                return receivedFileHashes(c, sessionId, exceptRow);
            } catch (SQLException e) {
                throw new StoreException(e);
            }
        });
    }

    private static Predicate<String> onFirstQuestion(Supplier<Set<String>> hashes) {
        return new Predicate<>() {
            private Set<String> known;

            @Override
            public boolean test(String sha256) {
                if (known == null) {
                    known = hashes.get();
                }
                return known.contains(sha256);
            }
        };
    }

    /** The same, inside the caller's transaction. */
    public static Set<String> receivedFileHashes(Connection c, String sessionId, long exceptRow) throws SQLException {
        return new HashSet<>(Jdbc.query(c, "SELECT a.sha256 FROM message_attachment a "
                + "JOIN session_message m ON m.id = a.message_row "
                + "WHERE m.session_id = ? AND m.id <> ? AND m.direction = 'IN' AND a.sha256 IS NOT NULL "
                + "AND a.skipped_reason IS NULL", rs -> rs.getString(1), sessionId, exceptRow));
    }

    /**
     * The customer's latest inbound mails (any session of the connection), newest first, each with the time the reply
     * of ours it answers went out (null when it answers none of ours), for the loop guard.
     */
    public List<Round> latestRounds(String customerAddress, int limit) {
        // the customer's sessions first: joined the other way, H2 read the messages of all customers newest first
        // until it had found this customer's (947-1,016 ms with 100,000 sessions behind for a customer who wrote once
        // in every tenth of them, 0.5 ms this way; bench/history.sh)
        return jdbc.query("SELECT i.created_at AS in_at, COALESCE(o.sent_at, r.created_at) AS out_at "
                + "FROM session_message i "
                + "LEFT JOIN session_message r ON r.message_id = i.in_reply_to AND r.direction = 'OUT' "
                + "AND r.session_id = i.session_id "
                + "LEFT JOIN outbox o ON o.message_id = r.message_id "
                + "WHERE i.session_id IN (SELECT s.id FROM chat_session s WHERE s.connection_name = ? "
                + "AND s.customer = ?) AND i.direction = 'IN' "
                + "ORDER BY i.id DESC FETCH FIRST " + limit + " ROWS ONLY",
                rs -> new Round(Jdbc.instant(rs, "in_at"), Jdbc.instant(rs, "out_at")), connection,
                customerAddress.toLowerCase(java.util.Locale.ROOT));
    }

    /** An inbound mail's arrival and the sending time of the reply of ours it answers (null when none). */
    public record Round(Instant receivedAt, Instant answeredReplyAt) {
    }

    /** The messages of a session in the order they were stored. */
    public List<StoredMessage> messages(String sessionId) {
        List<StoredMessage> messages = jdbc.query("SELECT * FROM session_message WHERE session_id = ? ORDER BY id",
                SessionStore::message, sessionId);
        return messages.stream().map(m -> withAttachments(m)).toList();
    }

    private StoredMessage withAttachments(StoredMessage m) {
        List<StoredMessage.StoredAttachment> files = jdbc.query("SELECT * FROM message_attachment "
                + "WHERE message_row = ? ORDER BY id", rs -> new StoredMessage.StoredAttachment(
                        rs.getString("filename"), rs.getString("content_type"), rs.getLong("size_bytes"),
                        rs.getString("sha256"), rs.getString("skipped_reason")), m.id());
        return new StoredMessage(m.id(), m.sessionId(), m.direction(), m.mailbox(), m.messageId(), m.inReplyTo(),
                m.references(), m.fromAddress(), m.fromName(), m.replyTo(), m.to(), m.subject(), m.text(),
                m.autoReplyReason(), m.createdAt(), files);
    }

    /** Session summary rows, newest first; filters are optional. */
    public List<SessionSummary> sessions(String customer, String status) {
        return sessions(customer, status, Integer.MAX_VALUE, null, null);
    }

    /**
     * A page of sessions, most recently active first.
     *
     * @param afterActivity the last activity of the previous page's last session, or null for the first page
     * @param afterId       that session's id
     */
    public List<SessionSummary> sessions(String customer, String status, int limit, Instant afterActivity,
            String afterId) {
        StringBuilder sql = new StringBuilder("SELECT * FROM chat_session WHERE connection_name = ?");
        List<Object> args = new java.util.ArrayList<>(List.of(connection));
        if (customer != null && !customer.isBlank()) {
            sql.append(" AND customer = ?");
            args.add(customer.trim().toLowerCase(java.util.Locale.ROOT));
        }
        if (status != null && !status.isBlank()) {
            sql.append(" AND status = ?");
            args.add(status.trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (afterActivity != null) {
            sql.append(" AND (last_activity_at < ? OR (last_activity_at = ? AND id < ?))");
            args.add(afterActivity);
            args.add(afterActivity);
            args.add(afterId);
        }
        sql.append(" ORDER BY last_activity_at DESC, id DESC");
        if (limit != Integer.MAX_VALUE) {
            sql.append(" FETCH FIRST ").append(limit).append(" ROWS ONLY");
        }
        return jdbc.query(sql.toString(), SessionStore::summary, args.toArray());
    }

    public Optional<SessionSummary> session(String id) {
        return jdbc.queryOne("SELECT * FROM chat_session WHERE id = ? AND connection_name = ?",
                SessionStore::summary, id, connection);
    }

    /** Closes the session; returns false when it was not open. */
    public boolean close(String sessionId, Instant now) {
        return jdbc.update("UPDATE chat_session SET status = ?, open_customer = NULL, closed_at = ? "
                + "WHERE id = ? AND status = ?", CLOSED, now, sessionId, OPEN) == 1;
    }

    /** Closes every session idle for longer than the idle timeout; returns how many. */
    public int closeIdle(Instant now) {
        // only the open sessions, read in uq_open_session (open_customer is set while a session is open, NULL once
        // closed; ">= ''" is every value but NULL): asked by status, H2 read every session the connection ever had
        // (243 ms with 100,000, 0.06 ms this way with none open; bench/history.sh)
        return jdbc.update("UPDATE chat_session SET status = ?, open_customer = NULL, closed_at = ? "
                + "WHERE connection_name = ? AND open_customer >= '' AND status = ? AND last_activity_at < ?",
                CLOSED, now, connection, OPEN, now.minus(idleTimeout));
    }

    /**
     * A session without its messages.
     *
     * @param verified false for the session of a mail whose sender failed DMARC at a trusted server; null otherwise
     */
    public record SessionSummary(String id, String customer, String customerName, String mailbox, String origin,
            String status, Instant openedAt, Instant lastActivityAt, Instant closedAt, Boolean verified) {
    }

    private static SessionSummary summary(ResultSet rs) throws SQLException {
        return new SessionSummary(rs.getString("id"), rs.getString("customer"), rs.getString("customer_name"),
                rs.getString("mailbox"), rs.getString("origin"), rs.getString("status"),
                Jdbc.instant(rs, "opened_at"), Jdbc.instant(rs, "last_activity_at"), Jdbc.instant(rs, "closed_at"),
                (Boolean) rs.getObject("verified"));
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getLong("id"), rs.getString("session_id"), rs.getString("direction"),
                rs.getString("mailbox"), rs.getString("message_id"), rs.getString("in_reply_to"),
                rs.getString("references_header"), rs.getString("from_address"), rs.getString("from_name"),
                rs.getString("reply_to"), rs.getString("to_addresses"), rs.getString("subject"),
                rs.getString("body_text"), rs.getString("auto_reply_reason"), Jdbc.instant(rs, "created_at"),
                List.of());
    }
}
