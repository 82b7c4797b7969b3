package dev.emailchannel.testing;

import dev.emailchannel.session.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The two databases the channel runs on, for storage tests: embedded H2, and the machine's PostgreSQL
 * ({@code 127.0.0.1:5432}, trust auth, database {@code test}; {@code -Dtest.postgres.url=…} points elsewhere). Each
 * PostgreSQL database is a fresh schema, dropped on close. When PostgreSQL is not reachable the calling test is
 * skipped, unless {@code CI=true}: CI must run the PostgreSQL tests.
 */
public final class TestDatabases {

    public static final String POSTGRES = System.getProperty("test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private TestDatabases() {
    }

    /** The kinds, for {@code @MethodSource}: {@code h2} and {@code postgresql}. */
    public static Stream<String> kinds() {
        return Stream.of("h2", "postgresql");
    }

    /** A migrated database for one test; closing it closes the pool and drops a PostgreSQL schema. */
    public record TestDatabase(Database database, String schema) implements AutoCloseable {

        public DataSource dataSource() {
            return database.dataSource();
        }

        @Override
        public void close() {
            database.close();
            if (schema != null) {
                dropPostgresSchema(schema);
            }
        }
    }

    /** A new, migrated database of that kind ({@code h2} or {@code postgresql}). */
    public static TestDatabase open(String kind) {
        if (kind.equals("h2")) {
            return new TestDatabase(Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null,
                    null), null);
        }
        String schema = postgresSchema();
        return new TestDatabase(Database.open(postgresUrl(schema), null, null), schema);
    }

    /** A new, empty PostgreSQL schema; the JDBC URL that uses it is {@link #postgresUrl(String)}. */
    public static String postgresSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (Exception e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but PostgreSQL is not reachable at " + POSTGRES, e);
            }
            Assumptions.assumeTrue(false, "PostgreSQL not reachable at " + POSTGRES + ": " + e.getMessage());
        }
        return schema;
    }

    public static String postgresUrl(String schema) {
        return POSTGRES + "&currentSchema=" + schema;
    }

    public static void dropPostgresSchema(String schema) {
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            throw new IllegalStateException("could not drop schema " + schema, e);
        }
    }
}
