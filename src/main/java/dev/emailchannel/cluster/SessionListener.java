package dev.emailchannel.cluster;

/**
 * Told when this instance's session with the coordination service is interrupted or restored. A cluster service
 * that can say so (ZooKeeper) lets {@link MailboxLeadership} stop watching at the first sign of trouble, ahead of
 * the session's expiry, instead of waiting for each election to notice.
 */
@FunctionalInterface
public interface SessionListener {

    /** @param connected false: suspended or lost, this instance must act as if it owned nothing */
    void sessionChanged(boolean connected);
}
