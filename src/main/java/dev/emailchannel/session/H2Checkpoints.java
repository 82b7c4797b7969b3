package dev.emailchannel.session;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file from holding a large mail whole while it is stored. H2 keeps the blocks of a BLOB being
 * written in the heap until its store next goes to the file, which the commit of the transaction does, and that write
 * serialises them all into one buffer that grows past the size of the mail: storing a 13.7 MB mail cost H2 about
 * 45 MB of heap, on top of the mail itself. A {@code CHECKPOINT} after every {@value #EVERY_BYTES} bytes H2 reads
 * writes the blocks read so far to the file (as H2's own background writer does when {@code WRITE_DELAY} is above 0)
 * and lets them go: the same mail then costs H2 about 8 MB. Nothing becomes visible or committed earlier: the row and
 * its BLOB are committed by the transaction, as before.
 */
final class H2Checkpoints implements AutoCloseable {

    static final int EVERY_BYTES = 2 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(H2Checkpoints.class);

    private final String url;
    private final Properties credentials;
    /** Its own connection, not a pooled one: taken while a pooled connection is busy writing the mail. */
    private Connection connection;
    private boolean failed;
    private boolean closed;

    H2Checkpoints(String url, String user, String password) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
    }

    /** What H2 reads a value from: a plain stream, or for a large one a stream that checkpoints as it is read. */
    InputStream reading(byte[] bytes, int offset, int length) {
        if (length <= EVERY_BYTES) {
            return new ByteArrayInputStream(bytes, offset, length);
        }
        return new FilterInputStream(new ByteArrayInputStream(bytes, offset, length)) {
            private long read;
            private long next = EVERY_BYTES;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                counted(n);
                return n;
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                counted(c < 0 ? -1 : 1);
                return c;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                counted(skipped);
                return skipped;
            }

            private void counted(long n) {
                if (n > 0 && (read += n) >= next) {
                    next = read + EVERY_BYTES;
                    checkpoint();
                }
            }
        };
    }

    /** Writes what H2 holds unsaved to its file; on failure (no admin rights, say) it stops trying, storing goes on. */
    synchronized void checkpoint() {
        if (failed || closed) {
            return;
        }
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, credentials);
            }
            try (Statement s = connection.createStatement()) {
                s.execute("CHECKPOINT");
            }
        } catch (SQLException e) {
            failed = true;
            LOG.warn("H2 refused a CHECKPOINT ({}); from now on H2 holds each large mail in memory while it is stored",
                    e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the checkpoint connection: {}", e.getMessage());
            }
            connection = null;
        }
    }
}
