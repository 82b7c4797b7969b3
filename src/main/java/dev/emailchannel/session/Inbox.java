package dev.emailchannel.session;

import dev.emailchannel.mime.EmailAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The durable inbox (SPEC §4): every fetched mail is stored here, raw, in one transaction before it is marked read on
 * the server, and from then on it is the channel's. Dispatchers (on this or any instance sharing the database) claim
 * pending mails with a lease they renew while the agent call lasts; one customer's mails are claimable strictly in
 * arrival order, one at a time; a mail is marked delivered in the transaction that queues its reply, and only by the
 * holder of its claim, so a lost claim never answers twice.
 */
public final class Inbox {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String SKIPPED = "SKIPPED";
    public static final String PARKED = "PARKED";

    /** A mail failing on its own this many times is parked. */
    public static final int MAX_FAILURES = 3;

    private static final String COLUMNS = "id, mailbox, message_key, event_id, message_id, customer, from_header, "
            + "subject, uid_validity, uid, size_bytes, received_at, stored_at, state, attempts, failures, "
            + "next_attempt_at, lease_owner, lease_until, last_error, session_id, session_new, message_row, finished_at, "
            + "trace_parent";

    private final Jdbc jdbc;
    /** The dispatch workers' per-mail transactions (session, outcome) share commits under load. */
    private final GroupCommit dispatchCommits;
    /** Mails just stored, for the dispatcher: at most 4 MB, mails of up to 256 KB. */
    private final RecentRaw recentRaw = new RecentRaw(4L << 20, 256 << 10);

    public Inbox(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
        this.dispatchCommits = new GroupCommit(dataSource);
    }

    /** Thrown inside a transaction whose claim turned out lost: its changes are rolled back, nothing else. */
    private static final class ClaimLost extends RuntimeException {
        ClaimLost() {
            super("claim lost", null, false, false);
        }
    }

    /**
     * A mail to store, with the metadata dispatch and the API need (already cleaned: no NUL, within column sizes).
     *
     * @param traceParent the W3C trace context of the pickup, or null
     */
    public record NewMail(String mailbox, String messageKey, String eventId, String messageId, String customer,
            String fromHeader, String subject, Long uidValidity, Long uid, byte[] buffer, int offset, int length,
            Instant receivedAt, String traceParent) {

        /** The raw mail is {@code length} bytes of {@code buffer} from {@code offset} (the IMAP response it came in). */
        public NewMail {
            java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        }

        public NewMail(String mailbox, String messageKey, String eventId, String messageId, String customer,
                String fromHeader, String subject, Long uidValidity, Long uid, byte[] raw, Instant receivedAt,
                String traceParent) {
            this(mailbox, messageKey, eventId, messageId, customer, fromHeader, subject, uidValidity, uid, raw, 0,
                    raw.length, receivedAt, traceParent);
        }

        public NewMail(String mailbox, String messageKey, String eventId, String messageId, String customer,
                String fromHeader, String subject, Long uidValidity, Long uid, byte[] raw, Instant receivedAt) {
            this(mailbox, messageKey, eventId, messageId, customer, fromHeader, subject, uidValidity, uid, raw,
                    receivedAt, null);
        }

        public NewMail tracedBy(String trace) {
            return new NewMail(mailbox, messageKey, eventId, messageId, customer, fromHeader, subject, uidValidity,
                    uid, buffer, offset, length, receivedAt, trace);
        }
    }

    /** A stored mail, without its raw bytes. */
    public record Mail(long id, String mailbox, String messageKey, String eventId, String messageId, String customer,
            String fromHeader, String subject, Long uidValidity, Long uid, long size, Instant receivedAt,
            Instant storedAt, String state, int attempts, int failures, Instant nextAttemptAt, String leaseOwner,
            Instant leaseUntil, String lastError, String sessionId, Boolean sessionNew, Long messageRow,
            Instant finishedAt, String traceParent) {
    }

    /**
     * A claimed mail: the mail and the claim token that must accompany every change to it. Two claims are the same when
     * they hold the same mail with the same token (the mail's other columns are a snapshot of the moment of the claim;
     * comparing and hashing all 25 of them for the dispatcher's set of claims in flight was 1.2 % of the dispatch
     * workers' CPU in the backlog benchmark).
     */
    public record Claim(Mail mail, String token) {

        public long id() {
            return mail.id();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Claim c && c.id() == id() && c.token.equals(token);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id()) * 31 + token.hashCode();
        }
    }

    /** How a failed try counts. */
    public enum Failure {
        /** The agent or the database is unavailable: retried for as long as it lasts, never parked for it. */
        TRANSIENT,
        /** The agent's own set-up is wrong (401, 403, 404, 3xx, unknown endpoint): not the mail's fault either. */
        AGENT_SETUP,
        /** The mail fails on its own: parked after {@value #MAX_FAILURES} such tries. */
        MAIL
    }

    /**
     * The UIDs among {@code uids} (of this UIDVALIDITY) whose mail is already stored. Asked by UID ranges, which both
     * databases look up in {@code ix_inbound_uid}: an {@code IN} list of UIDs made H2 read every mail the mailbox ever
     * stored and compare each with the whole list (370–395 ms for 300 UIDs with 100,000 mails stored; {@code
     * bench/history.sh}).
     */
    public Set<Long> knownUids(String mailbox, long uidValidity, Collection<Long> uids) {
        Set<Long> asked = new HashSet<>(uids);
        List<long[]> ranges = UidRanges.of(asked, UidRanges.MAX_GAP);
        if (ranges.isEmpty()) {
            return Set.of();
        }
        return jdbc.read(c -> {
            Set<Long> known = new HashSet<>();
            for (long[] range : ranges) {
                for (long uid : Jdbc.query(c, "SELECT uid FROM inbound WHERE mailbox = ? AND uid_validity = ? "
                        + "AND uid >= ? AND uid <= ?", rs -> rs.getLong(1), mailbox, uidValidity, range[0], range[1])) {
                    if (asked.contains(uid)) { // a range also holds stored mails that are read on the server
                        known.add(uid);
                    }
                }
            }
            return known;
        });
    }

    /** The highest UID (of this UIDVALIDITY) of a stored mail of the mailbox, or null when there is none. */
    public Long highestUid(String mailbox, long uidValidity) {
        return jdbc.query("SELECT MAX(uid) FROM inbound WHERE mailbox = ? AND uid_validity = ?", rs -> {
            long uid = rs.getLong(1);
            return rs.wasNull() ? null : uid;
        }, mailbox, uidValidity).get(0);
    }

    /**
     * Stores the mails that are not stored yet, in one transaction.
     *
     * @return for each mail, in order, its row id and whether it was new
     */
    public List<Stored> store(List<NewMail> mails, Instant now) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<Stored> stored = jdbc.inTransaction(c -> storeAll(c, mails, now));
                for (int i = 0; i < stored.size(); i++) {
                    NewMail m = mails.get(i);
                    if (stored.get(i).isNew()) {
                        recentRaw.put(stored.get(i).id(), m.buffer(), m.offset(), m.length());
                    }
                }
                return stored;
            } catch (StoreException e) {
                // another instance stored one of them at the same moment (unique key): the next pass finds it
                if (attempt >= 2 || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /** The row of a stored mail; {@code isNew} false when it had been stored before. */
    public record Stored(long id, boolean isNew) {
    }

    private List<Stored> storeAll(Connection c, List<NewMail> mails, Instant now) throws SQLException {
        List<Stored> out = new ArrayList<>();
        Map<List<String>, Long> stored = storedBefore(c, mails); // (mailbox, message key) -> row
        for (NewMail m : mails) {
            List<String> key = List.of(m.mailbox(), m.messageKey());
            Long existing = stored.get(key);
            if (existing != null) {
                if (m.uid() != null) {
                    // remember the UID too, so that the copy on the server is recognised without being downloaded
                    Jdbc.update(c, "UPDATE inbound SET uid_validity = ?, uid = ? WHERE id = ? AND uid IS NULL",
                            m.uidValidity(), m.uid(), existing);
                }
                out.add(new Stored(existing, false));
                continue;
            }
            long id = Jdbc.insert(c, "INSERT INTO inbound (mailbox, message_key, event_id, message_id, customer, "
                    + "from_header, subject, uid_validity, uid, raw, size_bytes, received_at, stored_at, state, "
                    + "attempts, failures, next_attempt_at, trace_parent) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)",
                    m.mailbox(), m.messageKey(), m.eventId(), m.messageId(), m.customer(), m.fromHeader(),
                    m.subject(), m.uidValidity(), m.uid(), jdbc.large(m.buffer(), m.offset(), m.length()),
                    (long) m.length(), m.receivedAt(), now, PENDING, now, m.traceParent());
            stored.put(key, id); // the same mail twice in one batch is stored once
            out.add(new Stored(id, true));
        }
        return out;
    }

    /**
     * The rows of those mails stored before, in one query (a batch is at most {@code PickupSettings.batchMessages}
     * mails), asked as (mailbox, message key) pairs, which both databases look up in the unique key. {@code mailbox = ?
     * AND message_key IN (…)} made H2 read every mail the mailbox ever stored (180–237 ms for a batch of 50 with
     * 100,000 stored; {@code bench/history.sh}); one {@code UNION ALL} branch per mail made PostgreSQL scan 50 times
     * with a plan it had made while the table was small.
     */
    private static Map<List<String>, Long> storedBefore(Connection c, List<NewMail> mails) throws SQLException {
        Set<List<String>> keys = new LinkedHashSet<>();
        for (NewMail m : mails) {
            keys.add(List.of(m.mailbox(), m.messageKey()));
        }
        Map<List<String>, Long> rows = new HashMap<>();
        for (Map.Entry<List<String>, Long> row : Jdbc.query(c, "SELECT mailbox, message_key, id FROM inbound "
                + "WHERE (mailbox, message_key) IN (" + String.join(", ", java.util.Collections.nCopies(keys.size(),
                "(?, ?)")) + ")", rs -> Map.entry(List.of(rs.getString(1), rs.getString(2)), rs.getLong(3)),
                keys.stream().flatMap(List::stream).toArray())) {
            rows.put(row.getKey(), row.getValue());
        }
        return rows;
    }

    /**
     * Claims the next mail due for the agent among {@code mailboxes}: the oldest pending mail whose time has come,
     * whose customer has no earlier mail still pending (waiting or in flight, on any instance), and that nobody holds.
     *
     * @param owner this instance's name; the claim's token adds a random part so that even a restarted dispatcher of
     *              the same instance never mistakes an old claim for its own
     */
    public Optional<Claim> claimNext(Collection<String> mailboxes, String owner, Instant now, Duration lease) {
        return claim(mailboxes, owner, now, lease, 1).stream().findFirst();
    }

    /**
     * Claims up to {@code max} mails at once, oldest first, each by the rule of {@link #claimNext}: the candidates are
     * the first pending mail of each customer, so no two claims ever belong to one customer.
     */
    public List<Claim> claim(Collection<String> mailboxes, String owner, Instant now, Duration lease, int max) {
        if (mailboxes.isEmpty() || max < 1) {
            return List.of();
        }
        return claim(new ArrayDeque<>(candidates(mailboxes, now, Math.max(16, 2 * max))), mailboxes, owner, now,
                lease, max);
    }

    /**
     * Up to {@code limit} mails that {@link #claimNext} could take now, oldest first: pending, due, held by nobody, and
     * the first pending mail of their customer. A dispatcher keeps them and claims from them as workers come free, so
     * that this query, which reads every pending mail, runs once per batch and not once per mail.
     */
    public List<Long> candidates(Collection<String> mailboxes, Instant now, int limit) {
        if (mailboxes.isEmpty() || limit < 1) {
            return List.of();
        }
        String in = placeholders(mailboxes.size());
        return jdbc.query("SELECT i.id FROM inbound i WHERE i.state = ? AND i.mailbox IN (" + in
                + ") AND i.next_attempt_at <= ? AND (i.lease_until IS NULL OR i.lease_until < ?) AND "
                + firstPendingOfCustomer("i", mailboxes.size()) + " ORDER BY i.id FETCH FIRST " + limit + " ROWS ONLY",
                rs -> rs.getLong(1), concat(concat(new Object[] {PENDING}, mailboxes.toArray()),
                        concat(new Object[] {now, now, PENDING}, mailboxes.toArray())));
    }

    /**
     * The condition "the row {@code alias} is the first pending mail of its customer among the mailboxes" (its
     * parameters: {@link #PENDING}, then the mailboxes). Written as the customer's lowest pending id rather than "no
     * earlier pending mail exists": PostgreSQL turned the {@code NOT EXISTS} into an anti join, and on a table it had
     * no statistics for yet (a new database, a first backlog) it planned that join as a scan of every pending mail for
     * each pending mail — 2.9 s per query with 3,000 pending, against 9 ms for this form, which can only be looked up
     * per mail through the customer's index.
     */
    private static String firstPendingOfCustomer(String alias, int mailboxes) {
        return alias + ".id = (SELECT MIN(e.id) FROM inbound e WHERE e.customer = " + alias + ".customer "
                + "AND e.state = ? AND e.mailbox IN (" + placeholders(mailboxes) + "))";
    }

    /**
     * Claims up to {@code max} of the {@code candidates} (taken from the queue's head in order, claimed or not) in one
     * transaction. Each claim checks the whole rule again, so candidates found a while ago are safe to use: one that
     * another dispatcher took, that finished or failed meanwhile, or whose customer has an earlier mail pending again
     * (a parked mail retried) is passed over. The claims need not survive a crash (the crash ends them anyway), so
     * their commit is lazy: it reaches an embedded file with the next durable commit, at the latest.
     */
    public List<Claim> claim(Queue<Long> candidates, Collection<String> mailboxes, String owner, Instant now,
            Duration lease, int max) {
        if (candidates.isEmpty() || mailboxes.isEmpty() || max < 1) {
            return List.of();
        }
        String rule = firstPendingOfCustomer("inbound", mailboxes.size());
        return jdbc.inLazyTransaction(c -> {
            Map<Long, String> tokens = new LinkedHashMap<>();
            while (tokens.size() < max && !candidates.isEmpty()) {
                long id = candidates.poll();
                String token = owner + "#" + UUID.randomUUID().toString().substring(0, 8);
                int claimed = Jdbc.update(c, "UPDATE inbound SET lease_owner = ?, lease_until = ?, "
                        + "attempts = attempts + 1 WHERE id = ? AND state = ? AND next_attempt_at <= ? "
                        + "AND (lease_until IS NULL OR lease_until < ?) AND " + rule,
                        concat(new Object[] {token, now.plus(lease), id, PENDING, now, now, PENDING},
                                mailboxes.toArray()));
                if (claimed == 1) {
                    tokens.put(id, token);
                }
            }
            if (tokens.isEmpty()) {
                return List.<Claim>of();
            }
            Map<Long, Mail> mails = new HashMap<>();
            for (Mail m : Jdbc.query(c, "SELECT " + COLUMNS + " FROM inbound WHERE id IN ("
                    + placeholders(tokens.size()) + ")", Inbox::mail, tokens.keySet().toArray())) {
                mails.put(m.id(), m);
            }
            List<Claim> claims = new ArrayList<>();
            tokens.forEach((id, token) -> claims.add(new Claim(mails.get(id), token)));
            return claims;
        });
    }

    /** Extends a claim; false when it was lost (expired and taken by another dispatcher, or the mail finished). */
    public boolean renew(Claim claim, Instant until) {
        return jdbc.update("UPDATE inbound SET lease_until = ? WHERE id = ? AND lease_owner = ? AND state = ?",
                until, claim.id(), claim.token(), PENDING) == 1;
    }

    /**
     * Gives up a claim that was never tried (taken ahead for a worker that did not come free in time, or left at
     * stop): the mail is claimable again at once, by any dispatcher, and the claim does not count as an attempt.
     *
     * @return false when the claim was lost already (expired and taken by another, or the mail finished)
     */
    public boolean release(Claim claim) {
        return jdbc.update("UPDATE inbound SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1 "
                + "WHERE id = ? AND lease_owner = ? AND state = ?", claim.id(), claim.token(), PENDING) == 1;
    }

    /** The raw RFC 5322 bytes of a stored mail (from memory when this process stored it just now). */
    public byte[] raw(long id) {
        byte[] recent = recentRaw.take(id);
        if (recent != null) {
            return recent;
        }
        return jdbc.queryOne("SELECT raw, size_bytes FROM inbound WHERE id = ?", Inbox::rawBytes, id)
                .orElseThrow(() -> new IllegalArgumentException("no inbound mail " + id));
    }

    /**
     * Reads the raw mail straight into one array of its stored size. (H2's {@code getBytes} on a BLOB copies through
     * a doubling buffer: up to three copies of a 13 MB mail at once.) Rows whose size was not recorded
     * (parked mails moved by the V4 migration have 0) are read whole.
     */
    private static byte[] rawBytes(ResultSet rs) throws SQLException {
        long size = rs.getLong(2);
        try (java.io.InputStream in = rs.getBinaryStream(1)) {
            if (size <= 0 || size > Integer.MAX_VALUE - 8) {
                return in.readAllBytes();
            }
            byte[] data = new byte[(int) size];
            int n = in.readNBytes(data, 0, data.length);
            byte[] rest = in.readAllBytes(); // empty unless the recorded size was wrong
            byte[] all = n == data.length && rest.length == 0 ? data : java.util.Arrays.copyOf(data, n + rest.length);
            System.arraycopy(rest, 0, all, n, rest.length);
            return all;
        } catch (java.io.IOException e) {
            throw new SQLException("cannot read the raw mail: " + e.getMessage(), e);
        }
    }

    /**
     * The message a first try stores, made once its session is known; {@code alreadyReceived} tells whether a file
     * (SHA-256) came earlier in that session.
     */
    @FunctionalInterface
    public interface FirstTry {
        StoredMessage message(SessionRef session, Predicate<String> alreadyReceived);
    }

    /**
     * Records the mail in its session at its first try (the session and the stored message are then fixed for every
     * retry), in one transaction: the customer's session opened or joined ({@code unverified}: a session of its own,
     * see {@link SessionStore#openUnverified}), the message {@code firstTry} makes stored in it, and both noted on the
     * mail — only while {@code claim} still holds, so a lost claim opens no session. A session opened now is durable
     * before this returns (the agent, told of it, may answer into it by its id later); joining an open one is a lazy
     * commit: lost in a crash, the retry joins the same session and the agent is told the same.
     *
     * @return the session, or empty when the claim was lost
     */
    public Optional<SessionRef> storeInSession(Claim claim, SessionStore sessions, EmailAddress customer,
            boolean unverified, Instant now, FirstTry firstTry) {
        String mailbox = claim.mail().mailbox();
        for (int attempt = 0; ; attempt++) {
            try {
                SessionRef stored = dispatchCommits.inTransaction(false, c -> {
                    // the session opened or joined now: its last activity is this message's time
                    SessionRef session = unverified ? sessions.openUnverified(c, customer, mailbox, now)
                            : sessions.openOrJoin(c, customer, mailbox, "INBOUND", now);
                    Predicate<String> received = session.isNew() ? sha256 -> false
                            : SessionStore.receivedFiles(c, session.id(), -1);
                    long row = SessionStore.insertMessage(c, firstTry.message(session, received));
                    if (Jdbc.update(c, "UPDATE inbound SET session_id = ?, session_new = ?, message_row = ? "
                            + "WHERE id = ? AND lease_owner = ? AND state = ?", session.id(), session.isNew(), row,
                            claim.id(), claim.token(), PENDING) != 1) {
                        throw new ClaimLost(); // no session, no message
                    }
                    return session;
                });
                if (stored.isNew()) {
                    jdbc.flush(); // the agent may answer into the new session later: it must survive a crash
                }
                return Optional.of(stored);
            } catch (ClaimLost e) {
                return Optional.empty();
            } catch (StoreException e) {
                // another instance (or an outbound message) opened a session for this customer at the same moment:
                // the unique key of open sessions let it win, and the next pass joins it
                if (attempt >= 2 || !isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * The agent accepted the mail: it is marked delivered and its reply, if any, queued in the outbox (as held when
     * the loop guard stopped it) and stored in the session — all in one transaction, by the holder of the claim only.
     * Without a reply the commit is lazy: lost in a crash, the mail reaches the agent again with its first
     * {@code event_id}, as a mail in flight at a crash does; with one it is durable before this returns (the reply may
     * be sent at once).
     *
     * @param reply      the reply to queue, or null
     * @param replyInSession the reply as its session stores it, or null
     * @return the outbox id of the reply (0 when there is none); empty when the claim was lost and nothing changed
     */
    public Optional<Long> delivered(Claim claim, Outbox.Draft reply, StoredMessage replyInSession, Instant now) {
        return dispatchCommits.inTransaction(reply != null, c -> {
            if (Jdbc.update(c, "UPDATE inbound SET state = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL, "
                    + "finished_at = ? WHERE id = ? AND lease_owner = ? AND state = ?",
                    DELIVERED, now, claim.id(), claim.token(), PENDING) != 1) {
                return Optional.<Long>empty(); // nothing changed
            }
            long outboxId = 0;
            if (reply != null) {
                outboxId = Outbox.enqueue(c, reply, now);
                if (replyInSession != null) {
                    SessionStore.addMessage(c, replyInSession);
                }
            }
            return Optional.of(outboxId);
        });
    }

    /** The mail is deliberately not sent to the agent (auto-reply, bounce, own mail); false when the claim was lost. */
    public boolean skipped(Claim claim, String reason, Instant now) {
        return jdbc.update("UPDATE inbound SET state = ?, lease_owner = NULL, lease_until = NULL, last_error = ?, "
                + "finished_at = ? WHERE id = ? AND lease_owner = ? AND state = ?",
                SKIPPED, truncate(reason), now, claim.id(), claim.token(), PENDING) == 1;
    }

    /**
     * Records a failed try and releases the claim. A transient or set-up failure keeps the mail pending until
     * {@code nextAttemptAt}; a failure of the mail itself parks it at the {@value #MAX_FAILURES}th.
     *
     * @return the mail after the change, or empty when the claim was lost
     */
    public Optional<Mail> failed(Claim claim, Failure kind, String error, Instant nextAttemptAt, Instant now) {
        boolean changed = jdbc.inTransaction(c -> {
            int failures = Jdbc.query(c, "SELECT failures FROM inbound WHERE id = ?", rs -> rs.getInt(1), claim.id())
                    .stream().findFirst().orElse(0) + (kind == Failure.MAIL ? 1 : 0);
            boolean park = kind == Failure.MAIL && failures >= MAX_FAILURES;
            return Jdbc.update(c, "UPDATE inbound SET state = ?, failures = ?, next_attempt_at = ?, last_error = ?, "
                    + "lease_owner = NULL, lease_until = NULL, finished_at = ? WHERE id = ? AND lease_owner = ? "
                    + "AND state = ?", park ? PARKED : PENDING, failures, nextAttemptAt, truncate(error),
                    park ? now : null, claim.id(), claim.token(), PENDING) == 1;
        });
        return changed ? find(claim.id()) : Optional.empty();
    }

    /** Puts a parked mail back to pending, due now, with its failure count reset; false when it is not parked. */
    public boolean retry(long id, Instant now) {
        return jdbc.update("UPDATE inbound SET state = ?, failures = 0, next_attempt_at = ?, finished_at = NULL "
                + "WHERE id = ? AND state = ?", PENDING, now, id, PARKED) == 1;
    }

    public Optional<Mail> find(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM inbound WHERE id = ?", Inbox::mail, id);
    }

    /** Filters of {@link #list}; null means any. */
    public record Filter(String state, String mailbox, String customer) {
    }

    /** Mails newest first, at most {@code limit}, with an id below {@code beforeId} when it is given (the cursor). */
    public List<Mail> list(Filter filter, int limit, Long beforeId) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM inbound WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (filter.state() != null) {
            sql.append(" AND state = ?");
            args.add(filter.state());
        }
        if (filter.mailbox() != null) {
            sql.append(" AND mailbox = ?");
            args.add(filter.mailbox());
        }
        if (filter.customer() != null) {
            sql.append(" AND customer = ?");
            args.add(filter.customer());
        }
        if (beforeId != null) {
            sql.append(" AND id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
        return jdbc.query(sql.toString(), Inbox::mail, args.toArray());
    }

    /** How many mails wait for the agent (pending, in flight included). */
    public int pending() {
        return jdbc.query("SELECT COUNT(*) FROM inbound WHERE state = ?", rs -> rs.getInt(1), PENDING).get(0);
    }

    private static Mail mail(ResultSet rs) throws SQLException {
        return new Mail(rs.getLong("id"), rs.getString("mailbox"), rs.getString("message_key"),
                rs.getString("event_id"), rs.getString("message_id"), rs.getString("customer"),
                rs.getString("from_header"), rs.getString("subject"), (Long) nullable(rs, "uid_validity"),
                (Long) nullable(rs, "uid"), rs.getLong("size_bytes"), Jdbc.instant(rs, "received_at"),
                Jdbc.instant(rs, "stored_at"), rs.getString("state"), rs.getInt("attempts"), rs.getInt("failures"),
                Jdbc.instant(rs, "next_attempt_at"), rs.getString("lease_owner"), Jdbc.instant(rs, "lease_until"),
                rs.getString("last_error"), rs.getString("session_id"), (Boolean) rs.getObject("session_new"),
                (Long) nullable(rs, "message_row"), Jdbc.instant(rs, "finished_at"), rs.getString("trace_parent"));
    }

    private static Object nullable(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static Object[] concat(Object[] a, Object[] b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
