package dev.emailchannel.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.RunningChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The application as wired for production serves the channel's own meters at {@code /observe/metrics}, next to
 * Camel's: the meters go into the registry camel-micrometer-prometheus scrapes, not into one bound beside it.
 */
class MetricsEndpointTest {

    @Test
    void should_serve_the_channels_own_meters_with_camels() throws Exception {
        // no mailbox configured: the channel stays in ERROR, but its gauges exist from the start
        try (RunningChannel channel = RunningChannel.start(Map.of())) {
            String metrics = channel.get("/observe/metrics", null).body();

            assertThat(metrics).contains("camel_exchanges_total")
                    .contains("email_channel_mails_pending ")
                    .contains("email_channel_replies_held_waiting ");
        }
    }
}
