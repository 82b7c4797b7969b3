package dev.emailchannel.oauth;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.PasswordAuthentication;
import java.util.Objects;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Camel mail authenticator for XOAUTH2: the user name is the mailbox address, the "password" is a
 * current access token from the mailbox's {@link OAuthTokenProvider}.
 *
 * <p>Camel calls {@link #getPasswordAuthentication()} on every IMAP connect and every SMTP send
 * (and once when the endpoint builds its mail properties), so a refreshed token is picked up on the
 * next connection. The endpoint also needs {@link XOAuth2MailProperties} so that Jakarta Mail sends
 * the token with {@code AUTHENTICATE XOAUTH2} / {@code AUTH XOAUTH2} rather than as a password.
 *
 * <p>Use it with {@code imaps://host:993?authenticator=#bean} (no {@code username}/{@code password}
 * in the URI).
 */
public class XOAuth2Authenticator extends MailAuthenticator {

    private final String mailbox;
    private final OAuthTokenProvider provider;

    public XOAuth2Authenticator(OAuthTokenProvider provider) {
        this(provider.mailbox(), provider);
    }

    public XOAuth2Authenticator(String mailbox, OAuthTokenProvider provider) {
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** @throws OAuthException when no access token can be obtained */
    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(mailbox, provider.accessToken());
    }

    /**
     * Drops the cached access token when {@code failure} (or one of its causes) is a
     * {@link AuthenticationFailedException}, so that the next connect asks the token endpoint instead
     * of presenting the rejected token again. Call it from the SMTP route's exception handler; the
     * IMAP consumer does it through {@link OAuthInvalidatingPollStrategy}.
     *
     * @return true when the failure was an authentication failure and the token was dropped
     */
    public boolean invalidateOnAuthenticationFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationFailedException) {
                provider.invalidate();
                return true;
            }
        }
        return false;
    }

    public OAuthTokenProvider provider() {
        return provider;
    }

    @Override
    public String toString() {
        return "XOAuth2Authenticator[mailbox=" + mailbox + "]";
    }
}
