package dev.emailchannel.inbox;

import java.time.Duration;

/**
 * How many mails the dispatcher's claiming thread holds claimed ahead of its workers. Asked by that thread only, with
 * the time and how many mails the workers have finished so far.
 */
interface ClaimAhead {

    /** @return how many mails to hold claimed ahead now (0: claim only for a worker that is free) */
    int ahead(long nowNanos, long finished);

    /**
     * As many as finished in the last {@code window} (measured over the window that ended last), at most {@code max}:
     * a backlog that an agent answers quickly gets its next mails without a database round trip each, while an agent
     * that takes its time gets nothing held for it (a mail held ahead waits for a worker that is busy, when another
     * dispatcher could deliver it). Before the first window has passed, none.
     */
    static ClaimAhead byRate(int max, Duration window, long startNanos) {
        long windowNanos = window.toNanos();
        return new ClaimAhead() {
            private long windowStart = startNanos;
            private long finishedAtWindowStart;
            private int ahead;

            @Override
            public int ahead(long nowNanos, long finished) {
                long elapsed = nowNanos - windowStart;
                if (elapsed >= windowNanos) {
                    ahead = (int) Math.min(max, (finished - finishedAtWindowStart) * windowNanos / elapsed);
                    windowStart = nowNanos;
                    finishedAtWindowStart = finished;
                }
                return ahead;
            }
        };
    }

    /** Always {@code n} (for tests: a dispatcher that holds mails ahead whatever its agent's pace). */
    static ClaimAhead fixed(int n) {
        return (nowNanos, finished) -> n;
    }
}
