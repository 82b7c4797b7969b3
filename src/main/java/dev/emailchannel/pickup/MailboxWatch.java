package dev.emailchannel.pickup;

import java.util.concurrent.CompletableFuture;

/** One mailbox watched by a {@link PickupEngine}. */
public interface MailboxWatch {

    String id();

    PickupStatus status();

    /**
     * Completes once the mailbox is signed in and checked for the first time, or exceptionally with the first
     * failure (the message names the mailbox, protocol and cause); the watch keeps retrying either way. Meant for
     * the sign-in check at start: wait on all of them with a timeout.
     */
    CompletableFuture<Void> started();

    /** Checks the mailbox now (on the engine's workers), e.g. when an operator asks for it. */
    void pickNow();

    /**
     * Stops watching: waits for a batch in progress to be stored and flagged, ends IDLE, then leaves the folder
     * without expunging (UNSELECT, or EXAMINE + CLOSE; never CLOSE on a writable folder, so mail a person flagged
     * {@code \Deleted} stays) and logs out. Idempotent. Do not call it from a {@link PickupListener} method.
     */
    void stop();
}
