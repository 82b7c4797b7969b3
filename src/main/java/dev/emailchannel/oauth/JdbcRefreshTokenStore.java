package dev.emailchannel.oauth;

import dev.emailchannel.secrets.SecretsCipher;
import dev.emailchannel.session.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RefreshTokenStore} on the {@code oauth_refresh_token} table created by the Flyway migration
 * {@code V2__oauth_refresh_tokens.sql}. Works on H2 and PostgreSQL (portable SQL: update, then
 * insert when no row was updated). Mailbox addresses are stored lower-case.
 *
 * <p>With a {@link SecretsCipher} that has a key ({@code SECRETS_KEY}), tokens are stored encrypted, bound to their
 * mailbox; a token found in clear or written by an older key is written again with the current key when it is read.
 *
 * <p>Errors are reported as {@link IllegalStateException} naming the mailbox and the SQL state, never
 * the token.
 */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcRefreshTokenStore.class);

    private static final String SELECT =
            "SELECT refresh_token, configured_token_sha256 FROM oauth_refresh_token WHERE mailbox = ?";
    private static final String UPDATE =
            "UPDATE oauth_refresh_token SET refresh_token = ?, configured_token_sha256 = ?, updated_at = ?"
                    + " WHERE mailbox = ?";
    /** Re-encryption on read: only if the row still holds what was read (another instance may have rotated it). */
    private static final String REWRITE =
            "UPDATE oauth_refresh_token SET refresh_token = ? WHERE mailbox = ? AND refresh_token = ?";
    private static final String INSERT =
            "INSERT INTO oauth_refresh_token (refresh_token, configured_token_sha256, updated_at, mailbox)"
                    + " VALUES (?, ?, ?, ?)";

    private final DataSource dataSource;
    private final SecretsCipher cipher;
    private final Clock clock;

    /** A store that keeps tokens in clear. */
    public JdbcRefreshTokenStore(DataSource dataSource) {
        this(dataSource, SecretsCipher.NONE, Clock.systemUTC());
    }

    public JdbcRefreshTokenStore(DataSource dataSource, SecretsCipher cipher) {
        this(dataSource, cipher, Clock.systemUTC());
    }

    public JdbcRefreshTokenStore(DataSource dataSource, SecretsCipher cipher, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws IllegalStateException naming the mailbox and the reason when the row cannot be read or decrypted
     */
    @Override
    public Optional<StoredRefreshToken> load(String mailbox) {
        String stored;
        String configuredSha256;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, key(mailbox));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                stored = rs.getString(1);
                configuredSha256 = rs.getString(2).trim();
            }
        } catch (SQLException e) {
            throw failure(mailbox, "could not load the stored OAuth refresh token", e);
        }
        SecretsCipher.Opened opened;
        try {
            opened = cipher.open(stored, context(mailbox));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(mailbox + ": the stored OAuth refresh token cannot be read: "
                    + e.getMessage());
        }
        if (opened.rewrite()) {
            rewrite(mailbox, stored, cipher.seal(opened.value(), context(mailbox)));
        }
        return Optional.of(new StoredRefreshToken(opened.value(), configuredSha256));
    }

    /** Best effort: the token was read; a failed rewrite is tried again at the next read. */
    private void rewrite(String mailbox, String old, String sealed) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(REWRITE)) {
            ps.setString(1, sealed);
            ps.setString(2, key(mailbox));
            ps.setString(3, old);
            ps.executeUpdate();
            Database.flushCommits(dataSource);
        } catch (SQLException e) {
            LOG.warn("{}", failure(mailbox, "could not encrypt the stored OAuth refresh token with the current"
                    + " SECRETS_KEY; will try again at the next read", e).getMessage());
        }
    }

    @Override
    public void save(String mailbox, StoredRefreshToken token) {
        Objects.requireNonNull(token, "token");
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (execute(c, UPDATE, mailbox, token) == 0) {
                    try {
                        execute(c, INSERT, mailbox, token);
                    } catch (SQLException insertFailure) {
                        // 23xxx: another instance inserted the row between our update and insert
                        String state = insertFailure.getSQLState();
                        if (state == null || !state.startsWith("23")) {
                            throw insertFailure;
                        }
                        c.rollback();
                        if (execute(c, UPDATE, mailbox, token) == 0) {
                            throw insertFailure;
                        }
                    }
                }
                c.commit();
                Database.flushCommits(dataSource); // the old token may be spent: the new one must not be lost
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure(mailbox, "could not save the rotated OAuth refresh token", e);
        }
    }

    private int execute(Connection c, String sql, String mailbox, StoredRefreshToken token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cipher.seal(token.refreshToken(), context(mailbox)));
            ps.setString(2, token.configuredTokenSha256());
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            ps.setString(4, key(mailbox));
            return ps.executeUpdate();
        }
    }

    /**
     * Database messages may quote parameter values (H2's "value too long" quotes the value), so the
     * message names only SQL state and vendor code, and the SQLException is not chained.
     */
    private static IllegalStateException failure(String mailbox, String what, SQLException e) {
        return new IllegalStateException(mailbox + ": " + what + " (SQL state " + e.getSQLState()
                + ", error code " + e.getErrorCode() + ")");
    }

    /** Binds a sealed token to its table and mailbox: a row copied to another mailbox does not decrypt. */
    private static String context(String mailbox) {
        return "oauth_refresh_token:" + key(mailbox);
    }

    private static String key(String mailbox) {
        return Objects.requireNonNull(mailbox, "mailbox").trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "JdbcRefreshTokenStore[table=oauth_refresh_token, encrypted=" + cipher.enabled() + "]";
    }
}
