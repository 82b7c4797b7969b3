package dev.emailchannel.status;

/**
 * The status of the connection as {@code GET /api/channel} shows it (the status dot), with the error that put it in
 * ERROR. Each mailbox's own health is kept by its runtime ({@link dev.emailchannel.mailbox.MailboxHealth}).
 * Thread-safe.
 */
public final class ChannelState {

    /** The status and its error, read together. */
    public record Snapshot(ChannelStatus status, String error) {
    }

    private volatile Snapshot current = new Snapshot(ChannelStatus.STOPPED, null);
    private volatile String agentError;

    public ChannelStatus status() {
        return current.status();
    }

    public String error() {
        return current.error();
    }

    public Snapshot snapshot() {
        return current;
    }

    public void set(ChannelStatus status, String error) {
        current = new Snapshot(status, error);
    }

    /**
     * The agent's own set-up is wrong (401, 403, 404, a redirect, an endpoint that cannot be reached): shown with the
     * status until a call succeeds again. Mails wait meanwhile; they are not parked for it.
     */
    public String agentError() {
        return agentError;
    }

    public void agentFailed(String error) {
        agentError = error;
    }

    public void agentSucceeded() {
        agentError = null;
    }
}
