package dev.emailchannel.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingTest {

    static boolean enabled(Map<String, String> props) {
        return Tracing.enabled(props::get);
    }

    @Test
    void should_stay_off_unless_an_exporter_is_configured() {
        assertThat(enabled(Map.of())).isFalse();
        assertThat(enabled(Map.of("otel.service.name", "x"))).isFalse();
        assertThat(enabled(Map.of("otel.traces.exporter", "none"))).isFalse();
        assertThat(enabled(Map.of("otel.traces.exporter", "otlp"))).isTrue();
        assertThat(enabled(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318"))).isTrue();
        assertThat(enabled(Map.of("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces"))).isTrue();
        assertThat(enabled(Map.of("otel.exporter.otlp.endpoint", "http://c:4318", "otel.sdk.disabled", "true")))
                .isFalse();
    }
}
