package dev.emailchannel.mailbox;

/**
 * Runs just before an SMTP server is handed a mail for good (before the line that completes it). The outbox records
 * there that a reply is about to leave, so that after a crash it knows which replies may have gone out already. Set on
 * the exchange as the variable {@link #VARIABLE} of a {@code mailbox:} send; a throw stops the send before the mail
 * is complete.
 */
@FunctionalInterface
public interface HandOver {

    String VARIABLE = "smtpHandOver";

    void beforeHandOver();
}
