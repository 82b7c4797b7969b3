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
 * A large mail goes to the embedded H2 file in pieces while H2 reads it, not in one write at the commit (which held the
 * whole mail in H2's heap twice over); it is still stored, committed and read back whole.
 */
class H2CheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void should_write_a_large_mail_to_the_file_while_it_is_read_and_commit_it_whole() throws Exception {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("channel").toAbsolutePath(), null, null);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            byte[] big = new byte[3 * H2Checkpoints.EVERY_BYTES + 12_345];
            new Random(5).nextBytes(big);
            byte[] small = "From: jane@example.org\r\nSubject: Hi\r\n\r\nHello\r\n".getBytes();

            long beforeSmall = storeVersion(db);
            long smallId = store(inbox, "small", small);
            long writesForSmall = storeVersion(db) - beforeSmall;
            long beforeBig = storeVersion(db);
            long bigId = store(inbox, "big", big);
            long writesForBig = storeVersion(db) - beforeBig;

            assertThat(writesForBig).as("a mail of 3 x %d bytes: written to the file at least twice while it was read, besides what a small mail "
                    + "costs (%d)", H2Checkpoints.EVERY_BYTES, writesForSmall).isGreaterThanOrEqualTo(writesForSmall + 2);
            assertThat(inbox.raw(bigId)).isEqualTo(big);
            assertThat(inbox.raw(smallId)).isEqualTo(small);
        } finally {
            db.close();
        }
    }

    @Test
    void should_store_large_mails_on_a_database_that_is_not_an_h2_file_as_before() {
        Database db = Database.open("jdbc:h2:mem:checkpoints-" + System.nanoTime(), null, null);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            byte[] big = new byte[3 * H2Checkpoints.EVERY_BYTES];
            new Random(6).nextBytes(big);
            assertThat(inbox.raw(store(inbox, "big", big))).isEqualTo(big);
        } finally {
            db.close();
        }
    }

    private static long store(Inbox inbox, String key, byte[] raw) {
        return inbox.store(List.of(new Inbox.NewMail("support@acme.test", key, "event-" + key, "<" + key + "@x>",
                "jane@example.org", null, "Scan", null, null, raw, Instant.now())), Instant.now()).get(0).id();
    }

    /** H2's store version: one more each time its store is written to the file. */
    private static long storeVersion(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'info.CURRENT_VERSION'")) {
            assertThat(r.next()).isTrue();
            return Long.parseLong(r.getString(1));
        }
    }
}
