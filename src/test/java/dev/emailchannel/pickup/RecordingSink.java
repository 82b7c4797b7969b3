package dev.emailchannel.pickup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * The inbox for tests: keeps what it is given (by UID), can report UIDs as already stored, and can fail a number of
 * times (as a database that is down would) before it stores.
 */
final class RecordingSink implements PickupSink {

    final Map<Long, FetchedMail> stored = new ConcurrentHashMap<>();
    final List<List<Long>> batches = new CopyOnWriteArrayList<>();
    final Set<Long> alreadyStored = ConcurrentHashMap.newKeySet();
    final AtomicInteger failuresLeft = new AtomicInteger();
    final AtomicInteger storeCalls = new AtomicInteger();
    final AtomicInteger knownCalls = new AtomicInteger();
    /** Stores running right now, and the most that ever ran at once. */
    final AtomicInteger storing = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    /** Fails only the store call with this number (1 = the first); 0: none. */
    volatile int failCall;
    /** Runs at the start of every store call, with the call's number (1 = the first). */
    volatile java.util.function.IntConsumer beforeStore = n -> { };

    @Override
    public Set<Long> known(long uidValidity, List<Long> uids) {
        knownCalls.incrementAndGet();
        Set<Long> known = new HashSet<>();
        for (Long uid : uids) {
            if (alreadyStored.contains(uid) || stored.containsKey(uid)) {
                known.add(uid);
            }
        }
        return known;
    }

    @Override
    public Long highestStored(long uidValidity) {
        return java.util.stream.Stream.concat(stored.keySet().stream(), alreadyStored.stream())
                .max(Long::compare).orElse(null);
    }

    @Override
    public void store(long uidValidity, List<FetchedMail> batch) throws Exception {
        int call = storeCalls.incrementAndGet();
        mostAtOnce.accumulateAndGet(storing.incrementAndGet(), Math::max);
        try {
            beforeStore.accept(call);
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || call == failCall) {
                throw new java.sql.SQLTransientConnectionException("database is down");
            }
            List<Long> uids = new ArrayList<>();
            for (FetchedMail m : batch) {
                stored.put(m.uid(), m);
                uids.add(m.uid());
            }
            batches.add(uids);
        } finally {
            storing.decrementAndGet();
        }
    }

    /** Waits until a stored mail's raw text contains {@code text}; returns it. */
    FetchedMail awaitContaining(String text, Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(
                () -> stored.values().stream()
                        .filter(m -> new String(m.raw(), StandardCharsets.UTF_8).contains(text))
                        .findFirst().orElse(null),
                m -> m != null);
    }

    boolean contains(String text) {
        return stored.values().stream().anyMatch(m -> new String(m.raw(), StandardCharsets.UTF_8).contains(text));
    }
}
