package dev.emailchannel.session;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes the commits an embedded H2 file holds half done after its process was killed.
 *
 * <p>H2 commits a transaction in two steps: it marks the transaction's undo log "committed", then rewrites each row
 * the transaction changed as committed. A file written between the two (with {@code WRITE_DELAY=0} every commit of
 * another connection writes one) holds such a transaction; at the next open H2 finds it (status COMMITTED) and is
 * meant to finish it ({@code TransactionStore.endLeftoverTransactions}). H2 2.5.252 does not: its
 * {@code Transaction.commit()} does the work only for a transaction that was still active, so the leftover stays open
 * with its rows uncommitted. Readers then see the rows as they were before the commit (work reported committed is
 * gone: a reply marked sent is pending again), and a statement that writes one of them waits for a transaction that
 * never ends, spinning at full CPU past any lock timeout ({@code bench/store-kill.sh} hung that way on
 * {@code Outbox.claim}). 2.4.240 still finished them. This class does what H2 2.4 did: right after H2 opened the file
 * (before any migration or other work), every leftover transaction in status COMMITTED has its rows rewritten as
 * committed and is closed, through the package-private {@code TransactionStore.commit(Transaction, boolean recovery)}
 * and {@code endTransaction}. On an H2 that finishes them itself none is left by then, and nothing is done.
 */
final class H2LeftoverCommits {

    private static final Logger LOG = LoggerFactory.getLogger(H2LeftoverCommits.class);

    private H2LeftoverCommits() {
    }

    /**
     * @return how many half-done commits were finished (0 when none, or when the database is not an embedded H2
     *         opened in this JVM)
     */
    static int finish(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isWrapperFor(JdbcConnection.class)
                    || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return 0;
            }
            TransactionStore store = session.getDatabase().getStore().getTransactionStore();
            List<Transaction> leftovers = store.getOpenTransactions().stream()
                    .filter(t -> t.getStatus() == Transaction.STATUS_COMMITTED).toList();
            if (leftovers.isEmpty()) {
                return 0;
            }
            Method commit = TransactionStore.class.getDeclaredMethod("commit", Transaction.class, boolean.class);
            Method end = TransactionStore.class.getDeclaredMethod("endTransaction", Transaction.class, boolean.class);
            commit.setAccessible(true);
            end.setAccessible(true);
            for (Transaction t : leftovers) {
                commit.invoke(store, t, true);
                end.invoke(store, t, true);
            }
            session.getDatabase().getStore().getMvStore().commit();
            LOG.warn("H2: finished {} commit(s) the killed process had left half done (H2 2.5 leaves them open: their "
                    + "rows would have read as before the commit and blocked every write)", leftovers.size());
            return leftovers.size();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the embedded H2 database: " + e.getMessage(), e);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException i && i.getCause() != null ? i.getCause() : e;
            LOG.warn("H2: could not finish the commits a killed process left half done ({}); rows they changed may "
                    + "read as before the commit and block writes: run production on PostgreSQL", cause.toString());
            return 0;
        }
    }
}
