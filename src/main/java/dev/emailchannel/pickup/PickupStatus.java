package dev.emailchannel.pickup;

import java.time.Instant;

/**
 * A snapshot of one watched mailbox.
 *
 * @param connected      signed in with the folder open
 * @param mode           IDLE or POLL while connected; the last mode otherwise (null before the first connection)
 * @param lastCheck      when the last check finished (null before the first)
 * @param mailsStored    mails handed to the sink and flagged read since the watch started
 * @param error          the current failure (mailbox, protocol and cause), null when all is well
 * @param nextAttempt    when the engine tries again after {@code error} (null when there is no error)
 * @param idleReconnects connections in IDLE mode that were lost and opened again
 * @param pollFallbacks  connections that were polled because IDLE was enabled but could not be used
 * @param idleRenewals   IDLE commands ended and re-issued because the renewal interval passed
 */
public record PickupStatus(String id, String address, boolean connected, PickupMode mode, Instant lastCheck,
                           long mailsStored, String error, Instant nextAttempt, long idleReconnects,
                           long pollFallbacks, long idleRenewals) {
}
