package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** The migration and the store on the machine's PostgreSQL, in a schema of its own (see TestDatabases). */
class JdbcRefreshTokenStorePostgresTest {

    @Test
    void should_migrate_and_upsert_on_postgresql() throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open("postgresql")) {
            upsert(db.dataSource());
        }
    }

    private static void upsert(javax.sql.DataSource dataSource) {
        JdbcRefreshTokenStore store = new JdbcRefreshTokenStore(dataSource);
        String configured = StoredRefreshToken.sha256Hex("configured");

        store.save("PG@acme.test", new StoredRefreshToken("r1", configured));
        store.save("pg@acme.test", new StoredRefreshToken("r2", configured));

        assertThat(store.load("pg@acme.test")).contains(new StoredRefreshToken("r2", configured));
    }
}
