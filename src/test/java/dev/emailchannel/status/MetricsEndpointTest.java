package dev.emailchannel.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.RunningChannel;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The channel's own meters reach {@code /observe/metrics} of the application as started by its main class: the
 * registry they are registered in is the one camel-micrometer-prometheus serves, whichever of the two set it up first.
 */
class MetricsEndpointTest {

    @Test
    void should_serve_the_channels_own_meters_next_to_camels() throws Exception {
        RunningChannel channel = RunningChannel.start(Map.of()); // no mailbox: ERROR, but the API and metrics are up
        try {
            HttpResponse<String> metrics = channel.get("/observe/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("camel_routes_running_routes")
                    .contains("email_channel_mails_pending ")
                    .contains("channel_cluster_mailboxes_owned ");
        } finally {
            channel.close();
        }
    }
}
