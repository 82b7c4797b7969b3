package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.emailchannel.testing.ChildJvm;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.tx.Transaction;
import org.h2.mvstore.tx.TransactionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file killed between the two steps of a commit: the child marks its transaction's undo log committed (H2's first
 * step), has the store written, and halts before the rows are rewritten (the second step), as a {@code kill -9} can.
 */
class H2LeftoverCommitsTest {

    @TempDir
    Path dir;

    @Test
    void a_commit_left_half_done_is_finished_at_the_next_open() throws Exception {
        String url = leftHalfCommitted();
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url + ";LOCK_TIMEOUT=2000");
        try (Connection keepOpen = ds.getConnection()) {
            assertThat(H2LeftoverCommits.finish(ds)).isEqualTo(1);
            assertThat(value(keepOpen)).as("the committed update").isEqualTo("after");
            // a write of the row the commit changed: spins forever without the fix
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                try (Statement st = keepOpen.createStatement()) {
                    assertThat(st.executeUpdate("UPDATE t SET v = 'later' WHERE id = 1")).isEqualTo(1);
                }
            });
            assertThat(value(keepOpen)).isEqualTo("later");
            assertThat(H2LeftoverCommits.finish(ds)).as("none left").isZero();
        }
    }

    /** What H2 2.5.252 does alone: the committed update reads as undone (the reason for the class). */
    @Test
    void without_it_h2_shows_the_row_as_before_the_commit() throws Exception {
        String url = leftHalfCommitted();
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(value(c)).isEqualTo("before");
        }
    }

    @Test
    void other_databases_are_left_alone() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:leftovers");
        assertThat(H2LeftoverCommits.finish(ds)).isZero();
    }

    private String leftHalfCommitted() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("half").toAbsolutePath() + ";WRITE_DELAY=0";
        ChildJvm.Result child = ChildJvm.run(H2LeftoverCommitsTest.class, List.of(), url);
        assertThat(child.exitCode()).as("the child halted after writing the half-done commit: %s", child.output())
                .isEqualTo(42);
        return url;
    }

    private static String value(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM t WHERE id = 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The child: a committed row, an update of it, the undo log marked committed, the store written, halt. */
    public static void main(String[] args) throws Exception {
        Connection c = DriverManager.getConnection(args[0]);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
            st.execute("INSERT INTO t VALUES (1, 'before')");
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE t SET v = 'after' WHERE id = 1");
        }
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        Transaction tx = session.getTransaction();
        TransactionStore store = session.getDatabase().getStore().getTransactionStore();
        Method mark = TransactionStore.class.getDeclaredMethod("markUndoLogAsCommitted", int.class, long.class);
        mark.setAccessible(true);
        mark.invoke(store, tx.getId(), 1L);
        session.getDatabase().getStore().getMvStore().commit();
        Runtime.getRuntime().halt(42);
    }
}
