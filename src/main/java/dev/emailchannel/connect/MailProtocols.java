package dev.emailchannel.connect;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.oauth.XOAuth2MailProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jakarta Mail settings of a mailbox, shared by the start-up sign-in check and the Camel endpoints so both connect
 * the same way. IMAP always uses SSL ({@code imaps}); SMTP picks the encryption from the port: 465 implicit SSL,
 * 587 STARTTLS required, any other port as the server shows it (see {@link #smtpSecurity}). Certificates and host names are always
 * verified through the JVM's trust store ({@code -Djavax.net.ssl.trustStore=…}); there is no trust-all option.
 */
public final class MailProtocols {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final Duration PROBE_GREETING_TIMEOUT = Duration.ofSeconds(3);

    private MailProtocols() {
    }

    /** How an SMTP connection is secured. */
    public enum SmtpSecurity {
        /** Implicit TLS from the first byte (port 465). */
        SSL,
        /** Plain connect, then STARTTLS; refuses to go on without it (port 587). */
        STARTTLS_REQUIRED,
        /** Plain connect, STARTTLS when the server offers it. */
        STARTTLS_WHEN_OFFERED
    }

    private static final Map<String, SmtpSecurity> PROBED = new ConcurrentHashMap<>();

    /**
     * The security of a mailbox's SMTP connection: as {@code SMTP_ENCRYPTION} says when it is ssl or starttls
     * (required); with auto: 465 SSL, 587 STARTTLS required; for any other port the server is
     * asked once: a server that greets in clear text ({@code 220 …}) gets STARTTLS when offered, one that stays
     * silent waits for a TLS handshake (implicit SSL, as on a relocated 465).
     */
    public static SmtpSecurity smtpSecurity(MailboxSettings mailbox) {
        if (mailbox.smtpEncryption() == MailboxSettings.SmtpEncryption.SSL) {
            return SmtpSecurity.SSL;
        }
        if (mailbox.smtpEncryption() == MailboxSettings.SmtpEncryption.STARTTLS) {
            return SmtpSecurity.STARTTLS_REQUIRED;
        }
        int port = mailbox.smtpPort();
        if (port == 465) {
            return SmtpSecurity.SSL;
        }
        if (port == 587) {
            return SmtpSecurity.STARTTLS_REQUIRED;
        }
        return PROBED.computeIfAbsent(mailbox.smtpHost() + ":" + port, k -> probe(mailbox.smtpHost(), port));
    }

    static SmtpSecurity probe(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) PROBE_GREETING_TIMEOUT.toMillis());
            int first = socket.getInputStream().read();
            return first == '2' ? SmtpSecurity.STARTTLS_WHEN_OFFERED : SmtpSecurity.SSL;
        } catch (SocketTimeoutException e) {
            return SmtpSecurity.SSL;
        } catch (IOException e) {
            // unreachable now: do not remember; the sign-in check reports the connection problem
            return SmtpSecurity.STARTTLS_WHEN_OFFERED;
        }
    }

    public static String smtpScheme(MailboxSettings mailbox) {
        return smtpSecurity(mailbox) == SmtpSecurity.SSL ? "smtps" : "smtp";
    }

    public static Properties imap(MailboxSettings mailbox) {
        Properties p = new Properties();
        String prefix = "mail.imaps.";
        p.setProperty(prefix + "ssl.enable", "true");
        p.setProperty(prefix + "ssl.checkserveridentity", "true");
        timeouts(p, prefix);
        if (mailbox.usesOAuth()) {
            oauth(p, prefix);
        }
        return p;
    }

    public static Properties smtp(MailboxSettings mailbox) {
        Properties p = new Properties();
        SmtpSecurity security = smtpSecurity(mailbox);
        String prefix = "mail." + (security == SmtpSecurity.SSL ? "smtps" : "smtp") + ".";
        p.setProperty(prefix + "auth", "true");
        p.setProperty(prefix + "ssl.checkserveridentity", "true");
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
