package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * Writes an embedded H2 file's committed transactions to the file, for the commits that must survive a crash.
 *
 * <p>With {@code WRITE_DELAY=0} H2 writes its store to the file at every commit that changed something, a chunk per
 * commit: in the backlog benchmark about 230 chunks per 300 mails, H2's commits 18 % of the channel's CPU
 * (bench/README.md, "Lazy commits on the embedded H2 file"). Many of those commits
 * need not reach the file before the thread goes on: a claim on a mail (lost in a crash, the mail is simply claimable
 * again), or a mail marked delivered without a reply (lost, it reaches the agent again with its first
 * {@code event_id}, as a mail in flight at a crash does). So the channel opens the file with a write delay and writes
 * the store itself after each commit that must be durable ({@link Jdbc#inTransaction}); the others
 * ({@link Jdbc#inLazyTransaction}) reach the file with the next such write, or H2's own background write within the
 * delay. One write takes every commit made before it: a thread whose commit another thread's write already took
 * returns at once ({@link MVStore#commit()} writes only when the store's version did not change while it waited).
 * A write that must precede something outside the database (a mail marked read on the server, a reply sent, an agent
 * called) therefore also carries every lazy commit it depends on: they were committed before it, in memory.
 */
final class H2Flush {

    /** For any other database, whose commits are durable when they return: writes nothing. */
    static final H2Flush NONE = new H2Flush(null);

    private final MVStore store; // null: NONE

    private H2Flush(MVStore store) {
        this.store = store;
    }

    /** The store behind an embedded H2 database opened in this JVM; {@link #NONE} for any other database. */
    static H2Flush of(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)
                    || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)
                    || session.getDatabase().getStore() == null
                    || !session.getDatabase().isPersistent()) {
                return NONE;
            }
            return new H2Flush(session.getDatabase().getStore().getMvStore());
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Returns once everything committed so far is in the file. */
    void flush() {
        if (store == null) {
            return;
        }
        try {
            store.commit();
        } catch (RuntimeException e) { // MVStoreException: the file could not be written
            throw new StoreException(new SQLException("the embedded H2 file could not be written: " + e.getMessage(),
                    e));
        }
    }
}
