package dev.emailchannel.status;

import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.PickupEvents;
import dev.emailchannel.pickup.PickupMode;
import java.time.Duration;

/** The pickup's news as meters (the engine logs it), and the connection's status when mailboxes fail or recover. */
public final class PickupMonitor implements PickupEvents {

    private final ChannelMetrics metrics;
    private final ChannelLifecycle lifecycle;

    public PickupMonitor(ChannelMetrics metrics, ChannelLifecycle lifecycle) {
        this.metrics = metrics;
        this.lifecycle = lifecycle;
    }

    @Override
    public void connected(Mailbox mailbox, PickupMode mode, boolean reconnect) {
        if (reconnect && mode == PickupMode.IDLE) {
            metrics.idleReconnect(mailbox.address());
        }
        lifecycle.pickupHealthChanged();
    }

    @Override
    public void mailStored(Mailbox mailbox, Duration latency) {
        metrics.pickupLatency(mailbox.address(), latency);
    }

    @Override
    public void pollFallback(Mailbox mailbox, String reason) {
        metrics.pollFallback(mailbox.address());
    }

    @Override
    public void healthChanged() {
        lifecycle.pickupHealthChanged();
    }
}
