package dev.emailchannel.cluster;

/**
 * What the mailbox runtime does when this instance takes or gives up a mailbox. Both are called on one thread at a
 * time, never twice in a row for the same state, and {@link #onLoseOwnership} before another instance can take the
 * mailbox over (see {@link ClusterServiceFactory} for the timing): it must stop the mailbox's watch promptly (within
 * a second or two; do not wait for a long poll to finish: the inbox key keeps a mail that is stored twice once).
 */
public interface OwnershipListener {

    /** This instance now owns the mailbox: start watching it. */
    void onBecomeOwner(String mailboxId);

    /** This instance no longer owns the mailbox: stop watching it now. */
    void onLoseOwnership(String mailboxId);
}
