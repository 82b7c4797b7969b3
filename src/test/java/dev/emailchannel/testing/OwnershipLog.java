package dev.emailchannel.testing;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every "takes mailbox" and "gives mailbox up" of every cluster member of a test, in one order: in-process events
 * by a shared sequence, events of child JVMs by their wall-clock time (same host, same clock). {@link #overlaps()}
 * finds any moment at which two instances owned the same mailbox.
 */
public final class OwnershipLog {

    /** One change. */
    public record Event(String instance, String mailbox, boolean taken, long millis, long sequence) {
    }

    /** The application's log line of an ownership change (MailboxLeadership). */
    private static final Pattern CHANNEL_LOG_LINE = Pattern.compile(
            "^(\\S+) .* Mailbox (\\S+): instance (\\S+) (takes it over|gives it up) \\(.*$",
            Pattern.MULTILINE);

    private final List<Event> events = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();

    public void record(String instance, String mailbox, boolean taken) {
        record(instance, mailbox, taken, System.currentTimeMillis());
    }

    public synchronized void record(String instance, String mailbox, boolean taken, long millis) {
        events.add(new Event(instance, mailbox, taken, millis, sequence.incrementAndGet()));
    }

    /** A process was killed at {@code millis}: whatever it owned, it stopped watching then. */
    public synchronized void killed(String instance, long millis) {
        current().forEach((mailbox, owners) -> {
            if (owners.contains(instance)) {
                events.add(new Event(instance, mailbox, false, millis, sequence.incrementAndGet()));
            }
        });
    }

    /**
     * Records the ownership changes an application process logged ({@code Mailbox a@b: instance n takes it over
     * (…)}, {@code … gives it up (…)}), by the time stamps of its log lines (same host, same clock).
     */
    public synchronized void recordChannelLog(String log) {
        Matcher m = CHANNEL_LOG_LINE.matcher(log);
        while (m.find()) {
            long millis = OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
            record(m.group(3), m.group(2), m.group(4).startsWith("takes"), millis);
        }
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Mailbox → the instances that own it now. */
    public synchronized Map<String, Set<String>> current() {
        Map<String, Set<String>> owners = new TreeMap<>();
        for (Event e : ordered()) {
            Set<String> set = owners.computeIfAbsent(e.mailbox(), m -> new TreeSet<>());
            if (e.taken()) {
                set.add(e.instance());
            } else {
                set.remove(e.instance());
            }
        }
        return owners;
    }

    /** The owner of each mailbox that has exactly one. */
    public synchronized Map<String, String> soleOwners() {
        Map<String, String> out = new TreeMap<>();
        current().forEach((m, owners) -> {
            if (owners.size() == 1) {
                out.put(m, owners.iterator().next());
            }
        });
        return out;
    }

    /** The last time the mailbox was taken by anybody, or -1. */
    public synchronized long lastTaken(String mailbox) {
        return events.stream().filter(e -> e.taken() && e.mailbox().equals(mailbox)).mapToLong(Event::millis).max()
                .orElse(-1);
    }

    /** Descriptions of every moment two instances owned one mailbox; empty when there was none. */
    public synchronized List<String> overlaps() {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> owners = new HashMap<>();
        for (Event e : ordered()) {
            Set<String> set = owners.computeIfAbsent(e.mailbox(), m -> new HashSet<>());
            if (e.taken()) {
                if (!set.isEmpty() && !set.contains(e.instance())) {
                    problems.add(e.mailbox() + ": " + e.instance() + " took it at " + e.millis() + " while " + set
                            + " still owned it");
                }
                set.add(e.instance());
            } else {
                set.remove(e.instance());
            }
        }
        return problems;
    }

    private List<Event> ordered() {
        // by time; within one millisecond, in-process order (child JVM events do not share it, and a margin of
        // seconds separates their hand-overs anyway)
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::millis).thenComparingLong(Event::sequence));
        return sorted;
    }
}
