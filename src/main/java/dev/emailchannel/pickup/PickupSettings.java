package dev.emailchannel.pickup;

import java.time.Duration;

/**
 * Tuning of a {@link PickupEngine}; {@link #defaults()} suits a production channel, tests shorten the times.
 *
 * @param workers            threads that sign in, check and fetch (shared by all mailboxes); also the bound on
 *                           parallel sign-ins at start
 * @param idleRenewal        an IDLE command is ended and re-issued after this long (RFC 2177: before 29 minutes)
 * @param idleResponseTimeout how long the server may take to answer IDLE (its continuation) or DONE (the end of
 *                           IDLE); a connection that stays silent longer is closed and opened again
 * @param retryInitial       first delay after a failure; doubles per consecutive failure
 * @param retryMax           cap of the delay after connection and storage failures
 * @param signInRetryMax     cap of the delay after a rejected sign-in or a missing folder (a person must act;
 *                           hammering a provider with bad credentials gets the account locked)
 * @param batchMessages      most mails fetched with one {@code UID FETCH}
 * @param batchBytes         most bytes (by RFC822.SIZE) fetched with one {@code UID FETCH}; a larger mail is fetched alone
 * @param bytesInFlight      most bytes of fetched mail held by all mailboxes together (a batch counts twice: the
 *                           server response and the copy handed to the sink)
 * @param connectTimeout     {@code mail.imaps.connectiontimeout} when the session properties set none
 * @param readTimeout        {@code mail.imaps.timeout} and {@code writetimeout} when the session properties set none
 */
public record PickupSettings(int workers, Duration idleRenewal, Duration idleResponseTimeout, Duration retryInitial,
                             Duration retryMax, Duration signInRetryMax, int batchMessages, long batchBytes,
                             long bytesInFlight, Duration connectTimeout, Duration readTimeout) {

    public PickupSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (batchMessages < 1 || batchBytes < 1) {
            throw new IllegalArgumentException("a batch needs room for at least one mail");
        }
        if (bytesInFlight < 2 * batchBytes) {
            throw new IllegalArgumentException("bytesInFlight (" + bytesInFlight + ") must hold one batch twice (2 x "
                    + batchBytes + ")");
        }
        for (Duration d : new Duration[] {idleRenewal, idleResponseTimeout, retryInitial, retryMax, signInRetryMax,
                                          connectTimeout, readTimeout}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("pickup durations must be positive");
            }
        }
        if (idleRenewal.compareTo(Duration.ofMinutes(29)) >= 0) {
            throw new IllegalArgumentException("IDLE must be renewed before 29 minutes (RFC 2177), not after " + idleRenewal);
        }
    }

    public static PickupSettings defaults() {
        return new PickupSettings(8, Duration.ofMinutes(25), Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofMinutes(5), 50, 8L << 20, 48L << 20, Duration.ofSeconds(20),
                Duration.ofSeconds(60));
    }

    public PickupSettings withWorkers(int n) {
        return new PickupSettings(n, idleRenewal, idleResponseTimeout, retryInitial, retryMax, signInRetryMax,
                batchMessages, batchBytes, bytesInFlight, connectTimeout, readTimeout);
    }

    public PickupSettings withIdle(Duration renewal, Duration exitTimeout) {
        return new PickupSettings(workers, renewal, exitTimeout, retryInitial, retryMax, signInRetryMax,
                batchMessages, batchBytes, bytesInFlight, connectTimeout, readTimeout);
    }

    public PickupSettings withRetry(Duration initial, Duration max, Duration signInMax) {
        return new PickupSettings(workers, idleRenewal, idleResponseTimeout, initial, max, signInMax,
                batchMessages, batchBytes, bytesInFlight, connectTimeout, readTimeout);
    }

    public PickupSettings withBatches(int messages, long bytes, long inFlight) {
        return new PickupSettings(workers, idleRenewal, idleResponseTimeout, retryInitial, retryMax, signInRetryMax,
                messages, bytes, inFlight, connectTimeout, readTimeout);
    }

    public PickupSettings withTimeouts(Duration connect, Duration read) {
        return new PickupSettings(workers, idleRenewal, idleResponseTimeout, retryInitial, retryMax, signInRetryMax,
                batchMessages, batchBytes, bytesInFlight, connect, read);
    }
}
