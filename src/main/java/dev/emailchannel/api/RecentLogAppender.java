package dev.emailchannel.api;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.emailchannel.secrets.LogSecrets;
import dev.emailchannel.secrets.MaskingPatternLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Keeps the most recent log lines of the process in memory for {@code GET /api/channel/logs} (configured in
 * {@code logback.xml}). Bounded: the oldest line is dropped when {@code capacity} lines are held. Lines are masked like
 * every appender's ({@link MaskingPatternLayout}), and once more when read, so that a secret registered after a line
 * was written is masked in it too.
 */
public final class RecentLogAppender extends AppenderBase<ILoggingEvent> {

    public static final int DEFAULT_CAPACITY = 2000;
    private static final Deque<String> LINES = new ArrayDeque<>();
    private static volatile int capacity = DEFAULT_CAPACITY;

    private String pattern = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{1} - %msg%n";
    private PatternLayout layout;

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    public void setCapacity(int lines) {
        capacity = Math.max(1, lines);
    }

    @Override
    public void start() {
        layout = new MaskingPatternLayout();
        layout.setContext(getContext());
        layout.setPattern(pattern);
        layout.start();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = layout.doLayout(event);
        if (line.endsWith("\n")) {
            line = line.substring(0, line.length() - (line.endsWith("\r\n") ? 2 : 1));
        }
        synchronized (LINES) {
            LINES.addLast(line);
            while (LINES.size() > capacity) {
                LINES.removeFirst();
            }
        }
    }

    /** The newest {@code n} lines, oldest first. */
    public static List<String> recent(int n) {
        synchronized (LINES) {
            List<String> all = new ArrayList<>(LINES);
            return all.subList(Math.max(0, all.size() - n), all.size()).stream().map(LogSecrets::mask).toList();
        }
    }

    public static int capacity() {
        return capacity;
    }
}
