package dev.emailchannel.connect;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.oauth.XOAuth2MailProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Jakarta Mail settings of a mailbox, shared by the sign-in check, the IMAP pickup and the SMTP sender so that all
 * connect the same way. IMAP always uses SSL ({@code imaps}); SMTP picks the encryption from the port: 465 implicit
 * SSL, 587 STARTTLS required, any other port as the server shows it ({@link #probe}). Certificates and host names are
 * always verified through the JVM's trust store ({@code -Djavax.net.ssl.trustStore=…}); there is no trust-all option.
 * Every TLS connection goes through a {@link NoDelaySocketFactory} (the JVM's default with Nagle's algorithm off).
 */
public final class MailProtocols {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final Duration PROBE_GREETING_TIMEOUT = Duration.ofSeconds(3);

    private MailProtocols() {
    }

    /**
     * The SMTP security that follows from the settings alone: {@code SMTP_ENCRYPTION=ssl|starttls} (required), or with
     * auto 465 SSL and 587 STARTTLS required. Empty for auto on any other port: the server must be asked.
     */
    public static Optional<SmtpSecurity> configuredSmtpSecurity(MailboxSettings mailbox) {
        if (mailbox.smtpEncryption() == MailboxSettings.SmtpEncryption.SSL) {
            return Optional.of(SmtpSecurity.SSL);
        }
        if (mailbox.smtpEncryption() == MailboxSettings.SmtpEncryption.STARTTLS) {
            return Optional.of(SmtpSecurity.STARTTLS_REQUIRED);
        }
        return switch (mailbox.smtpPort()) {
            case 465 -> Optional.of(SmtpSecurity.SSL);
            case 587 -> Optional.of(SmtpSecurity.STARTTLS_REQUIRED);
            default -> Optional.empty();
        };
    }

    /**
     * Asks an SMTP server on an unusual port how it wants to be spoken to: a server that greets in clear text
     * ({@code 220 …}) gets STARTTLS when offered; one that stays silent waits for a TLS handshake (implicit SSL, as on
     * a relocated 465).
     *
     * @return empty when the server cannot be reached now: nothing can be concluded, so nothing may be remembered
     */
    public static Optional<SmtpSecurity> probe(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) PROBE_GREETING_TIMEOUT.toMillis());
            int first = socket.getInputStream().read();
            if (first < 0) {
                return Optional.empty(); // closed without a word: no answer to go by
            }
            return Optional.of(first == '2' ? SmtpSecurity.STARTTLS_WHEN_OFFERED : SmtpSecurity.SSL);
        } catch (SocketTimeoutException e) {
            return Optional.of(SmtpSecurity.SSL);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static Properties imap(MailboxSettings mailbox) {
        Properties p = new Properties();
        String prefix = "mail.imaps.";
        p.setProperty(prefix + "ssl.enable", "true");
        p.setProperty(prefix + "ssl.checkserveridentity", "true");
        p.put(prefix + "ssl.socketFactory", new NoDelaySocketFactory());
        timeouts(p, prefix);
        if (mailbox.usesOAuth()) {
            oauth(p, prefix);
        }
        return p;
    }

    public static Properties smtp(MailboxSettings mailbox, SmtpSecurity security) {
        Properties p = new Properties();
        String prefix = "mail." + security.protocol() + ".";
        p.setProperty(prefix + "auth", "true");
        p.setProperty(prefix + "ssl.checkserveridentity", "true");
        // implicit TLS and STARTTLS alike layer TLS through this factory
        p.put(prefix + "ssl.socketFactory", new NoDelaySocketFactory());
        if (security == SmtpSecurity.SSL) {
            p.setProperty(prefix + "ssl.enable", "true");
        } else {
            p.setProperty(prefix + "starttls.enable", "true");
            if (security == SmtpSecurity.STARTTLS_REQUIRED) {
                p.setProperty(prefix + "starttls.required", "true");
            }
        }
        timeouts(p, prefix);
        if (mailbox.usesOAuth()) {
            oauth(p, prefix);
        }
        return p;
    }

    private static void timeouts(Properties p, String prefix) {
        p.setProperty(prefix + "connectiontimeout", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        p.setProperty(prefix + "timeout", String.valueOf(READ_TIMEOUT.toMillis()));
        p.setProperty(prefix + "writetimeout", String.valueOf(READ_TIMEOUT.toMillis()));
    }

    private static void oauth(Properties p, String prefix) {
        String protocol = prefix.substring("mail.".length(), prefix.length() - 1);
        p.putAll(XOAuth2MailProperties.forProtocol(protocol));
    }
}
