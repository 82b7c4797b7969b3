package dev.emailchannel.mailbox;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.connect.MailProtocols;
import dev.emailchannel.connect.SmtpSecurity;
import dev.emailchannel.oauth.OAuthTokenProvider;
import dev.emailchannel.oauth.PasswordAuthenticator;
import dev.emailchannel.oauth.RefreshTokenStore;
import dev.emailchannel.oauth.OAuthCredentials;
import dev.emailchannel.oauth.XOAuth2Authenticator;
import jakarta.mail.AuthenticationFailedException;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * The runtime of one mailbox, built when the configuration is read and alive as long as the application: it owns how
 * the channel connects to this mailbox — the IMAP and SMTP servers, the TLS mode, the sign-in (password or OAuth access
 * tokens) — and the mailbox's health. Pickup, replies, outbound mail, outbox retries and the sign-in check all connect
 * through it, whatever the channel's state, so a mail queued before the channel started is sent with the same
 * verified TLS as any other.
 *
 * <p>From the environment to SMTP: {@code SMTP_SERVER}/{@code SMTP_PORT}/{@code SMTP_ENCRYPTION} →
 * {@link dev.emailchannel.config.ChannelSettingsParser} → {@link MailboxSettings} → {@link #smtpSecurity()} and
 * {@link #smtpProperties()} → the {@code mailbox:} endpoint's producer ({@link MailboxProducer}).
 */
public final class Mailbox {

    private final MailboxSettings settings;
    private final MailAuthenticator authenticator;
    private final OAuthTokenProvider tokens;
    private final MailboxHealth health = new MailboxHealth();
    /** Decided once: from the settings, or from the server's answer (never from the lack of one). */
    private volatile SmtpSecurity smtpSecurity;

    Mailbox(MailboxSettings settings, MailAuthenticator authenticator, OAuthTokenProvider tokens) {
        this.settings = settings;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.smtpSecurity = MailProtocols.configuredSmtpSecurity(settings).orElse(null);
    }

    /** A mailbox signing in with its password, or with OAuth access tokens for its refresh token. */
    public static Mailbox of(MailboxSettings settings, RefreshTokenStore rotatedTokens) {
        String address = settings.address().address();
        if (!settings.usesOAuth()) {
            return new Mailbox(settings, new PasswordAuthenticator(address, settings.password().value()), null);
        }
        OAuthTokenProvider tokens = new OAuthTokenProvider(OAuthCredentials.of(address, settings.oauth().tokenUri(),
                settings.oauth().clientId(), settings.oauth().clientSecret().value(),
                settings.oauth().refreshToken().value()), rotatedTokens);
        return new Mailbox(settings, new XOAuth2Authenticator(address, tokens), tokens);
    }

    /** Short id used in route and endpoint names, e.g. {@code mailbox-0}. */
    public String id() {
        return settings.id();
    }

    public String address() {
        return settings.address().address();
    }

    public MailboxSettings settings() {
        return settings;
    }

    public MailboxHealth health() {
        return health;
    }

    /** Signs in to IMAP and SMTP: a password, or a current OAuth access token asked for on each connection. */
    public MailAuthenticator authenticator() {
        return authenticator;
    }

    /**
     * Tells the mailbox that a server refused its sign-in, so that a cached OAuth access token the server no longer
     * accepts is not presented again.
     */
    public void signInFailed(Throwable failure) {
        if (tokens == null) {
            return;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationFailedException) {
                tokens.invalidate();
                return;
            }
        }
    }

    /** Drops a cached OAuth access token (a server refused it), so the next sign-in asks for a new one. */
    public void dropAccessToken() {
        if (tokens != null) {
            tokens.invalidate();
        }
    }

    public Properties imapProperties() {
        return MailProtocols.imap(settings);
    }

    /**
     * How SMTP is secured: from the settings when they say (465, 587, {@code SMTP_ENCRYPTION}), otherwise asked of the
     * server once and remembered when it answered.
     *
     * @throws SmtpUnreachableException when the server must be asked and cannot be reached now (a transient failure:
     *                                  a send is retried later; nothing is guessed, least of all sending in clear text)
     */
    public SmtpSecurity smtpSecurity() throws SmtpUnreachableException {
        SmtpSecurity decided = smtpSecurity;
        if (decided != null) {
            return decided;
        }
        synchronized (this) {
            if (smtpSecurity == null) {
                Optional<SmtpSecurity> answer = MailProtocols.probe(settings.smtpHost(), settings.smtpPort());
                if (answer.isEmpty()) {
                    throw new SmtpUnreachableException("SMTP server " + settings.smtpHost() + ":"
                            + settings.smtpPort() + " cannot be reached to find out its encryption");
                }
                smtpSecurity = answer.get();
            }
            return smtpSecurity;
        }
    }

    /** The Jakarta Mail properties of an SMTP connection (TLS mode, host name check, timeouts, XOAUTH2). */
    public Properties smtpProperties() throws SmtpUnreachableException {
        return MailProtocols.smtp(settings, smtpSecurity());
    }

    @Override
    public String toString() {
        return address();
    }
}
