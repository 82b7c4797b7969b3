package dev.emailchannel.oauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A rotated refresh token together with the SHA-256 (hex) of the configured refresh token it
 * descends from. The stored token is only used while the configuration still holds that same
 * configured token: an operator who pastes a new refresh token wins over an old rotated one.
 *
 * <p>{@link #toString()} masks the token.
 */
public record StoredRefreshToken(String refreshToken, String configuredTokenSha256) {

    public StoredRefreshToken {
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(configuredTokenSha256, "configuredTokenSha256");
    }

    /** True when this token was rotated from {@code configuredRefreshToken}. */
    public boolean descendsFrom(String configuredRefreshToken) {
        return MessageDigest.isEqual(
                configuredTokenSha256.getBytes(StandardCharsets.US_ASCII),
                sha256Hex(configuredRefreshToken).getBytes(StandardCharsets.US_ASCII));
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code value}. */
    public static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "StoredRefreshToken[refreshToken=****, configuredTokenSha256=" + configuredTokenSha256 + "]";
    }
}
