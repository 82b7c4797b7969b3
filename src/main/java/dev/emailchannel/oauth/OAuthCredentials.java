package dev.emailchannel.oauth;

import java.net.URI;
import java.util.Objects;

/**
 * The configured OAuth settings of one mailbox (SPEC §2: {@code OAUTH_REFRESH_TOKEN},
 * {@code OAUTH_TOKEN_URI}, {@code OAUTH_CLIENT_ID}, {@code OAUTH_CLIENT_SECRET}).
 *
 * <p>{@link #toString()} masks the refresh token and the client secret.
 */
public record OAuthCredentials(String mailbox, URI tokenUri, String clientId, String clientSecret,
                               String refreshToken) {

    /** Google's token endpoint, used when {@code OAUTH_TOKEN_URI} is empty. */
    public static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth2.googleapis.com/token");

    public OAuthCredentials {
        requireText(mailbox, "mailbox");
        Objects.requireNonNull(tokenUri, "tokenUri");
        if (!"https".equalsIgnoreCase(tokenUri.getScheme()) && !"http".equalsIgnoreCase(tokenUri.getScheme())) {
            throw new IllegalArgumentException(mailbox + ": OAuth token URI must be http(s): "
                    + SafeUris.display(tokenUri));
        }
        requireText(clientId, mailbox + ": OAuth client ID");
        requireText(clientSecret, mailbox + ": OAuth client secret");
        requireText(refreshToken, mailbox + ": OAuth refresh token");
    }

    /** Uses {@link #DEFAULT_TOKEN_URI} when {@code tokenUri} is null or blank. */
    public static OAuthCredentials of(String mailbox, String tokenUri, String clientId, String clientSecret,
                                      String refreshToken) {
        URI uri = tokenUri == null || tokenUri.isBlank() ? DEFAULT_TOKEN_URI : URI.create(tokenUri.trim());
        return new OAuthCredentials(mailbox, uri, clientId, clientSecret, refreshToken);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
    }

    @Override
    public String toString() {
        return "OAuthCredentials[mailbox=" + mailbox + ", tokenUri=" + SafeUris.display(tokenUri)
                + ", clientId=" + clientId + ", clientSecret=****, refreshToken=****]";
    }
}
