package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One database transaction across the stores, for what must happen all or not at all: a campaign's emails with their
 * sessions, or an API request and the record of its {@code Idempotency-Key}.
 */
public final class Transactions {

    /** Work inside a transaction; the stores' methods that take a {@link Connection} join it. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Jdbc jdbc;

    public Transactions(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** Runs {@code work} and commits, or rolls everything back when it throws. */
    public <T> T run(Work<T> work) {
        return jdbc.inTransaction(work::run);
    }
}
