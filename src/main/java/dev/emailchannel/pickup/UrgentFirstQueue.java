package dev.emailchannel.pickup;

import java.util.concurrent.LinkedBlockingDeque;

/**
 * The workers' queue: {@link Urgent} tasks (new mail announced by the server, a reconnect after a lost connection, an
 * operator's pick-up, a stop) go ahead of routine ones (check-interval polls, IDLE renewals, retries after backoff).
 * With a thousand mailboxes the safety polls alone keep the workers busy; without this a new mail would wait behind
 * all of them.
 */
final class UrgentFirstQueue extends LinkedBlockingDeque<Runnable> {

    /** A task that jumps the queue. */
    interface Urgent extends Runnable {
    }

    @Override
    public boolean offer(Runnable task) {
        return task instanceof Urgent ? offerFirst(task) : offerLast(task);
    }
}
