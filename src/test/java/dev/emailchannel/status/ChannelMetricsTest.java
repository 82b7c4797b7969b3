package dev.emailchannel.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChannelMetricsTest {

    @Test
    void should_count_each_mailbox_and_outcome_on_a_meter_of_its_own() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChannelMetrics metrics = new ChannelMetrics(registry);
        metrics.delivered("support@acme.test");
        metrics.delivered("support@acme.test");
        metrics.delivered("sales@acme.test");
        metrics.parked("support@acme.test");
        metrics.agentCall("support@acme.test", Duration.ofMillis(20), "accepted");
        metrics.agentCall("support@acme.test", Duration.ofMillis(40), "accepted");
        metrics.agentCall("support@acme.test", Duration.ofMillis(5), "refused");
        metrics.agentCall("sales@acme.test", Duration.ofMillis(10), "accepted");
        metrics.pickupLatency("sales@acme.test", Duration.ofSeconds(-1));

        assertThat(registry.get("email.channel.mails.delivered").tag("mailbox", "support@acme.test").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("email.channel.mails.delivered").tag("mailbox", "sales@acme.test").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("email.channel.mails.parked").counters()).hasSize(1);
        assertThat(registry.get("email.channel.agent.call").tag("mailbox", "support@acme.test")
                .tag("outcome", "accepted").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(60);
        assertThat(registry.get("email.channel.agent.call").tag("mailbox", "support@acme.test")
                .tag("outcome", "refused").timer().count()).isEqualTo(1);
        assertThat(registry.get("email.channel.agent.call").tag("mailbox", "sales@acme.test").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("email.channel.pickup.latency").timer().totalTime(TimeUnit.MILLISECONDS)).as("a clock skew counts as no latency").isZero();
    }
}
