package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's page cache stays small, and so keeps no large mail in the heap: with H2's default (16 MB)
 * the blocks of a mail just stored and read back stayed in the cache, as much again as the mail itself.
 */
class DatabasePageCacheTest {

    @TempDir
    Path dir;

    @Test
    void should_keep_a_large_mail_out_of_the_page_cache_of_the_embedded_database() throws Exception {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("channel").toAbsolutePath(), null, null);
        try {
            byte[] raw = new byte[6_000_000];
            new Random(1).nextBytes(raw);
            Inbox inbox = new Inbox(db.dataSource());
            long id = inbox.store(List.of(new Inbox.NewMail("support@acme.test", "key-1", "event-1",
                    "<big@example.org>", "jane@example.org", null, "Scan", null, null, raw, Instant.now())),
                    Instant.now()).get(0).id();
            assertThat(inbox.raw(id)).isEqualTo(raw);

            assertThat(setting(db, "info.CACHE_SIZE")).as("MB in use after storing and reading 6 MB")
                    .isLessThanOrEqualTo(2);
            assertThat(setting(db, "info.CACHE_MAX_SIZE")).as("MB").isEqualTo(2);
        } finally {
            db.close();
        }
    }

    @Test
    void should_keep_a_cache_size_set_in_the_url() throws Exception {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("own").toAbsolutePath() + ";CACHE_SIZE=8192", null,
                null);
        try {
            assertThat(setting(db, "info.CACHE_MAX_SIZE")).as("MB").isEqualTo(8);
        } finally {
            db.close();
        }
        assertThat(Database.smallPageCache("jdbc:h2:file:./data/x;cache_size=65536"))
                .isEqualTo("jdbc:h2:file:./data/x;cache_size=65536");
        assertThat(Database.smallPageCache("jdbc:h2:file:./data/email-channel;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:./data/email-channel;WRITE_DELAY=0;CACHE_SIZE=2048");
        assertThat(Database.smallPageCache("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Database.smallPageCache("jdbc:postgresql://db/x")).isEqualTo("jdbc:postgresql://db/x");
    }

    @Test
    void should_cache_more_parsed_statements_per_connection_unless_the_url_says_otherwise() throws Exception {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("statements").toAbsolutePath(), null, null);
        try {
            assertThat(setting(db, "QUERY_CACHE_SIZE")).isEqualTo(64);
        } finally {
            db.close();
        }
        assertThat(Database.statementCache("jdbc:h2:file:./data/x;query_cache_size=16"))
                .isEqualTo("jdbc:h2:file:./data/x;query_cache_size=16");
        assertThat(Database.statementCache("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Database.statementCache("jdbc:postgresql://db/x")).isEqualTo("jdbc:postgresql://db/x");
    }

    @Test
    void should_compact_an_embedded_file_less_than_h2_would_unless_the_url_says_otherwise() throws Exception {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("compact").toAbsolutePath(), null, null);
        try {
            assertThat(autoCompactFillRate(db)).isEqualTo(50);
        } finally {
            db.close();
        }
        db = Database.open("jdbc:h2:file:" + dir.resolve("own-rate").toAbsolutePath() + ";AUTO_COMPACT_FILL_RATE=80",
                null, null);
        try {
            assertThat(autoCompactFillRate(db)).as("set in the URL").isEqualTo(80);
        } finally {
            db.close();
        }
        assertThat(Database.lessCompaction("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Database.lessCompaction("jdbc:postgresql://db/x")).isEqualTo("jdbc:postgresql://db/x");
    }

    /** The fill rate H2's background writer keeps the file's chunks at (a protected getter of H2's file store). */
    private static int autoCompactFillRate(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            org.h2.engine.SessionLocal session = (org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class)
                    .getSession();
            org.h2.mvstore.FileStore<?> files = session.getDatabase().getStore().getMvStore().getFileStore();
            java.lang.reflect.Method rate = org.h2.mvstore.FileStore.class.getDeclaredMethod("getAutoCompactFillRate");
            rate.setAccessible(true);
            return (int) rate.invoke(files);
        }
    }

    private static int setting(Database db, String name) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = '" + name + "'")) {
            assertThat(r.next()).as(name).isTrue();
            return Integer.parseInt(r.getString(1));
        }
    }
}
