package dev.emailchannel.pickup;

import java.util.concurrent.Semaphore;

/**
 * Bounds the fetched mail held in memory by all mailboxes together: a batch takes twice its bytes (the server's
 * response and the copy for the sink) before it is fetched and gives them back once stored. A backlog of large mails
 * in many mailboxes then waits instead of filling the heap. Counted in KiB to stay within a semaphore's int.
 */
final class ByteBudget {

    private final int totalKib;
    private final Semaphore permits;

    ByteBudget(long bytes) {
        this.totalKib = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bytes >> 10));
        this.permits = new Semaphore(totalKib, true);
    }

    /** A share of the budget; close it to give it back. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for room for a batch of {@code batchBytes}; a batch larger than the whole budget takes all of it. */
    Lease acquire(long batchBytes) throws InterruptedException {
        int kib = kib(batchBytes);
        permits.acquire(kib);
        return () -> permits.release(kib);
    }

    /**
     * Room for a batch if there is some now, else null: for a caller that already holds a lease and would wait for
     * itself (or for other mailboxes that wait for it) if it blocked.
     */
    Lease tryAcquire(long batchBytes) {
        int kib = kib(batchBytes);
        return permits.tryAcquire(kib) ? () -> permits.release(kib) : null;
    }

    private int kib(long batchBytes) {
        return (int) Math.min(totalKib, Math.max(1, (2 * batchBytes) >> 10));
    }
}
