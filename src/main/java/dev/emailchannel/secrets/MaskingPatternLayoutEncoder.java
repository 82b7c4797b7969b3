package dev.emailchannel.secrets;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;

/**
 * The drop-in replacement of logback's {@code PatternLayoutEncoder} for any output-stream appender (console, file):
 * {@code <encoder class="dev.emailchannel.secrets.MaskingPatternLayoutEncoder"><pattern>…</pattern></encoder>}.
 * Formats with a {@link MaskingPatternLayout}.
 */
public class MaskingPatternLayoutEncoder extends PatternLayoutEncoderBase<ILoggingEvent> {

    @Override
    public void start() {
        MaskingPatternLayout masking = new MaskingPatternLayout();
        masking.setContext(context);
        masking.setPattern(getPattern());
        masking.setOutputPatternAsHeader(outputPatternAsHeader);
        masking.start();
        this.layout = masking;
        super.start();
    }
}
