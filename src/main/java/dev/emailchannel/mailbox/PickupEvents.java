package dev.emailchannel.mailbox;

import dev.emailchannel.pickup.PickupMode;
import java.time.Duration;

/** What the channel does with the pickup's news beyond a mailbox's health: meters, and the connection's status. */
public interface PickupEvents {

    /** Tells nobody. */
    PickupEvents NONE = new PickupEvents() {
    };

    /** Signed in; {@code reconnect} after a lost connection. */
    default void connected(Mailbox mailbox, PickupMode mode, boolean reconnect) {
    }

    /** A mail was stored {@code latency} after it reached the server. */
    default void mailStored(Mailbox mailbox, Duration latency) {
    }

    /** IDLE is on but the mailbox must be polled (the server does not offer it, or it fails). */
    default void pollFallback(Mailbox mailbox, String reason) {
    }

    /** A mailbox failed or recovered: the connection's status may change. */
    default void healthChanged() {
    }
}
