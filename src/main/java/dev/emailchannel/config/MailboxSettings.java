package dev.emailchannel.config;

import dev.emailchannel.mime.EmailAddress;

/**
 * One mailbox of the connection, after the multi-mailbox rules were applied.
 *
 * @param index       position in {@code EMAIL_ADDRESS}, from 0; names the mailbox's beans and routes
 * @param password    empty when the mailbox signs in with OAuth
 * @param oauth       null when the mailbox signs in with a password
 * @param displayName {@code EMAIL_NAME}, or null
 */
public record MailboxSettings(
        int index,
        EmailAddress address,
        Secret password,
        String imapHost,
        int imapPort,
        String smtpHost,
        int smtpPort,
        SmtpEncryption smtpEncryption,
        String displayName,
        String folder,
        String contentType,
        OAuthSettings oauth) {

    /** {@code SMTP_ENCRYPTION}: AUTO decides by port (see {@code MailProtocols}). */
    public enum SmtpEncryption {
        AUTO, SSL, STARTTLS
    }

    public boolean usesOAuth() {
        return oauth != null;
    }

    /** Short id used in route and bean names: {@code mailbox-0}. */
    public String id() {
        return "mailbox-" + index;
    }

    @Override
    public String toString() {
        return address.address();
    }
}
