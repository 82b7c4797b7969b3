package dev.emailchannel.pickup;

import jakarta.mail.Authenticator;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * One mailbox to watch. IMAP always runs over SSL ({@code imaps}).
 *
 * @param id                   a stable name for logs and metrics (e.g. the mailbox runtime's id)
 * @param address              the mailbox address, for messages; also the default user name
 * @param host                 IMAP server
 * @param port                 IMAPS port
 * @param folder               the folder to read (e.g. INBOX)
 * @param sessionProperties    the {@code mail.imaps.*} Jakarta Mail properties the mailbox runtime builds (TLS,
 *                             timeouts, XOAUTH2 mechanisms); the engine adds its own (see {@link PickupEngine}).
 *                             An SSL socket factory goes in as an instance ({@code mail.imaps.ssl.socketFactory});
 *                             {@code mail.imaps.ssl.trust} is refused (certificates are always verified)
 * @param authenticator        gives the user name and password or OAuth access token; asked on every connect
 * @param authenticationFailed called when the server rejects the sign-in, so a cached OAuth token can be dropped
 *                             before the next attempt; may be null
 * @param idleEnabled          use IMAP IDLE when the server offers it ({@code IMAP_IDLE})
 * @param checkInterval        the poll interval without IDLE, the safety poll with it ({@code CHECK_INTERVAL})
 */
public record MailboxSource(String id, String address, String host, int port, String folder,
                            Properties sessionProperties, Authenticator authenticator, Runnable authenticationFailed,
                            boolean idleEnabled, Duration checkInterval) {

    public MailboxSource {
        require(id, "id");
        require(address, "address");
        require(host, "host");
        require(folder, "folder");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(address + ": IMAP port " + port + " is out of range (1-65535)");
        }
        Objects.requireNonNull(authenticator, address + ": an authenticator is required");
        Objects.requireNonNull(checkInterval, address + ": a check interval is required");
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException(address + ": the check interval must be positive, not " + checkInterval);
        }
        Properties copy = new Properties();
        if (sessionProperties != null) {
            copy.putAll(sessionProperties);
        }
        for (String refused : new String[] {"mail.imaps.ssl.trust", "mail.imaps.ssl.socketFactory.class"}) {
            if (copy.containsKey(refused)) {
                throw new IllegalArgumentException(address + ": " + refused + " is not supported by the pickup engine"
                        + " (give a trust store, or an SSLSocketFactory instance as mail.imaps.ssl.socketFactory)");
            }
        }
        sessionProperties = copy;
        if (authenticationFailed == null) {
            authenticationFailed = () -> { };
        }
    }

    /** The session properties (a copy: changing it changes nothing). */
    @Override
    public Properties sessionProperties() {
        Properties copy = new Properties();
        copy.putAll(sessionProperties);
        return copy;
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a mailbox needs a " + name);
        }
    }

    @Override
    public String toString() { // no properties: they may hold factories, and nothing here is worth logging twice
        return "MailboxSource[" + id + ", " + address + " on " + host + ":" + port + "/" + folder
                + ", idle=" + idleEnabled + ", checkInterval=" + checkInterval + "]";
    }
}
