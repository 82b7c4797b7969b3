package dev.emailchannel.status;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** {@code OTEL_TRACES_EXPORTER=channel-test}: the spans stay in memory for the test to read. */
public final class TestSpanExporterProvider implements ConfigurableSpanExporterProvider {

    public static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return SPANS;
    }

    @Override
    public String getName() {
        return "channel-test";
    }
}
