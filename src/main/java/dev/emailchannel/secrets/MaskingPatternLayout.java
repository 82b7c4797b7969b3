package dev.emailchannel.secrets;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * A logback {@link PatternLayout} whose whole formatted output (message, arguments, MDC, exception and stack trace)
 * passes through {@link LogSecrets#mask(String)}. Every appender of {@code logback.xml} formats through it, directly
 * or through {@link MaskingPatternLayoutEncoder}, so no appender ever receives a registered secret.
 */
public class MaskingPatternLayout extends PatternLayout {

    @Override
    public String doLayout(ILoggingEvent event) {
        return LogSecrets.mask(super.doLayout(event));
    }
}
