package dev.emailchannel.status;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The current status of the connection and of each mailbox, as shown by {@code GET /api/channel}. Thread-safe. */
public final class ChannelState {

    /** What is known about one mailbox: the results of the last sign-in check and the last poll. */
    public record MailboxState(Boolean imapOk, Boolean smtpOk, Instant lastPoll, String lastError) {
    }

    private volatile ChannelStatus status = ChannelStatus.STOPPED;
    private volatile String error;
    private final Map<String, MailboxState> mailboxes = new ConcurrentHashMap<>();

    public ChannelStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public synchronized void set(ChannelStatus status, String error) {
        this.status = status;
        this.error = error;
    }

    public MailboxState mailbox(String address) {
        return mailboxes.getOrDefault(address, new MailboxState(null, null, null, null));
    }

    public void signIn(String address, boolean imapOk, boolean smtpOk, String error) {
        mailboxes.compute(address, (k, old) -> new MailboxState(imapOk, smtpOk, old == null ? null : old.lastPoll(),
                error));
    }

    public void polled(String address, Instant when) {
        mailboxes.compute(address, (k, old) -> old == null ? new MailboxState(null, null, when, null)
                : new MailboxState(old.imapOk(), old.smtpOk(), when, old.lastError()));
    }
}
