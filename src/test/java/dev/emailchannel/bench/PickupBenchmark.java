package dev.emailchannel.bench;

import static dev.emailchannel.bench.BenchFigures.loadAverage;
import static dev.emailchannel.bench.BenchFigures.median;

import dev.emailchannel.pickup.FetchedMail;
import dev.emailchannel.pickup.MailboxSource;
import dev.emailchannel.pickup.MailboxWatch;
import dev.emailchannel.pickup.PickupEngine;
import dev.emailchannel.pickup.PickupListener;
import dev.emailchannel.pickup.PickupSettings;
import dev.emailchannel.pickup.PickupSink;
import dev.emailchannel.testing.LatencyProxy;
import dev.emailchannel.testing.RealMailServers;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmarks of the pickup engine against real Dovecot + Postfix (not a JUnit test: run {@code bench/pickup.sh}):
 * <ul>
 *   <li>{@code latency}: send (SMTP to Postfix) → stored by the sink, under IDLE with the default check interval of
 *       15 s: 30 mails a few seconds apart, then 30 back-to-back.</li>
 *   <li>{@code backlog}: 300 unread mails drained by the engine and by a bare Angus Mail loop (BODY.PEEK[] and
 *       STORE \Seen per message) on the same Dovecot, alternately, several rounds; {@code -Dbench.storeMillis=N}
 *       makes each of the engine's stores take N ms, {@code -Dbench.rttMillis=N} puts a {@link LatencyProxy} with a
 *       round trip of N ms between the engine and Dovecot.</li>
 *   <li>{@code scale N}: N mailboxes (Dovecot users made here) watched under IDLE: start time, live threads, heap
 *       after GC, RSS; run in its own JVM ({@code -Xmx256m} in the script).</li>
 * </ul>
 */
public final class PickupBenchmark {

    private static final Pattern SUBJECT = Pattern.compile("Subject: (bench-[\\w-]+)");
    private static final String FROM = "customer@example.org";

    private PickupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "latency";
        System.out.printf(Locale.ROOT, "# pickup benchmark %s — %d cores, load average %s, %s, Java %s%n", mode,
                Runtime.getRuntime().availableProcessors(), loadAverage(), dovecotVersion(),
                System.getProperty("java.version"));
        switch (mode) {
            case "latency" -> latency();
            case "backlog" -> backlog(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            case "scale" -> scale(args.length > 1 ? Integer.parseInt(args[1]) : 100);
            case "restart" -> restart(args.length > 1 ? Integer.parseInt(args[1]) : 5);
            default -> throw new IllegalArgumentException("modes: latency, backlog [rounds], scale N, restart [rounds]");
        }
        System.exit(0); // the real mail servers stop in a shutdown hook
    }

    // ------------------------------------------------------------------------------------------------ latency

    private static void latency() throws Exception {
        RealMailServers servers = RealMailServers.get();
        String user = RealMailServers.ALICE;
        servers.clear(user);
        TimingSink sink = new TimingSink();
        try (PickupEngine engine = new PickupEngine()) {
            MailboxWatch w = engine.watch(source(servers, user, servers.password(user), Duration.ofSeconds(15)),
                    sink, PickupListener.NONE);
            w.started().get(30, TimeUnit.SECONDS);
            System.out.println("mode " + w.status().mode() + ", check interval 15 s (the default CHECK_INTERVAL)");
            Thread.sleep(1000);
            report("SMTP send → stored, 30 mails 2 s apart", run(servers, user, sink, "spaced", 30, 2000, false));
            report("SMTP send → stored, 30 back-to-back", run(servers, user, sink, "burst", 30, 0, false));
            report("LMTP delivery → stored, 30, 2 s apart", run(servers, user, sink, "lmtp-spaced", 30, 2000, true));
            report("LMTP delivery → stored, 30 back-to-back", run(servers, user, sink, "lmtp-burst", 30, 0, true));
            System.out.println("IDLE reconnects " + w.status().idleReconnects() + ", checks by IDLE and safety poll; "
                    + "stored " + w.status().mailsStored());
        }
    }

    /**
     * Sends n mails and returns each one's time to the sink in ms. Through Postfix (SMTP, what a customer's mail goes
     * through) or straight into Dovecot over LMTP (what remains is Dovecot's IDLE notice and the engine).
     */
    private static List<Double> run(RealMailServers servers, String user, TimingSink sink, String tag, int n,
                                    long gapMillis, boolean lmtp) throws Exception {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            String subject = "bench-" + tag + "-" + i;
            sent.put(subject, System.nanoTime());
            if (lmtp) {
                servers.deliverTextLmtp(FROM, user, subject, "latency probe " + i);
            } else {
                servers.deliverText(FROM, user, subject, "latency probe " + i);
            }
            if (gapMillis > 0) {
                Thread.sleep(gapMillis);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sink.storedAt.keySet().containsAll(sent.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Double> ms = new ArrayList<>();
        for (Map.Entry<String, Long> e : sent.entrySet()) {
            Long stored = sink.storedAt.get(e.getKey());
            ms.add(stored == null ? Double.NaN : (stored - e.getValue()) / 1e6);
        }
        return ms;
    }

    // ------------------------------------------------------------------------------------------------ restart

    /** Dovecot stopped (every connection closed), kept down 5 s, started: how long until a new mail is stored again. */
    private static void restart(int rounds) throws Exception {
        RealMailServers servers = RealMailServers.get();
        String user = RealMailServers.CAROL;
        servers.clear(user);
        TimingSink sink = new TimingSink();
        List<Double> ms = new ArrayList<>();
        try (PickupEngine engine = new PickupEngine()) {
            MailboxWatch w = engine.watch(source(servers, user, servers.password(user), Duration.ofSeconds(15)), sink,
                    PickupListener.NONE);
            w.started().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < rounds; i++) {
                servers.restartDovecot(Duration.ofSeconds(5));
                long back = System.nanoTime(); // the IMAP ports answer again
                servers.deliverTextLmtp(FROM, user, "bench-restart-" + i, "are you back?");
                while (!sink.storedAt.containsKey("bench-restart-" + i)) {
                    Thread.sleep(10);
                }
                ms.add((sink.storedAt.get("bench-restart-" + i) - back) / 1e6);
                System.out.printf(Locale.ROOT, "restart %d: stored %.0f ms after Dovecot answered again%n", i + 1,
                        ms.get(ms.size() - 1));
            }
            report("server back → new mail stored", ms);
            System.out.println("IDLE reconnects " + w.status().idleReconnects() + " (retry backoff: 1 s doubling, capped at "
                    + PickupSettings.defaults().retryMax().toSeconds() + " s)");
        }
    }

    // ------------------------------------------------------------------------------------------------ backlog

    private static void backlog(int rounds) throws Exception {
        RealMailServers servers = RealMailServers.get();
        String user = RealMailServers.BOB;
        String body = "Order question. ".repeat(500); // ~8 KB, a typical support mail with some history
        List<Double> engineMs = new ArrayList<>();
        List<Double> bareMs = new ArrayList<>();
        System.out.println("the engine's sink takes " + Long.getLong("bench.storeMillis", 0) + " ms per batch "
                + "(-Dbench.storeMillis: a database commit a network hop away), and its IMAP connection has a round "
                + "trip of " + Long.getLong("bench.rttMillis", 0) + " ms more (-Dbench.rttMillis, a LatencyProxy); "
                + "the bare loop has neither");
        for (int round = 0; round <= rounds; round++) { // round 0 warms the JIT up and is not counted
            for (String who : round % 2 == 0 ? List.of("bare", "engine") : List.of("engine", "bare")) {
                servers.clear(user);
                for (int i = 0; i < 300; i++) {
                    servers.deliverTextLmtp(FROM, user, "bench-backlog-" + i, body);
                }
                double ms = who.equals("engine") ? drainWithEngine(servers, user) : drainBare(servers, user);
                if (servers.unseenCount(user) != 0) {
                    throw new IllegalStateException(who + " left unread mail");
                }
                if (round > 0) {
                    (who.equals("engine") ? engineMs : bareMs).add(ms);
                }
                System.out.printf(Locale.ROOT, "round %d%s %-6s 300 mails in %7.0f ms (%5.0f mails/s)%n", round,
                        round == 0 ? " (warm-up)" : "", who, ms, 300_000 / ms);
            }
        }
        double e = median(engineMs);
        double b = median(bareMs);
        System.out.printf(Locale.ROOT, "%nmedian: engine %.0f ms, bare Angus loop %.0f ms; the bare loop takes %.1f× as long%n",
                e, b, b / e);
    }

    private static double drainWithEngine(RealMailServers servers, String user) throws Exception {
        TimingSink sink = new TimingSink(Long.getLong("bench.storeMillis", 0));
        long rtt = Long.getLong("bench.rttMillis", 0);
        long t0 = System.nanoTime();
        try (PickupEngine engine = new PickupEngine();
             LatencyProxy proxy = rtt > 0 ? new LatencyProxy(servers.imapsPort(), rtt) : null) {
            MailboxWatch w = engine.watch(source(servers, user, servers.password(user), Duration.ofSeconds(15),
                    proxy == null ? servers.imapsPort() : proxy.port()), sink, PickupListener.NONE);
            w.started().get(120, TimeUnit.SECONDS);
            if (sink.storedAt.size() != 300) {
                throw new IllegalStateException("engine stored " + sink.storedAt.size());
            }
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** The bare loop ({@link BareImapLoop}), handing each mail to the same kind of sink as the engine. */
    private static double drainBare(RealMailServers servers, String user) throws Exception {
        TimingSink sink = new TimingSink();
        long t0 = System.nanoTime();
        BareImapLoop.drain(servers, user, (folder, m, raw) -> sink.store(0,
                List.of(new FetchedMail(((jakarta.mail.UIDFolder) folder).getUID(m), raw, null))));
        if (sink.storedAt.size() != 300) {
            throw new IllegalStateException("bare loop stored " + sink.storedAt.size());
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    // ------------------------------------------------------------------------------------------------ scale

    private static void scale(int n) throws Exception {
        RealMailServers servers = RealMailServers.startPrivate(Map.of("MAX_CONNECTIONS", Integer.toString(n + 100)));
        try {
            List<RealMailServers.User> users = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                users.add(new RealMailServers.User(String.format(Locale.ROOT, "box%04d@%s", i, RealMailServers.DOMAIN),
                        "pw-" + i, null));
            }
            servers.addUsers(users);
            Snapshot base;
            List<TimingSink> sinks = new ArrayList<>();
            try (PickupEngine engine = new PickupEngine()) {
                base = Snapshot.take();
                long cpu0 = BenchFigures.processCpuNanos();
                long t0 = System.nanoTime();
                List<MailboxWatch> watches = new ArrayList<>();
                for (RealMailServers.User u : users) {
                    TimingSink sink = new TimingSink();
                    sinks.add(sink);
                    watches.add(engine.watch(source(servers, u.address(), u.password(), Duration.ofSeconds(15)), sink,
                            PickupListener.NONE));
                }
                CompletableFuture.allOf(watches.stream().map(MailboxWatch::started).toArray(CompletableFuture[]::new))
                        .get(600, TimeUnit.SECONDS);
                double startMs = (System.nanoTime() - t0) / 1e6;
                double startCpuS = (BenchFigures.processCpuNanos() - cpu0) / 1e9;
                long idle = watches.stream().filter(w -> w.status().mode() == dev.emailchannel.pickup.PickupMode.IDLE).count();
                Thread.sleep(2000); // let the pools settle
                Snapshot after = Snapshot.take();
                List<Double> probes = new ArrayList<>();
                for (int k = 0; k < 10; k++) { // mails to mailboxes spread over the range, a second apart
                    int box = (k * 97 + 13) % n;
                    long sentAt = System.nanoTime();
                    servers.deliverTextLmtp(FROM, users.get(box).address(), "bench-probe-" + k, "which mailbox?");
                    while (!sinks.get(box).storedAt.containsKey("bench-probe-" + k)) {
                        Thread.sleep(5);
                    }
                    probes.add((sinks.get(box).storedAt.get("bench-probe-" + k) - sentAt) / 1e6);
                    Thread.sleep(1000);
                }
                long stored = sinks.stream().mapToLong(sk -> sk.storedAt.size()).sum();
                System.out.printf(Locale.ROOT, "%d mailboxes (%d on IDLE): all signed in and checked in %.1f s, using %.1f s"
                        + " of this JVM's CPU (the rest: Dovecot's logins and imap processes, and the machine's load)%n",
                        n, idle, startMs / 1000, startCpuS);
                System.out.printf(Locale.ROOT, "live threads: %d in the JVM (%d before watching), %d of the engine: %s%n",
                        after.threads, base.threads, after.engineThreads.size(), after.engineThreads);
                System.out.printf(Locale.ROOT, "heap after GC: %.1f MB (%.1f MB before watching) → %.1f KB per mailbox%n",
                        after.heapMb, base.heapMb, (after.heapMb - base.heapMb) * 1024 / n);
                System.out.printf(Locale.ROOT, "RSS: %.1f MB (%.1f MB before watching) → %.1f KB per mailbox; max heap %.0f MB%n",
                        after.rssMb, base.rssMb, (after.rssMb - base.rssMb) * 1024 / n,
                        Runtime.getRuntime().maxMemory() / 1048576.0);
                report("10 mails (LMTP) to 10 of them → stored", probes);
                System.out.printf(Locale.ROOT, "each stored by its own mailbox's sink; mails stored in all: %d%n", stored);
                System.out.printf(Locale.ROOT, "Dovecot (all its processes): RSS %.0f MB%n", servers.dovecotRssMb());
                long t1 = System.nanoTime();
                engine.close();
                System.out.printf(Locale.ROOT, "stopped all %d in %.1f s (UNSELECT + LOGOUT each)%n", n,
                        (System.nanoTime() - t1) / 1e9);
            }
        } finally {
            servers.close();
        }
    }

    /** Threads, heap after GC and RSS of this JVM. */
    private record Snapshot(int threads, List<String> engineThreads, double heapMb, double rssMb) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            Set<Thread> all = Thread.getAllStackTraces().keySet();
            List<String> engine = all.stream().map(Thread::getName).filter(n -> n.startsWith("pickup-")).sorted().toList();
            double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            return new Snapshot(all.size(), engine, heap, processRssMb());
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static MailboxSource source(RealMailServers servers, String user, String password, Duration interval) {
        return source(servers, user, password, interval, servers.imapsPort());
    }

    private static MailboxSource source(RealMailServers servers, String user, String password, Duration interval,
                                        int port) {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.socketFactory", servers.sslSocketFactory());
        return new MailboxSource(user, user, RealMailServers.HOST, port, "INBOX", p, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password);
            }
        }, null, true, interval);
    }

    /** Keeps only when each mail (by its bench subject) was stored. */
    private static final class TimingSink implements PickupSink {
        final Map<String, Long> storedAt = new ConcurrentHashMap<>();
        private final long storeMillis;

        TimingSink() {
            this(0);
        }

        /** @param storeMillis how long each store takes, as a database commit a network hop away would */
        TimingSink(long storeMillis) {
            this.storeMillis = storeMillis;
        }

        @Override
        public Set<Long> known(long uidValidity, List<Long> uids) {
            return Set.of();
        }

        @Override
        public Long highestStored(long uidValidity) {
            return null; // nothing is kept: nothing to take again
        }

        @Override
        public void store(long uidValidity, List<FetchedMail> batch) {
            if (storeMillis > 0) {
                try {
                    Thread.sleep(storeMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while storing", e);
                }
            }
            long now = System.nanoTime();
            for (FetchedMail m : batch) {
                Matcher s = SUBJECT.matcher(new String(m.buffer(), m.offset(), Math.min(m.length(), 4096), StandardCharsets.UTF_8));
                storedAt.put(s.find() ? s.group(1) : "uid-" + m.uid(), now);
            }
        }
    }

    private static void report(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        long missing = sorted.stream().filter(d -> d.isNaN()).count();
        sorted.removeIf(d -> d.isNaN());
        System.out.printf(Locale.ROOT, "%-40s median %6.0f ms, p90 %6.0f ms, max %6.0f ms, min %5.0f ms%s%n", what,
                median(sorted), sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1), sorted.get(sorted.size() - 1),
                sorted.get(0), missing > 0 ? " (" + missing + " not stored within 60 s)" : "");
    }

    private static double processRssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    private static String dovecotVersion() {
        try {
            Process p = new ProcessBuilder("dovecot", "--version").redirectErrorStream(true).start();
            return "Dovecot " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (Exception e) {
            return "Dovecot ?";
        }
    }
}
