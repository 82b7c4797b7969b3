package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mails with attachments of a megabyte on the default database (an embedded H2 file): stored by the pickup while the
 * dispatcher claims and reads them, as in a morning backlog of photos and PDFs. Kept as VARBINARY pages, values this
 * size broke H2's MVStore ("Reading from file … failed", "File corrupted in chunk") within a hundred mails, or
 * exhausted a 256 MB heap; as BLOBs they are streamed in blocks.
 */
class InboxLargeMailsTest {

    static final int MAILS = 200;

    @TempDir
    Path dir;

    @Test
    void should_keep_the_mails_of_an_h2_inbox_made_before_raw_mails_became_blobs() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("old").toAbsolutePath();
        byte[] raw = "From: a@example.org\r\nSubject: kept\r\n\r\nHello\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
            org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
                    .target("4").load().migrate(); // the schema as the previous version left it
            org.h2.jdbcx.JdbcDataSource old = new org.h2.jdbcx.JdbcDataSource();
            old.setURL(url);
            new Inbox(old).store(List.of(new Inbox.NewMail("support@acme.test", "old-key", "old-event", "<old@example.org>",
                    "a@example.org", null, "kept", null, null, raw, Instant.now())), Instant.now());
        }
        Database db = Database.open(url, null, null);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            long id = inbox.list(new Inbox.Filter(null, null, null), 1, null).get(0).id();
            assertThat(inbox.raw(id)).isEqualTo(raw);
            try (java.sql.Connection c = db.dataSource().getConnection();
                 java.sql.ResultSet r = c.createStatement().executeQuery("SELECT DATA_TYPE FROM "
                         + "INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'INBOUND' AND COLUMN_NAME = 'RAW'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("BINARY LARGE OBJECT");
            }
        } finally {
            db.close();
        }
    }

    @Test
    void should_store_and_deliver_200_mails_of_1_4_MB_while_they_are_claimed_on_an_h2_file() throws Exception {
        Database db = Database.open("jdbc:h2:file:" + dir.resolve("channel").toAbsolutePath(), null, null);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            byte[] raw = new byte[1_400_000];
            new Random(7).nextBytes(raw);
            AtomicInteger stored = new AtomicInteger();
            AtomicInteger finished = new AtomicInteger();
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                work.add(pool.submit(() -> {
                    for (int i; (i = stored.getAndIncrement()) < MAILS; ) {
                        inbox.store(List.of(new Inbox.NewMail("support@acme.test", "key-" + i, "event-" + i,
                                "<m" + i + "@example.org>", "customer-" + i + "@example.org", null, "Photo " + i, null,
                                null, raw, Instant.now())), Instant.now());
                    }
                    return null;
                }));
            }
            for (int w = 0; w < 4; w++) {
                work.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (finished.get() < MAILS && System.nanoTime() < deadline) {
                        var claim = inbox.claimNext(List.of("support@acme.test"), "test", Instant.now(),
                                Duration.ofSeconds(30));
                        if (claim.isEmpty()) {
                            Thread.sleep(5);
                            continue;
                        }
                        assertThat(inbox.raw(claim.get().id())).hasSize(raw.length);
                        assertThat(inbox.skipped(claim.get(), "test", Instant.now())).isTrue();
                        finished.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(); // rethrows a database failure of any worker
            }
            assertThat(finished).hasValue(MAILS);
            assertThat(inbox.raw(inbox.list(new Inbox.Filter(null, null, null), 1, null).get(0).id())).isEqualTo(raw);
        } finally {
            pool.shutdownNow();
            db.close();
        }
    }
}
