package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The migration and the store on a real PostgreSQL, when {@code TEST_POSTGRES_URL} names an empty
 * scratch database (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}); skipped
 * otherwise. The test leaves the migrated schema in place, so point it at a throwaway database.
 */
@EnabledIfEnvironmentVariable(named = "TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class JdbcRefreshTokenStorePostgresTest {

    @Test
    void should_migrate_and_upsert_on_postgresql() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(System.getenv("TEST_POSTGRES_URL"));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM oauth_refresh_token WHERE mailbox = 'pg@acme.test'");
        }
        JdbcRefreshTokenStore store = new JdbcRefreshTokenStore(dataSource);
        String configured = StoredRefreshToken.sha256Hex("configured");

        store.save("PG@acme.test", new StoredRefreshToken("r1", configured));
        store.save("pg@acme.test", new StoredRefreshToken("r2", configured));

        assertThat(store.load("pg@acme.test")).contains(new StoredRefreshToken("r2", configured));
    }
}
