package dev.emailchannel.status;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenTelemetry traces of each mail from pickup to reply (camel-opentelemetry2), off unless the standard variables
 * configure an exporter: {@code OTEL_TRACES_EXPORTER} (other than {@code none}), {@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (or their {@code otel.*} system properties); every other {@code OTEL_*}
 * variable (service name, headers, sampler, ...) is read by OpenTelemetry's own autoconfiguration.
 *
 * <p>A mail crosses three exchanges — pickup, dispatch, the SMTP send — with the inbox and the outbox in between; the
 * W3C {@code traceparent} of each is kept with the mail ({@link #current()}) and given to the next exchange as a header,
 * so one trace shows the whole way.
 */
public final class Tracing {

    /** The W3C trace context header. */
    public static final String TRACEPARENT = "traceparent";
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private static final List<String> ENABLING = List.of("otel.traces.exporter", "otel.exporter.otlp.endpoint",
            "otel.exporter.otlp.traces.endpoint");

    private Tracing() {
    }

    /** Traces are on when an exporter is configured and the SDK is not disabled. */
    static boolean enabled(Function<String, String> property) {
        if ("true".equalsIgnoreCase(property.apply("otel.sdk.disabled"))) {
            return false;
        }
        for (String name : ENABLING) {
            String value = property.apply(name);
            if (value != null && !value.isBlank() && !(name.equals("otel.traces.exporter")
                    && value.trim().equalsIgnoreCase("none"))) {
                return true;
            }
        }
        return false;
    }

    /** A system property {@code otel.x.y}, or else the variable {@code OTEL_X_Y}. */
    static String property(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
    }

    /** Turns tracing on for this application when the environment asks for it. */
    public static void configure(CamelContext context) throws Exception {
        if (!enabled(Tracing::property)) {
            return;
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                // traces only, unless metrics or logs are asked for explicitly: they have their own endpoints here
                .addPropertiesSupplier(() -> Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none",
                        "otel.service.name", "email-channel"))
                .build().getOpenTelemetrySdk();
        context.getRegistry().bind("openTelemetryTracer", Tracer.class, sdk.getTracer("email-channel"));
        context.getRegistry().bind("openTelemetryPropagators", ContextPropagators.class, sdk.getPropagators());
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.init(context);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                sdk.close(); // flushes the spans not exported yet
            }
        }, true);
        LOG.info("OpenTelemetry traces on (exporter: {})", property("otel.traces.exporter") == null ? "otlp"
                : property("otel.traces.exporter"));
    }

    /** The W3C {@code traceparent} of the span this thread is in, or null when there is none (tracing off). */
    public static String current() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }
}
