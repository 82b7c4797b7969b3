package dev.emailchannel.bench;

import static dev.emailchannel.bench.BenchFigures.loadAverage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.RealMailServers.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code target/email-channel.jar}, a process of its own in {@code -Xmx256m}) with N mailboxes on a
 * private Dovecot + Postfix (the mailboxes are Dovecot users made here) and a fake agent: time from launch to
 * RUNNING and to every mailbox watched, live threads and RSS of the channel process, then mails through Postfix to
 * mailboxes spread over the range, a second or two apart, at the default CHECK_INTERVAL (15 s): send → agent, and
 * each answered from its own address. A {@code main}, not a test: {@code bench/pickup.sh channel [N] [mails]}.
 */
public final class PickupChannelBenchmark {

    private static final String CUSTOMER = RealMailServers.BOB;
    private static final Pattern IN_REPLY_TO = Pattern.compile("(?im)^In-Reply-To: *(\\S+)");

    private PickupChannelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int mails = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String heap = System.getProperty("channel.heap", "256m");
        System.out.printf(Locale.ROOT, "# pickup benchmark channel %d — the packaged jar in -Xmx%s, %d cores, load average %s,"
                + " Java %s%n", n, heap, Runtime.getRuntime().availableProcessors(), loadAverage(),
                System.getProperty("java.version"));
        try {
            run(n, mails, heap);
        } finally {
            System.out.printf(Locale.ROOT, "load average at the end %s%nreproduce: bench/pickup.sh channel %d %d%n",
                    loadAverage(), n, mails);
        }
        System.exit(0); // the mail servers stop in a shutdown hook
    }

    private static void run(int n, int mails, String heap) throws Exception {
        RealMailServers servers = RealMailServers.startPrivate(Map.of("MAX_CONNECTIONS", Integer.toString(n + 100)));
        Path work = BenchWork.directory("pickup-channel-bench");
        try (FakeAgent agent = new FakeAgent()) {
            List<String> boxes = new ArrayList<>();
            List<RealMailServers.User> users = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String address = String.format(Locale.ROOT, "box%04d@%s", i, RealMailServers.DOMAIN);
                boxes.add(address);
                users.add(new RealMailServers.User(address, "pw-" + i, null));
            }
            servers.addUsers(users);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("EMAIL_ADDRESS", String.join(",", boxes));
            env.put("EMAIL_PASSWORD", String.join(",", users.stream().map(RealMailServers.User::password).toList()));
            env.put("EMAIL_NAME", "Support");
            env.put("IMAP_SERVER", "localhost");
            env.put("IMAP_PORT", Integer.toString(servers.imapsPort()));
            env.put("SMTP_SERVER", "127.0.0.1");
            env.put("SMTP_PORT", Integer.toString(servers.submissionPort()));
            env.put("AGENT_URL", agent.url());
            // CHECK_INTERVAL (15 s) and IMAP_IDLE (true) stay at their defaults

            long t0 = System.nanoTime();
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap));
            String extra = System.getProperty("channel.jvm", "").strip(); // e.g. -XX:NativeMemoryTracking=summary
            if (!extra.isEmpty()) {
                jvm.addAll(List.of(extra.split("\\s+")));
            }
            try (ChannelProcess channel = ChannelProcess.start(work, env, servers.trustStore(), jvm)) {
                double apiS = Double.NaN;
                double runningS = Double.NaN;
                double watchedS;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
                JsonNode last = null;
                Exception lastFailure = null;
                while (true) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("not all watched within 300 s; last answer: "
                                + (last == null ? null : last.path("status") + ", " + watched(last) + " watched, first "
                                + last.path("mailboxes").path(0)) + "; last failure " + lastFailure + "; log:\n"
                                + tail(channel.log()));
                    }
                    JsonNode s;
                    try {
                        s = channel.channel();
                        last = s;
                    } catch (Exception e) { // the API is not up yet
                        lastFailure = e;
                        Thread.sleep(50);
                        continue;
                    }
                    double now = (System.nanoTime() - t0) / 1e9;
                    if (Double.isNaN(apiS)) {
                        apiS = now;
                    }
                    String status = s.path("status").asText();
                    if (status.equals("ERROR")) {
                        throw new IllegalStateException("the channel reports ERROR: " + s.path("error").asText());
                    }
                    if (Double.isNaN(runningS) && status.equals("RUNNING")) {
                        runningS = now;
                    }
                    if (!Double.isNaN(runningS) && watched(s) == n) {
                        watchedS = now;
                        break;
                    }
                    Thread.sleep(50);
                }
                System.out.printf(Locale.ROOT, "launch → API answers %.1f s, → RUNNING %.1f s (every mailbox signed in"
                        + " over IMAP and SMTP), → all %d watched on IDLE (checked once) %.1f s%n", apiS, runningS, n,
                        watchedS);
                Thread.sleep(5000); // let the pools settle
                Proc atStart = Proc.of(channel.pid());
                System.out.printf(Locale.ROOT, "5 s later: live threads %d, RSS %.0f MB%n", atStart.threads,
                        atStart.rssMb);
                System.out.println("threads by name: " + threadNames(channel.pid()));

                // mails through Postfix to mailboxes spread over the range, 1–2 s apart
                Map<String, String> idToBox = new LinkedHashMap<>();
                Map<String, Instant> sentAt = new LinkedHashMap<>();
                for (int k = 0; k < mails; k++) {
                    String box = boxes.get((k * 37 + 5) % n);
                    Instant sent = Instant.now();
                    String id = servers.deliverText(CUSTOMER, box, "Order " + k, "Where is order " + k + "?");
                    idToBox.put(id, box);
                    sentAt.put(id, sent);
                    Thread.sleep(1000 + (k % 3) * 500L);
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                Map<String, FakeAgent.Request> got = new LinkedHashMap<>();
                while (got.size() < mails && System.nanoTime() < until) {
                    for (FakeAgent.Request r : agent.requests()) {
                        String id = r.event().path("message_id").asText();
                        if (idToBox.containsKey(id)) {
                            got.putIfAbsent(id, r);
                        }
                    }
                    Thread.sleep(50);
                }
                List<Double> ms = new ArrayList<>();
                int rightMailbox = 0;
                for (Map.Entry<String, Instant> e : sentAt.entrySet()) {
                    FakeAgent.Request r = got.get(e.getKey());
                    if (r != null) {
                        ms.add(Duration.between(e.getValue(), r.receivedAt()).toNanos() / 1e6);
                        if (idToBox.get(e.getKey()).equals(r.event().path("mailbox").asText())) {
                            rightMailbox++;
                        }
                    }
                }
                report(String.format(Locale.ROOT, "%d mails SMTP send → agent", mails), ms, mails - ms.size());
                System.out.printf(Locale.ROOT, "agent calls naming the mailbox the mail was sent to: %d of %d%n",
                        rightMailbox, mails);

                // the replies, each from the mailbox that got the mail
                long repliesUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                int fromOwn = 0;
                int replies = 0;
                while (System.nanoTime() < repliesUntil) {
                    fromOwn = 0;
                    replies = 0;
                    for (StoredMessage m : servers.messages(CUSTOMER)) {
                        Matcher irt = IN_REPLY_TO.matcher(m.rawText());
                        String box = irt.find() ? idToBox.get(irt.group(1)) : null;
                        if (box != null) {
                            replies++;
                            if (m.from() != null && m.from().contains(box)) {
                                fromOwn++;
                            }
                        }
                    }
                    if (replies >= mails) {
                        break;
                    }
                    Thread.sleep(500);
                }
                System.out.printf(Locale.ROOT, "replies in the customer's mailbox: %d of %d, from the mailbox written to: %d%n",
                        replies, mails, fromOwn);
                Proc after = Proc.of(channel.pid());
                System.out.printf(Locale.ROOT, "after the mails: live threads %d, RSS %.0f MB; %s%n", after.threads,
                        after.rssMb, heapInfo(channel.pid()));
                System.out.println("threads by name: " + threadNames(channel.pid()));
                if (extra.contains("NativeMemoryTracking")) {
                    System.out.println(jcmd(channel.pid(), "VM.native_memory summary").lines()
                            .filter(l -> l.matches("^(Total|-\\s+\\w.*)\\(.*") || l.startsWith("Total"))
                            .map(String::strip).reduce((a, b) -> a + "\n" + b).orElse(""));
                }
                String metrics = channel.get("/observe/metrics");
                System.out.printf(Locale.ROOT, "metrics: IDLE reconnects %.0f, poll fallbacks %.0f%n",
                        sum(metrics, "email_channel_idle_reconnects_total"), sum(metrics, "email_channel_poll_fallbacks_total"));
                System.out.printf(Locale.ROOT, "Dovecot (all its processes): RSS %.0f MB%n", servers.dovecotRssMb());
                long t1 = System.nanoTime();
                int exit = channel.terminate(Duration.ofSeconds(60));
                System.out.printf(Locale.ROOT, "SIGTERM → exited (%d) in %.1f s%n", exit, (System.nanoTime() - t1) / 1e9);
            }
        } finally {
            servers.close();
        }
    }

    private static int watched(JsonNode status) {
        int watched = 0;
        for (JsonNode m : status.path("mailboxes")) {
            if ("IDLE".equals(m.path("pickup").asText()) && m.path("last_poll").isTextual()) {
                watched++;
            }
        }
        return watched;
    }

    private record Proc(int threads, double rssMb) {
        static Proc of(long pid) throws Exception {
            int threads = -1;
            double rss = Double.NaN;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            return new Proc(threads, rss);
        }
    }

    /** The channel's Java threads (jcmd Thread.print), grouped by name with numbers replaced by #. */
    private static String threadNames(long pid) {
        try {
            String dump = jcmd(pid, "Thread.print");
            Map<String, Integer> counts = new TreeMap<>();
            Matcher m = Pattern.compile("(?m)^\"([^\"]*)\"").matcher(dump);
            while (m.find()) {
                counts.merge(m.group(1).replaceAll("\\d+", "#"), 1, Integer::sum);
            }
            return counts.size() + " names, " + counts;
        } catch (Exception e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        }
    }

    /** Heap in use after a full GC (jcmd GC.run, then GC.heap_info), all generations. */
    private static String heapInfo(long pid) {
        try {
            jcmd(pid, "GC.run");
            String info = jcmd(pid, "GC.heap_info");
            // G1: one "garbage-first heap total …K, used …K" line; Serial: one per generation
            Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            long total = 0;
            long used = 0;
            while (m.find()) {
                total += Long.parseLong(m.group(1));
                used += Long.parseLong(m.group(2));
            }
            return total == 0 ? "heap: ?" : String.format(Locale.ROOT, "heap after GC %.0f MB used of %.0f MB committed",
                    used / 1024.0, total / 1024.0);
        } catch (Exception e) {
            return "(jcmd failed: " + e.getMessage() + ")";
        }
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static double sum(String metrics, String name) {
        double value = ChannelProcess.sample(metrics, name, "");
        return Double.isNaN(value) ? 0 : value;
    }

    private static void report(String what, List<Double> ms, int missing) {
        if (ms.isEmpty()) {
            System.out.println(what + ": none arrived within 60 s");
            return;
        }
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        int k = s.size();
        double median = k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
        System.out.printf(Locale.ROOT, "%s: median %.0f ms, p90 %.0f ms, max %.0f ms, min %.0f ms%s%n", what, median,
                s.get((int) Math.ceil(k * 0.9) - 1), s.get(k - 1), s.get(0),
                missing > 0 ? " (" + missing + " did not arrive within 60 s)" : "");
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 4000));
    }
}
