package dev.emailchannel.session;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The channel's JDBC store: a connection pool, migrated to the newest schema when it opens. */
public final class Database implements AutoCloseable {

    private static final String H2_FILE = "jdbc:h2:file:";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final Pool dataSource;

    private Database(Pool dataSource) {
        this.dataSource = dataSource;
    }

    /** The connection pool; for an embedded H2 file also what checkpoints while a large mail is stored. */
    static final class Pool extends HikariDataSource {

        /** Null unless the database is an embedded H2 file. */
        final H2Checkpoints checkpoints;
        /** Set once the database is migrated, before the pool is handed out; a no-op unless an embedded H2 file. */
        H2Flush flush = H2Flush.NONE;

        Pool(HikariConfig config, H2Checkpoints checkpoints) {
            super(config);
            this.checkpoints = checkpoints;
        }

        @Override
        public void close() {
            if (checkpoints != null) {
                checkpoints.close();
            }
            super.close();
        }
    }

    /**
     * Opens the database and applies pending migrations ({@code db/migration} on the classpath, and for H2 also
     * {@code db/h2}: raw mails as BLOBs, see there).
     *
     * @param url an H2 ({@code jdbc:h2:file:./data/…}) or PostgreSQL JDBC URL
     */
    public static Database open(String url, String user, String password) {
        createH2Folder(url);
        recoverAfterUncleanEnd(url);
        HikariConfig config = new HikariConfig();
        String jdbcUrl = lessCompaction(statementCache(smallPageCache(durable(url))));
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isEmpty()) {
            config.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setPoolName("email-channel-db");
        config.setConnectionTimeout(10_000);
        Pool ds = new Pool(config, isH2File(url) ? new H2Checkpoints(jdbcUrl, user, password) : null);
        try {
            if (isH2File(url)) {
                H2LeftoverCommits.finish(ds);
            }
            String[] locations = url.startsWith("jdbc:h2:")
                    ? new String[] {"classpath:db/migration", "classpath:db/h2"}
                    : new String[] {"classpath:db/migration"};
            Flyway.configure().dataSource(ds).locations(locations).load().migrate();
            if (isH2File(url)) {
                ds.flush = H2Flush.of(ds);
                ds.flush.flush(); // the migrations, and the commits H2LeftoverCommits finished
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    /**
     * An embedded H2 file whose commits reach the file when they must: H2's own {@code WRITE_DELAY} (500 ms by
     * default) lost, to a process killed in that half second, mails already marked read on the server and the "sent"
     * marks of replies the server had accepted (sent again after the restart); with {@code WRITE_DELAY=0} it writes a
     * chunk at every commit, also of those that need not survive a crash. The channel writes the file itself after each
     * commit that must ({@link H2Flush}), and H2 writes the others within {@value #WRITE_DELAY_MS} ms. An explicit
     * {@code WRITE_DELAY} in the URL is kept ({@code 0}: every commit written at once, as before).
     */
    static String durable(String url) {
        return withH2FileDefault(url, "WRITE_DELAY", String.valueOf(WRITE_DELAY_MS));
    }

    /** How long H2 may hold commits that need not survive a crash before it writes them to the file. */
    static final int WRITE_DELAY_MS = 100;

    /**
     * H2's page cache, in KB, for an embedded file unless the URL sets its own {@code CACHE_SIZE}. H2's default of
     * 16 MB kept up to 16 MB of the latest large mail's BLOB blocks in the heap (blocks of up to 256 KB, cached as they
     * are written and read). The cache is split into 16 segments and H2 keeps no page larger than a segment (here
     * 128 KB), so at 2 MB no large BLOB block is cached at all, while the small pages of tables and indexes still are.
     */
    static final int CACHE_SIZE_KB = 2048;

    /** The URL with {@code CACHE_SIZE=}{@value #CACHE_SIZE_KB} for an embedded H2 file; an explicit one is kept. */
    static String smallPageCache(String url) {
        return withH2FileDefault(url, "CACHE_SIZE", String.valueOf(CACHE_SIZE_KB));
    }

    /**
     * H2's per-connection cache of parsed statements, unless the URL sets {@code QUERY_CACHE_SIZE}. H2 keeps 8; one
     * mail's way through the dispatcher alone uses more than 8 different statements, so every one was parsed again
     * each time (an eighth of the dispatch threads' time in a profile of a 300-mail backlog).
     */
    static String statementCache(String url) {
        return withH2FileDefault(url, "QUERY_CACHE_SIZE", "64");
    }

    /**
     * How full (in %) H2 keeps an embedded file's chunks, unless the URL sets {@code AUTO_COMPACT_FILL_RATE}. H2's
     * background writer rewrites the live pages of chunks filled less than this (half of it while the file is being
     * written), and each commit that must survive a crash writes a small chunk of its own whose pages the next ones
     * soon replace: with H2's default of 90, this compaction took 4.1 % of the channel's CPU in a profile of a 300-mail
     * backlog, besides writing the rewritten pages again. At 50 the backlog ran ~8 % faster (4 of 5 runs side by side)
     * and the file was no larger (69 MB after 2,700 mails of 8 KB, against 67-74 MB; 140 against 153 MB after 5,400);
     * an idle file is compacted to half full at worst, where H2's default compacts it to 90 % (bench/README.md,
     * "H2 compaction, and raw mails from memory").
     */
    static final int AUTO_COMPACT_FILL_RATE = 50;

    /** The URL with {@code AUTO_COMPACT_FILL_RATE=}{@value #AUTO_COMPACT_FILL_RATE} for an embedded H2 file. */
    static String lessCompaction(String url) {
        return withH2FileDefault(url, "AUTO_COMPACT_FILL_RATE", String.valueOf(AUTO_COMPACT_FILL_RATE));
    }

    /** An embedded H2 file's URL with {@code ;setting=value} added, unless the URL sets {@code setting} itself. */
    private static String withH2FileDefault(String url, String setting, String value) {
        if (isH2File(url) && !hasSetting(url, setting)) {
            return url + ";" + setting + "=" + value;
        }
        return url;
    }

    /** Whether a JDBC URL sets {@code ;setting=} (H2's settings are case-insensitive). */
    private static boolean hasSetting(String url, String setting) {
        return url.toUpperCase(Locale.ROOT).contains(";" + setting + "=");
    }

    private static boolean isH2File(String url) {
        return url.startsWith(H2_FILE);
    }

    /**
     * An embedded H2 file that was not closed (the process killed, the OOM killer, power lost) opened at its newest
     * committed state. After such an end H2 2.5.252 starts from the chunk its store header (the file's first block)
     * names and follows each chunk's prediction of where the next one goes, as long as the chunk found there has the
     * next id. But 2.5 writes that header before it counts the chunk just written as its last one
     * ({@code RandomAccessStore.writeChunk} calls {@code writeStoreHeader()}; {@code FileStore.storeBuffer} sets
     * {@code lastChunk} after it returns; 2.4.240 set it first), so the header written because a new chunk did not
     * go where its predecessor predicted names that predecessor, whose successor is then not found. H2 opens there,
     * and the commits after it, already reported committed, are gone ({@code bench/store-kill.sh}: 10, 4 and 2 of 30
     * rounds lost committed steps; killed files showed the header naming e.g. version 0x1805 while 0x180c was
     * complete in the file; see bench/README.md). In MVStore's recovery mode H2 instead scans the whole file for its
     * newest complete version, and closing the store writes a clean header naming it, where the normal open that
     * follows starts. Done only when the header lacks H2's clean-shutdown mark, so a file that was closed is not
     * scanned (the scan took 0.03-1.04 s per reopen for the benchmark's files of up to 0.2 GB).
     */
    static void recoverAfterUncleanEnd(String url) {
        if (!isH2File(url) || hasSetting(url, "CIPHER")) {
            return; // an encrypted file is opened by H2 alone (the scan would need its key)
        }
        Path file = Path.of(h2FilePath(url) + ".mv.db");
        if (!Files.isRegularFile(file) || closedCleanly(file)) {
            return;
        }
        long start = System.nanoTime();
        try {
            MVStore store = new MVStore.Builder().fileName(file.toString()).recoveryMode().open();
            long version = store.getCurrentVersion();
            store.close();
            LOG.info("H2 file {} was not closed (process killed?): reopened at its newest version ({}) in {} ms", file,
                    version, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) { // MVStoreException mostly
            // locked by another process, say: H2's own open reports what is wrong, if anything
            LOG.warn("H2 file {} was not closed, and could not be scanned for its newest version: {}", file,
                    e.getMessage());
        }
    }

    /** Whether H2's store header, the first line of the file, carries its clean-shutdown mark ({@code clean:1}). */
    static boolean closedCleanly(Path file) {
        byte[] block = new byte[4096];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(block, 0, block.length);
        } catch (IOException e) {
            return false;
        }
        String header = new String(block, 0, n, StandardCharsets.ISO_8859_1).split("\n", 2)[0];
        for (String field : header.split(",")) {
            if (field.equals("clean:1")) {
                return true;
            }
        }
        return false;
    }

    /** The file name an embedded H2 URL names, without H2's {@code .mv.db}; {@code ~} is the user's home, as to H2. */
    private static String h2FilePath(String url) {
        String path = url.substring(H2_FILE.length()).split(";")[0];
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    private static void createH2Folder(String url) {
        if (isH2File(url)) {
            String path = h2FilePath(url);
            Path parent = Path.of(path).toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create database folder " + parent + ": " + e.getMessage(), e);
            }
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * For code that commits on connections of its own: returns once its commits are durable (on an embedded H2 file
     * they are written to the file, see {@link H2Flush}; other databases made them durable at the commit).
     */
    public static void flushCommits(DataSource dataSource) {
        Jdbc.flushOf(dataSource).flush();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
