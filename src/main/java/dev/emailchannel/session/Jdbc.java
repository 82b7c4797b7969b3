package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small helpers over plain JDBC: parameter binding, one transaction per call, rows to records. */
final class Jdbc {

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A large value ({@code length} bytes of {@code bytes} from {@code offset}) to bind as a stream;
     * {@code checkpoints} is null where H2 needs none. */
    record Large(byte[] bytes, int offset, int length, H2Checkpoints checkpoints) {

        java.io.InputStream stream() {
            return checkpoints == null ? new java.io.ByteArrayInputStream(bytes, offset, length)
                    : checkpoints.reading(bytes, offset, length);
        }
    }

    private final DataSource dataSource;
    private final H2Checkpoints checkpoints;
    private final H2Flush flush;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
        this.checkpoints = dataSource instanceof Database.Pool pool ? pool.checkpoints : null;
        this.flush = flushOf(dataSource);
    }

    /** What makes a commit durable on an embedded H2 file ({@link H2Flush}); a no-op where every commit is. */
    static H2Flush flushOf(DataSource dataSource) {
        return dataSource instanceof Database.Pool pool ? pool.flush : H2Flush.NONE;
    }

    /** A raw mail to bind: on an embedded H2 file it is read by H2 with checkpoints ({@link H2Checkpoints}). */
    Large large(byte[] bytes, int offset, int length) {
        return new Large(bytes, offset, length, checkpoints);
    }

    /** Runs {@code work} in a transaction that is durable when this returns: a crash right after keeps it. */
    <T> T inTransaction(Work<T> work) {
        T result = transaction(work);
        flush();
        return result;
    }

    /**
     * Runs {@code work} in a transaction that is committed (others see it) but may be lost in a crash until the next
     * durable commit, or on an embedded H2 file up to {@link Database#WRITE_DELAY_MS} later: for changes that a crash
     * may undo without harm, as long as nothing outside the database acts on them before a durable commit does.
     */
    <T> T inLazyTransaction(Work<T> work) {
        return transaction(work);
    }

    private <T> T transaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Makes every commit so far durable: for lazy ones whose outcome turned out to matter beyond a crash.
     *
     * @throws StoreException when the embedded file could not be written (the commits stand, in memory)
     */
    void flush() {
        flush.flush();
    }

    /** Runs reads in one transaction (it changes nothing, so there is nothing to make durable). */
    <T> T read(Work<T> work) {
        return transaction(work);
    }

    int update(String sql, Object... args) {
        return inTransaction(c -> update(c, sql, args));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static long insert(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            bind(ps, args);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        return read(c -> query(c, sql, mapper, args));
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        return query(sql, mapper, args).stream().findFirst();
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof Instant instant) {
                ps.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (arg instanceof byte[] bytes) {
                // a stream, not setBytes: H2 copies a byte[] parameter into a value that its cached statement keeps
                // after the insert (one 13 MB mail per pooled connection, found in a heap dump)
                ps.setBinaryStream(i + 1, new java.io.ByteArrayInputStream(bytes), bytes.length);
            } else if (arg instanceof Large large) {
                ps.setBinaryStream(i + 1, large.stream(), large.length());
            } else if (arg == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, arg);
            }
        }
    }
}
