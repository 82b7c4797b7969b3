package dev.emailchannel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.RealMailServers;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What large attachments cost the channel's heap, end to end: the packaged jar in its own JVM
 * ({@code -Xmx512m}, as {@code ChannelProcess} runs it) against real Dovecot + Postfix, mails handed to Dovecot over
 * LMTP, an agent over HTTP that checks every file it receives (SHA-256).
 *
 * <ul>
 *   <li>{@code one}: one mail with a 10,000,000-byte attachment, from its arrival in the mailbox to the agent's
 *       acceptance. The channel's heap is sampled over JMX with a forced full GC before each sample (a heap snapshot
 *       of the live objects, every few tens of ms), so the growth over the idle baseline is what the channel holds,
 *       not garbage waiting for a collection. Also: the bytes allocated meanwhile by the channel's threads (the
 *       JVM's per-thread allocation counters, {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}).
 *       Target: growth ≤ 3 × the file.</li>
 *   <li>{@code twenty}: 20 such mails from 20 customers at once (AGENT_CONCURRENCY 8): all delivered intact, no
 *       OutOfMemoryError, the peak live heap.</li>
 * </ul>
 * Run {@code bash bench/memory.sh} (both), {@code bash bench/memory.sh one} (the first only).
 */
public final class MemoryBenchmark {

    static final int FILE_BYTES = 10_000_000;
    static final String MAILBOX = RealMailServers.ALICE;

    private MemoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = ChannelProcess.JAR;
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -B -DskipTests package` first");
        }
        System.out.printf(Locale.ROOT, "# memory benchmark — %d cores, load average %.2f, Java %s, channel JVM -Xmx512m%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"));
        RealMailServers servers = RealMailServers.startPrivate(Map.of("MAX_CONNECTIONS", "100"));
        try (FakeAgent agent = new FakeAgent()) {
            Map<String, byte[]> expected = new java.util.concurrent.ConcurrentHashMap<>();
            Set<String> intact = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Set<String> broken = java.util.concurrent.ConcurrentHashMap.newKeySet();
            agent.answerWith(event -> {
                check(event, expected, intact, broken);
                return FakeAgent.Answer.accepted();
            });
            int jmxPort;
            try (ServerSocket s = new ServerSocket(0)) {
                jmxPort = s.getLocalPort();
            }
            Map<String, String> env = servers.channelEnv(MAILBOX);
            env.put("CHECK_INTERVAL", "1");
            env.put("AGENT_URL", agent.url());
            Path work = Files.createTempDirectory("memory-bench");
            ChannelProcess channel = ChannelProcess.start(work, env, servers.trustStore(), List.of("-Xmx512m",
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port="
                            + jmxPort, "-Dcom.sun.management.jmxremote.authenticate=false",
                    "-Dcom.sun.management.jmxremote.ssl=false", "-Djava.rmi.server.hostname=127.0.0.1"));
            try {
                channel.awaitStatus("RUNNING");
                JMXConnector jmx = connect(jmxPort);
                MBeanServerConnection remote = jmx.getMBeanServerConnection();
                MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(remote,
                        ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                com.sun.management.ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(remote,
                        ManagementFactory.THREAD_MXBEAN_NAME, com.sun.management.ThreadMXBean.class);

                // warm-up: two mails with a 1 MB file take the code paths once
                for (int i = 0; i < 2; i++) {
                    deliver(servers, "warmup" + i + "@example.org", 1_000_000, 100 + i, expected);
                }
                awaitIntact(intact, broken, 2, Duration.ofSeconds(120), channel);

                // one 10 MB file
                long baseline = liveHeap(memory);
                Map<Long, Long> allocatedBefore = allocated(threads);
                Sampler sampler = new Sampler(memory, 0, remote);
                sampler.threads = ManagementFactory.newPlatformMXBeanProxy(remote,
                        ManagementFactory.THREAD_MXBEAN_NAME, java.lang.management.ThreadMXBean.class);
                sampler.start();
                long started = System.nanoTime();
                deliver(servers, "jane@example.org", FILE_BYTES, 1, expected);
                awaitIntact(intact, broken, 3, Duration.ofSeconds(180), channel);
                double seconds = (System.nanoTime() - started) / 1e9;
                sampler.stop();
                long allocatedDuring = delta(allocatedBefore, allocated(threads));
                long growth = sampler.max.get() - baseline;
                System.out.printf(Locale.ROOT, "one mail, %,d-byte attachment (%,d bytes of MIME): delivered intact "
                        + "to the agent in %.1f s%n", FILE_BYTES, mime(FILE_BYTES, 1).length, seconds);
                System.out.printf(Locale.ROOT, "  live heap (after a forced full GC, %d samples): baseline %.1f MB, "
                        + "peak %.1f MB, growth %.1f MB = %.2f x the file (target <= 3 x)%n", sampler.samples.get(),
                        mb(baseline), mb(sampler.max.get()), mb(growth), growth / (double) FILE_BYTES);
                System.out.printf(Locale.ROOT, "  allocated by the channel's threads meanwhile: %.1f MB = %.1f x the "
                        + "file (garbage included; %d threads)%n", mb(allocatedDuring),
                        allocatedDuring / (double) FILE_BYTES, allocatedBefore.size());
                System.out.println("  where the mail was when the live heap peaked (channel log, UTC):");
                java.time.Instant from = java.time.Instant.now().minusNanos((long) (seconds * 1e9));
                channel.log().lines().filter(l -> l.contains("jane@example.org") || l.contains("delivered to the agent"))
                        .filter(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")
                                && java.time.Instant.parse(l.substring(0, 24)).isAfter(from.minusSeconds(1)))
                        .forEach(l -> System.out.println("    " + l.substring(11, 23) + " " + l.substring(
                                l.indexOf(" - ") + 3, Math.min(l.length(), l.indexOf(" - ") + 110))));
                System.out.println("    " + sampler.peakAt.toString().substring(11, 23) + " peak of the live heap");
                System.out.println("  what the channel's mail threads did at the peak:");
                System.out.println(sampler.stacksAtPeak.indent(4).stripTrailing());
                System.out.println("  live objects at the peak (GC.class_histogram, top classes):");
                System.out.println(sampler.histogramAtPeak.indent(4).stripTrailing());

                if (args.length > 0 && args[0].equals("one")) {
                    jmx.close();
                    throw new Done();
                }
                // twenty at once
                channel.api("POST", "/api/channel/stop", null);
                for (int i = 0; i < 20; i++) {
                    deliver(servers, "customer" + i + "@example.org", FILE_BYTES, 1000 + i, expected);
                }
                long baseline20 = liveHeap(memory);
                Sampler sampler20 = new Sampler(memory, 200, null).start();
                started = System.nanoTime();
                channel.api("POST", "/api/channel/start", null);
                boolean all = awaitIntact(intact, broken, 23, Duration.ofSeconds(600), channel);
                seconds = (System.nanoTime() - started) / 1e9;
                sampler20.stop();
                String log = channel.log();
                System.out.printf(Locale.ROOT, "20 mails at once, %,d-byte attachment each, channel -Xmx512m: %d/20 "
                        + "delivered intact (%d broken) in %.1f s; OutOfMemoryError in the log: %s; channel alive: "
                        + "%s%n", FILE_BYTES, intact.size() - 3, broken.size(), seconds,
                        log.contains("OutOfMemoryError") ? "yes" : "no", channel.isAlive() ? "yes" : "no");
                System.out.printf(Locale.ROOT, "  live heap (forced full GC every 200 ms, %d samples): baseline %.1f "
                        + "MB, peak %.1f MB%n", sampler20.samples.get(), mb(baseline20), mb(sampler20.max.get()));
                JsonNode parked = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        channel.api("GET", "/api/inbox?state=parked", null).body()).get("mails");
                System.out.printf(Locale.ROOT, "  parked: %d%n", parked.size());
                jmx.close();
                if (!all) {
                    System.out.println("NOT ALL DELIVERED; channel log tail:\n"
                            + log.substring(Math.max(0, log.length() - 3000)));
                }
            } catch (Done done) {
                // only the one mail was asked for
            } finally {
                channel.close();
                try (var files = Files.walk(work)) { // the channel's working directory (its H2 database)
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } finally {
            servers.close();
        }
        System.out.println("reproduce: bash bench/memory.sh (needs Dovecot + Postfix, see .ci/run)");
        System.exit(0);
    }

    /** Ends the run after the first part ({@code one}). */
    static final class Done extends RuntimeException {
    }

    /** Samples the live heap: a full GC, then the used heap; the maximum over the run. */
    static final class Sampler {
        final MemoryMXBean memory;
        final long pauseMillis;
        final AtomicLong max = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final MBeanServerConnection histograms;
        volatile String histogramAtPeak = "";
        volatile java.time.Instant peakAt;
        volatile String stacksAtPeak = "";
        java.lang.management.ThreadMXBean threads;
        Thread thread;

        /** @param histograms where to take a class histogram at each new peak, or null */
        Sampler(MemoryMXBean memory, long pauseMillis, MBeanServerConnection histograms) {
            this.memory = memory;
            this.pauseMillis = pauseMillis;
            this.histograms = histograms;
        }

        Sampler start() {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        long live = liveHeap(memory);
                        if (live > max.get()) {
                            peakAt = java.time.Instant.now();
                            if (histograms != null) {
                                histogramAtPeak = histogram(histograms, 12);
                                stacksAtPeak = busyStacks(threads);
                                String dump = System.getProperty("bench.heapDump");
                                if (dump != null) { // -Dbench.heapDump=/abs/path.hprof: the live heap at the peak
                                    Files.deleteIfExists(Path.of(dump));
                                    histograms.invoke(new javax.management.ObjectName(
                                            "com.sun.management:type=HotSpotDiagnostic"), "dumpHeap",
                                            new Object[] {dump, true}, new String[] {String.class.getName(),
                                                boolean.class.getName()});
                                }
                            }
                        }
                        max.accumulateAndGet(live, Math::max);
                        samples.incrementAndGet();
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
            return this;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    static long liveHeap(MemoryMXBean memory) {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The channel's own frames of the threads that work on mail (dispatch, pickup, outbox), at this moment. */
    static String busyStacks(java.lang.management.ThreadMXBean threads) {
        StringBuilder out = new StringBuilder();
        for (java.lang.management.ThreadInfo t : threads.dumpAllThreads(false, false)) {
            String name = t.getThreadName();
            if (!(name.startsWith("dispatch-") || name.startsWith("pickup-") || name.contains("outbox"))) {
                continue;
            }
            List<String> frames = new java.util.ArrayList<>();
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().startsWith("dev.emailchannel") || e.getClassName().startsWith("org.h2")
                        || e.getClassName().startsWith("org.apache.hc") || e.getClassName().startsWith("com.fasterxml")
                        || e.getClassName().startsWith("org.eclipse.angus")) {
                    frames.add(e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "."
                            + e.getMethodName() + ":" + e.getLineNumber());
                }
            }
            if (frames.stream().anyMatch(f -> !f.startsWith("Dispatcher") && !f.startsWith("Watcher"))) {
                out.append(name).append(": ").append(String.join(" < ", frames.subList(0, Math.min(8,
                        frames.size())))).append('\n');
            }
        }
        return out.toString();
    }

    /** The top lines of the live objects' class histogram ({@code jcmd <pid> GC.class_histogram}). */
    static String histogram(MBeanServerConnection remote, int lines) throws Exception {
        String all = (String) remote.invoke(new javax.management.ObjectName(
                "com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        return String.join("\n", all.lines().limit(lines + 2).toList());
    }

    static Map<Long, Long> allocated(com.sun.management.ThreadMXBean threads) {
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }

    /** Allocated since {@code before}, by threads alive at the end (a thread started meanwhile counts whole). */
    static long delta(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    static JMXConnector connect(int port) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        Exception last = null;
        for (int i = 0; i < 50; i++) {
            try {
                return JMXConnectorFactory.connect(url);
            } catch (Exception e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw last;
    }

    static void deliver(RealMailServers servers, String from, int size, int seed, Map<String, byte[]> expected)
            throws Exception {
        byte[] raw = mime(size, seed);
        expected.put(from, MessageDigest.getInstance("SHA-256").digest(file(size, seed)));
        servers.deliverLmtp(from, MAILBOX, withFrom(raw, from));
    }

    static byte[] file(int size, int seed) {
        byte[] file = new byte[size];
        new Random(seed).nextBytes(file);
        return file;
    }

    static byte[] mime(int size, int seed) throws Exception {
        Session session = Session.getInstance(new Properties());
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("The file you asked for.", "UTF-8");
        mixed.addBodyPart(text);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(file(size, seed), "application/octet-stream");
        attachment.setFileName("data-" + seed + ".bin");
        mixed.addBodyPart(attachment);
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress("FROM@example.org"));
        msg.setRecipients(jakarta.mail.Message.RecipientType.TO, MAILBOX);
        msg.setSubject("Large file " + seed);
        msg.setContent(mixed);
        msg.saveChanges();
        msg.setHeader("Message-ID", "<" + UUID.randomUUID() + "@example.org>");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        msg.writeTo(out);
        return out.toByteArray();
    }

    static byte[] withFrom(byte[] raw, String from) {
        String head = new String(raw, 0, Math.min(raw.length, 2000), java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = head.indexOf("FROM@example.org");
        byte[] address = from.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[raw.length - "FROM@example.org".length() + address.length];
        System.arraycopy(raw, 0, out, 0, at);
        System.arraycopy(address, 0, out, at, address.length);
        System.arraycopy(raw, at + "FROM@example.org".length(), out, at + address.length,
                raw.length - at - "FROM@example.org".length());
        return out;
    }

    /** The agent's check: the file in the event is exactly the file sent (SHA-256). */
    static void check(JsonNode event, Map<String, byte[]> expected, Set<String> intact, Set<String> broken) {
        String from = event.get("from").get("address").asText();
        try {
            JsonNode files = event.get("attachments");
            byte[] digest = files.size() == 1 ? MessageDigest.getInstance("SHA-256")
                    .digest(Base64.getDecoder().decode(files.get(0).get("data").asText())) : new byte[0];
            (MessageDigest.isEqual(digest, expected.get(from)) ? intact : broken).add(from);
        } catch (Exception e) {
            broken.add(from);
        }
    }

    static boolean awaitIntact(Set<String> intact, Set<String> broken, int count, Duration timeout,
            ChannelProcess channel) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (intact.size() + broken.size() < count && System.nanoTime() < deadline && channel.isAlive()) {
            Thread.sleep(100);
        }
        return intact.size() >= count;
    }

    static double mb(long bytes) {
        return bytes / 1e6;
    }
}
