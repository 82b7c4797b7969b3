package dev.emailchannel.bench;

import static dev.emailchannel.bench.BenchFigures.loadAverage;
import static dev.emailchannel.bench.BenchFigures.median;

import dev.emailchannel.session.Database;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the lookups made for every new mail and every reply cost as the inbox and the outbox fill with history: the
 * inbox keeps every mail it stored and the outbox every reply, so a lookup that reads the mailbox's (or the outbox's)
 * whole history gets slower every day, while one that reads only the rows it asks for does not.
 *
 * <p>For each history size (mails already stored for the mailbox, replies already queued) it times, median of several
 * calls: the pickup's check "which of these 300 unread UIDs are stored already" ({@link Inbox#knownUids}; 50 of them
 * are), storing a batch of 50 new mails ({@link Inbox#store}, which first looks up which of them are stored), and the
 * mail loop guard's count of recent replies to one recipient ({@link Outbox#queuedOrSentTo}) and its look at one
 * customer's latest mails and the replies they answer ({@link SessionStore#latestRounds}; a customer whose sessions are
 * spread over the whole history, one in every tenth of it), and closing the idle sessions ({@link
 * SessionStore#closeIdle}, once a minute; all of the history's sessions are closed already).
 *
 * <p>Run: {@code bash bench/history.sh [h2|postgresql] [sizes=1000,10000,100000]}.
 */
public final class HistoryBenchmark {

    private static final String MAILBOX = "support@example.test";
    private static final String CONNECTION = "email";
    private static final long UID_VALIDITY = 7;
    private static final int CALLS = 15;
    private static final byte[] RAW = ("From: a@example.org\r\nSubject: hi\r\n\r\n" + "x".repeat(200))
            .getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "h2";
        List<Integer> sizes = new ArrayList<>();
        for (String s : (args.length > 1 ? args[1] : "1000,10000,100000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        System.out.printf(Locale.ROOT, "history lookups on %s, %d calls per figure (median), load %s%n", kind, CALLS,
                loadAverage());
        Path dir = BenchWork.directory("history-bench");
        String schema = kind.equals("postgresql") ? TestDatabases.postgresSchema() : null;
        Database db = Database.open(schema != null ? TestDatabases.postgresUrl(schema)
                : "jdbc:h2:file:" + dir.resolve("email-channel"), null, null);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            Outbox outbox = new Outbox(db.dataSource());
            SessionStore sessions = new SessionStore(db.dataSource(), CONNECTION, Duration.ofDays(7));
            Instant now = Instant.now();
            int stored = 0;
            int nextKey = 0;
            for (int size : sizes) {
                // history: stored mails with UIDs 1..size, closed sessions, replies to size / 10 recipients over days
                for (; stored < size; stored += 500) {
                    List<Inbox.NewMail> batch = new ArrayList<>();
                    for (int i = stored; i < Math.min(size, stored + 500); i++) {
                        batch.add(mail(i + 1L, "old-" + i));
                    }
                    inbox.store(batch, now);
                    sessionsHistory(db, stored, Math.min(size, stored + 500), size / 10, now);
                    for (int i = stored; i < Math.min(size, stored + 500); i++) {
                        outbox.enqueue(new Outbox.Draft(null, MAILBOX, "<r" + i + "@example.test>",
                                "Customer-" + (i % Math.max(1, size / 10)) + "@Example.org", "Re: hi", RAW, null),
                                now.minus(Duration.ofMinutes(i % 5000)));
                    }
                }
                if (schema != null) {
                    // what autovacuum does within a minute or so of such a fill: without statistics PostgreSQL keeps
                    // the plans it made for the small table of the size before
                    try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                        st.execute("ANALYZE inbound");
                        st.execute("ANALYZE outbox");
                        st.execute("ANALYZE chat_session");
                        st.execute("ANALYZE session_message");
                    }
                }
                List<Double> known = new ArrayList<>();
                List<Double> store = new ArrayList<>();
                List<Double> guard = new ArrayList<>();
                List<Double> rounds = new ArrayList<>();
                List<Double> idle = new ArrayList<>();
                for (int call = 0; call < CALLS + 3; call++) {
                    // 300 unread on the server: the 50 newest stored ones and 250 new (their UIDs follow)
                    List<Long> uids = new ArrayList<>();
                    for (long uid = size - 49; uid <= size + 250; uid++) {
                        uids.add(uid);
                    }
                    long t0 = System.nanoTime();
                    Set<Long> found = inbox.knownUids(MAILBOX, UID_VALIDITY, uids);
                    double knownMs = (System.nanoTime() - t0) / 1e6;
                    if (found.size() != Math.min(50, size)) {
                        throw new IllegalStateException("knownUids found " + found.size() + " stored of 50");
                    }
                    List<Inbox.NewMail> batch = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        batch.add(mail(null, "new-" + nextKey++));
                    }
                    t0 = System.nanoTime();
                    inbox.store(batch, now);
                    double storeMs = (System.nanoTime() - t0) / 1e6;
                    // a new reply each time (H2 answers a repeated query on an unchanged table from a cache)
                    outbox.enqueue(new Outbox.Draft(null, MAILBOX, "<n" + nextKey + "@example.test>",
                            "other-" + nextKey + "@example.org", "Re: hi", RAW, null), now);
                    t0 = System.nanoTime();
                    int recent = outbox.queuedOrSentTo("customer-1@example.org", now.minus(Duration.ofHours(1)));
                    double guardMs = (System.nanoTime() - t0) / 1e6;
                    if (size >= 20 && recent == 0) {
                        throw new IllegalStateException("the loop guard counted no reply to customer-1");
                    }
                    t0 = System.nanoTime();
                    int latest = sessions.latestRounds("Customer-5@Example.org", 8).size();
                    double roundsMs = (System.nanoTime() - t0) / 1e6;
                    if (latest != 8) {
                        throw new IllegalStateException("latestRounds gave " + latest + " mails of customer-5");
                    }
                    t0 = System.nanoTime();
                    sessions.closeIdle(now);
                    double idleMs = (System.nanoTime() - t0) / 1e6;
                    if (call >= 3) { // the first calls warm the JIT up
                        rounds.add(roundsMs);
                        idle.add(idleMs);
                        known.add(knownMs);
                        store.add(storeMs);
                        guard.add(guardMs);
                    }
                }
                System.out.printf(Locale.ROOT, "history %,7d mails and replies: known UIDs (300 asked) %7.2f ms, "
                        + "store 50 new mails %7.2f ms, loop guard count %7.2f ms, latest rounds %7.2f ms, close idle "
                        + "sessions %7.2f ms%n", size, median(known), median(store), median(guard), median(rounds),
                        median(idle));
            }
        } finally {
            db.close();
            if (schema != null) {
                TestDatabases.dropPostgresSchema(schema);
            }
        }
        System.out.println("reproduce: bash bench/history.sh " + kind + " " + String.join(",",
                sizes.stream().map(String::valueOf).toList()));
    }

    /**
     * Sessions {@code from}…{@code to - 1}, closed, each with a mail of its customer and our reply to it; session i is
     * customer {@code i % customers}'s (so a customer's sessions are spread over the whole history). Plain JDBC
     * batches: the fill is not what is measured.
     */
    private static void sessionsHistory(Database db, int from, int to, int customers, Instant now) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement session = c.prepareStatement("INSERT INTO chat_session (id, connection_name, customer, "
                     + "mailbox, origin, status, opened_at, last_activity_at, closed_at) "
                     + "VALUES (?, ?, ?, ?, 'INBOUND', 'CLOSED', ?, ?, ?)");
             PreparedStatement message = c.prepareStatement("INSERT INTO session_message (session_id, direction, "
                     + "mailbox, message_id, in_reply_to, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int i = from; i < to; i++) {
                String id = String.format(Locale.ROOT, "00000000-0000-0000-0000-%012d", i);
                java.sql.Timestamp at = java.sql.Timestamp.from(now.minus(Duration.ofMinutes(to - i)));
                session.setString(1, id);
                session.setString(2, CONNECTION);
                session.setString(3, "customer-" + (i % customers) + "@example.org");
                session.setString(4, MAILBOX);
                session.setTimestamp(5, at);
                session.setTimestamp(6, at);
                session.setTimestamp(7, at);
                session.addBatch();
                for (String direction : List.of("IN", "OUT")) {
                    message.setString(1, id);
                    message.setString(2, direction);
                    message.setString(3, MAILBOX);
                    message.setString(4, "<" + direction + i + "@example.org>");
                    message.setString(5, direction.equals("OUT") ? "<IN" + i + "@example.org>" : null);
                    message.setTimestamp(6, at);
                    message.addBatch();
                }
            }
            session.executeBatch();
            message.executeBatch();
            c.commit();
        }
    }

    private static Inbox.NewMail mail(Long uid, String key) {
        String messageKey = String.format(Locale.ROOT, "%064x", key.hashCode() & 0xffffffffL) + key;
        return new Inbox.NewMail(MAILBOX, messageKey.substring(messageKey.length() - 64), "ev-" + key,
                "<" + key + "@example.org>", "customer-" + (key.hashCode() & 1023) + "@example.org",
                "Customer <customer@example.org>", "hi", uid == null ? null : UID_VALIDITY, uid, RAW, Instant.now());
    }
}
