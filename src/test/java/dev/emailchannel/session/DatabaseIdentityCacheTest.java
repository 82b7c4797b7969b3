package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.ChildJvm;
import dev.emailchannel.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity values on an embedded H2 file come from a cache of 1000 (db/h2/V8_1): the inbox's order is its ids' order,
 * so a process killed with part of a cache unused must leave a gap, never hand the same or a lower id out again.
 * PostgreSQL keeps a cache of 1 (its caches are per connection: ids would not follow the order of arrival).
 */
class DatabaseIdentityCacheTest {

    static final List<String> TABLES = List.of("INBOUND", "SESSION_MESSAGE", "MESSAGE_ATTACHMENT", "OUTBOX");

    @TempDir
    Path dir;

    /** In a JVM of its own: stores mails {@code args[1]}-1..3 one by one in the inbox, then halts at once. */
    public static void main(String[] args) {
        Database db = Database.open(args[0], null, null);
        store(new Inbox(db.dataSource()), args[1]);
        Runtime.getRuntime().halt(9); // as kill -9: nothing is closed or flushed
    }

    @Test
    void an_h2_file_caches_1000_ids_and_a_killed_process_never_has_its_ids_used_again() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("channel").toAbsolutePath();
        ChildJvm.Result child = ChildJvm.run(DatabaseIdentityCacheTest.class, List.of(), url, "before");
        assertThat(child.exitCode()).as("the child stored its mails and halted: %s", child.output()).isEqualTo(9);

        Database db = Database.open(url, null, null);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            store(inbox, "after");
            List<Inbox.Mail> oldestFirst = new ArrayList<>(inbox.list(new Inbox.Filter(null, null, null), 10, null));
            java.util.Collections.reverse(oldestFirst); // listed newest first
            assertThat(oldestFirst).extracting(Inbox.Mail::messageId).containsExactly("<before-1@example.org>",
                    "<before-2@example.org>", "<before-3@example.org>", "<after-1@example.org>",
                    "<after-2@example.org>", "<after-3@example.org>");
            long lastBefore = oldestFirst.get(2).id();
            long firstAfter = oldestFirst.get(3).id();
            assertThat(firstAfter).as("the rest of the killed process's cache is skipped").isGreaterThan(lastBefore + 1);
            try (Connection c = db.dataSource().getConnection()) {
                for (String table : TABLES) {
                    assertThat(identityCache(c, "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS "
                            + "WHERE TABLE_NAME = ? AND COLUMN_NAME = 'ID'", table)).as(table).isEqualTo(1000);
                }
            }
        } finally {
            db.close();
        }
    }

    @Test
    void postgresql_keeps_its_default_of_one_id_at_a_time() throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open("postgresql");
             Connection c = db.dataSource().getConnection()) {
            for (String table : TABLES) {
                assertThat(identityCache(c, "SELECT cache_size FROM pg_sequences WHERE schemaname = '" + db.schema()
                        + "' AND sequencename = lower(?) || '_id_seq'", table)).as(table).isEqualTo(1);
            }
        }
    }

    private static void store(Inbox inbox, String prefix) {
        for (int i = 1; i <= 3; i++) {
            String id = prefix + "-" + i;
            inbox.store(List.of(new Inbox.NewMail("support@acme.test", id, "event-" + id, "<" + id + "@example.org>",
                    "jane@example.org", null, "Order", null, null, new byte[] {'x'}, Instant.now())), Instant.now());
        }
    }

    private static long identityCache(Connection c, String sql, String table) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("a sequence for %s", table).isTrue();
                return r.getLong(1);
            }
        }
    }
}
