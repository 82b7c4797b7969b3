package dev.emailchannel.status;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the channel for {@code /observe/health/ready}: UP only while the connection is RUNNING, so a load
 * balancer or Kubernetes sends nothing to an instance that is STOPPED, STARTING or in ERROR. Liveness is not affected:
 * a channel in ERROR keeps its API up to say why.
 */
public final class ChannelReadiness extends AbstractHealthCheck {

    private final ChannelState state;

    public ChannelReadiness(ChannelState state) {
        super("email-channel", "channel");
        this.state = state;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ChannelState.Snapshot s = state.snapshot();
        builder.detail("status", s.status().name());
        if (s.error() != null) {
            builder.detail("error", s.error());
        }
        if (s.status() == ChannelStatus.RUNNING) {
            builder.up();
        } else {
            builder.message("channel is " + s.status() + (s.error() == null ? "" : ": " + s.error())).down();
        }
    }
}
