package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store on H2 in memory, schema from the project's Flyway migrations. */
class JdbcRefreshTokenStoreTest {

    private static final String MAILBOX = "sales@acme.test";
    private static final String CONFIGURED = "1//configured-refresh";

    private DataSource dataSource;
    private JdbcRefreshTokenStore store;
    private FakeTokenEndpoint endpoint;

    @BeforeEach
    void migrate() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:oauth-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        dataSource = h2;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new JdbcRefreshTokenStore(dataSource);
        endpoint = new FakeTokenEndpoint(CONFIGURED).rotate(true);
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.close();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    @Test
    void should_save_load_and_replace_a_token_per_mailbox() {
        assertThat(store.load(MAILBOX)).isEmpty();

        store.save(MAILBOX, new StoredRefreshToken("r1", StoredRefreshToken.sha256Hex(CONFIGURED)));
        store.save("SALES@acme.test", new StoredRefreshToken("r2", StoredRefreshToken.sha256Hex(CONFIGURED)));
        store.save("other@acme.test", new StoredRefreshToken("x", StoredRefreshToken.sha256Hex("other")));

        assertThat(store.load(MAILBOX)).contains(new StoredRefreshToken("r2", StoredRefreshToken.sha256Hex(CONFIGURED)));
        assertThat(store.load("other@acme.test").orElseThrow().refreshToken()).isEqualTo("x");
    }

    @Test
    void should_persist_a_rotated_token_that_a_restarted_provider_uses() throws Exception {
        OAuthTokenProvider first = provider(CONFIGURED);
        first.accessToken();

        assertThat(storedRow()).isEqualTo("rotated-1-refresh|" + StoredRefreshToken.sha256Hex(CONFIGURED));

        // restart: new provider and store over the same database; the fake revoked the configured token
        OAuthTokenProvider restarted = OAuthTokenProvider.builder(endpoint.credentials(MAILBOX, CONFIGURED))
                .refreshTokenStore(new JdbcRefreshTokenStore(dataSource)).build();
        assertThat(restarted.accessToken()).isEqualTo("access-2");
        assertThat(endpoint.lastRequest().form().get("refresh_token")).isEqualTo("rotated-1-refresh");
        assertThat(storedRow()).startsWith("rotated-2-refresh|");
    }

    @Test
    void should_use_a_newly_configured_token_instead_of_an_old_rotated_one() throws Exception {
        provider(CONFIGURED).accessToken(); // stores rotated-1-refresh for CONFIGURED
        endpoint.acceptRefreshToken("1//pasted-by-operator");

        OAuthTokenProvider afterEdit = provider("1//pasted-by-operator");
        afterEdit.accessToken();

        assertThat(endpoint.lastRequest().form().get("refresh_token")).isEqualTo("1//pasted-by-operator");
        assertThat(storedRow()).isEqualTo("rotated-2-refresh|" + StoredRefreshToken.sha256Hex("1//pasted-by-operator"));
    }

    @Test
    void should_not_put_the_token_into_a_database_error() {
        String tooLong = "secret-" + "x".repeat(9000);

        assertThatThrownBy(() -> store.save(MAILBOX, new StoredRefreshToken(tooLong, StoredRefreshToken.sha256Hex("c"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(MAILBOX + ": could not save the rotated OAuth refresh token (SQL state ")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-"));
    }

    private OAuthTokenProvider provider(String configured) {
        return OAuthTokenProvider.builder(endpoint.credentials(MAILBOX, configured)).refreshTokenStore(store).build();
    }

    private String storedRow() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT refresh_token, configured_token_sha256 FROM oauth_refresh_token"
                     + " WHERE mailbox = 'sales@acme.test'")) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1) + "|" + rs.getString(2);
        }
    }
}
