package dev.emailchannel.oauth;

/**
 * A failed OAuth token exchange. The message names the mailbox, the cause and the token endpoint,
 * for example {@code sales@acme.test: OAuth token refresh failed: invalid_grant (HTTP 400 from
 * https://oauth2.googleapis.com/token)}, and never contains a token or client secret.
 *
 * <p>Unchecked, because it surfaces through {@code Authenticator.getPasswordAuthentication()},
 * which cannot declare checked exceptions.
 */
public class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OAuthException(String message) {
        super(message);
    }

    public OAuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
