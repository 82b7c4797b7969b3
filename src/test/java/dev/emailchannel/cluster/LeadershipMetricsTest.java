package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.testing.RunningChannel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/**
 * With the application's metrics settings, the ownership counters reach {@code /observe/metrics} when the registry handed to {@link MailboxLeadership} is bound
 * as Camel's {@code metricsRegistry} (camel-micrometer-prometheus then serves it instead of a registry of its own),
 * and a single instance ({@link MailboxLeadership#standalone}) owns what it is given and gives it back on removal.
 */
class LeadershipMetricsTest {

    @Test
    void should_count_ownership_changes_on_the_prometheus_endpoint() throws Exception {
        int port = RunningChannel.freePort();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<String> calls = new ArrayList<>();
        Main main = new Main();
        // the application's own server and metrics settings (application.properties on the class path), on a free port
        main.addOverrideProperty("channel.http-port", String.valueOf(port));
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        main.start();
        try {
            MailboxLeadership leadership = MailboxLeadership.standalone("solo", new OwnershipListener() {
                @Override
                public void onBecomeOwner(String mailboxId) {
                    calls.add("take " + mailboxId);
                }

                @Override
                public void onLoseOwnership(String mailboxId) {
                    calls.add("give " + mailboxId);
                }
            }, meters);
            main.getCamelContext().addService(leadership);
            leadership.add("sales@acme.test");
            leadership.add("support@acme.test");
            await().atMost(Duration.ofSeconds(10)).until(() -> leadership.owns("support@acme.test"));
            leadership.remove("support@acme.test");
            assertThat(leadership.owner("sales@acme.test")).contains("solo");
            assertThat(leadership.owner("support@acme.test")).isEmpty();

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("channel_cluster_ownership_changes_total{change=\"taken\"} 2.0")
                    .contains("channel_cluster_ownership_changes_total{change=\"given_up\"} 1.0")
                    .contains("channel_cluster_mailboxes_owned 1.0");
            assertThat(calls).containsExactlyInAnyOrder("take sales@acme.test", "take support@acme.test",
                    "give support@acme.test");
        } finally {
            main.stop();
        }
    }
}
