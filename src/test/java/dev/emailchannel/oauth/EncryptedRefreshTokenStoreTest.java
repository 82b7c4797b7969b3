package dev.emailchannel.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.emailchannel.secrets.SecretsCipher;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Rotated refresh tokens encrypted at rest (SECRETS_KEY), on H2 and, when reachable, PostgreSQL. */
class EncryptedRefreshTokenStoreTest {

    private static final String POSTGRES = System.getProperty("test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    private static final String MAILBOX = "sales@acme.test";
    private static final String KEY_1 = "first-key-0123456789abcdefghij";
    private static final String KEY_2 = "second-key-0123456789abcdefghij";
    private static final String SHA = StoredRefreshToken.sha256Hex("configured");

    /** The PostgreSQL schema of the running test, dropped after it; null on H2. */
    private String schema;

    private DataSource database(String kind) throws Exception {
        DataSource ds;
        if (kind.equals("h2")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:enc-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            ds = h2;
        } else {
            schema = "sec_" + UUID.randomUUID().toString().replace("-", "");
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (Exception e) {
                assumeTrue(false, "PostgreSQL not reachable at " + POSTGRES + ": " + e.getMessage());
            }
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(POSTGRES + "&currentSchema=" + schema);
            ds = pg;
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    private static String row(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT refresh_token FROM oauth_refresh_token WHERE mailbox = ?")) {
            ps.setString(1, MAILBOX);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void should_store_encrypted_and_load_in_clear(String kind) throws Exception {
        DataSource ds = database(kind);
        JdbcRefreshTokenStore store = new JdbcRefreshTokenStore(ds, new SecretsCipher(List.of(KEY_1)));
        store.save(MAILBOX, new StoredRefreshToken("M.C5-rotated", SHA));
        assertThat(row(ds)).startsWith("enc:v1:").doesNotContain("rotated");
        assertThat(store.load("SALES@acme.test")).contains(new StoredRefreshToken("M.C5-rotated", SHA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void should_encrypt_a_clear_token_and_rotate_keys_on_read(String kind) throws Exception {
        DataSource ds = database(kind);
        new JdbcRefreshTokenStore(ds).save(MAILBOX, new StoredRefreshToken("1//in-clear", SHA));
        assertThat(row(ds)).isEqualTo("1//in-clear");

        new JdbcRefreshTokenStore(ds, new SecretsCipher(List.of(KEY_1))).load(MAILBOX);
        String byKey1 = row(ds);
        assertThat(byKey1).startsWith("enc:v1:" + new SecretsCipher(List.of(KEY_1)).keyIds() + ":");

        JdbcRefreshTokenStore rotated = new JdbcRefreshTokenStore(ds, new SecretsCipher(List.of(KEY_2, KEY_1)));
        assertThat(rotated.load(MAILBOX).orElseThrow().refreshToken()).isEqualTo("1//in-clear");
        assertThat(row(ds)).startsWith("enc:v1:" + new SecretsCipher(List.of(KEY_2)).keyIds() + ":");

        // the old key can go now
        assertThat(new JdbcRefreshTokenStore(ds, new SecretsCipher(List.of(KEY_2))).load(MAILBOX).orElseThrow()
                .refreshToken()).isEqualTo("1//in-clear");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void should_fail_clearly_when_no_key_decrypts(String kind) throws Exception {
        DataSource ds = database(kind);
        new JdbcRefreshTokenStore(ds, new SecretsCipher(List.of(KEY_1))).save(MAILBOX,
                new StoredRefreshToken("M.C5-secret-token", SHA));
        String keyId = new SecretsCipher(List.of(KEY_1)).keyIds();
        assertThatThrownBy(() -> new JdbcRefreshTokenStore(ds, new SecretsCipher(List.of(KEY_2))).load(MAILBOX))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(MAILBOX + ": the stored OAuth refresh token cannot be read: the stored value"
                        + " was encrypted with key " + keyId + ", which SECRETS_KEY does not hold")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-token"));
        assertThatThrownBy(() -> new JdbcRefreshTokenStore(ds).load(MAILBOX))
                .hasMessageContaining("but SECRETS_KEY is not set");
    }
}
