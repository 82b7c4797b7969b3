package dev.emailchannel.pickup;

import java.time.Duration;
import java.time.Instant;

/**
 * What happens to one mailbox, for status fields and metrics. Called on the engine's threads: keep it quick, do not
 * block, do not call {@link MailboxWatch#stop()} from here. A listener that throws is logged and otherwise ignored.
 */
public interface PickupListener {

    PickupListener NONE = new PickupListener() {
    };

    /**
     * Signed in and the folder is open.
     *
     * @param reconnect true when this replaces a connection that was lost (an IDLE reconnect when the mode was IDLE)
     */
    default void connected(PickupMode mode, boolean reconnect) {
    }

    /** A check finished: everything unread that could be stored is stored ({@code stored} of them in this check). */
    default void checked(Instant at, int stored) {
    }

    /** One mail is stored; {@code latency} runs from the server's INTERNALDATE (whole seconds) to the sink's commit. */
    default void mailStored(long uid, Duration latency) {
    }

    /** Something failed; the engine tries again at {@code nextAttempt}. The message names the mailbox and the cause. */
    default void failed(String message, Instant nextAttempt) {
    }

    /** The failure reported last is over (the next check succeeded). */
    default void recovered() {
    }

    /** IDLE is enabled but cannot be used on this connection, so the mailbox is polled; {@code reason} says why. */
    default void pollFallback(String reason) {
    }
}
