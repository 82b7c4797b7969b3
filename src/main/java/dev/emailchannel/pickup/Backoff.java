package dev.emailchannel.pickup;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with a cap and up to 20 % jitter below the delay (so that hundreds of mailboxes that lost their server at the same
 * moment do not all sign in again in the same second).
 */
final class Backoff {

    private Backoff() {
    }

    /** The delay before attempt number {@code failures + 1}, after {@code failures} (≥ 1) failures in a row. */
    static Duration delay(int failures, Duration initial, Duration max) {
        long base = initial.toMillis();
        for (int i = 1; i < failures && base < max.toMillis(); i++) {
            base *= 2;
        }
        base = Math.min(base, max.toMillis());
        double jitter = 0.8 + 0.2 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, Math.round(base * jitter)));
    }
}
