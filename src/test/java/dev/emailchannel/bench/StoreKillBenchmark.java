package dev.emailchannel.bench;

import dev.emailchannel.inbound.InboundMails;
import dev.emailchannel.session.Database;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.Outbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Does a transaction the store reported as committed survive {@code kill -9}? The channel's own {@link Inbox} and
 * {@link Outbox} on a database (default: the embedded H2 file, as the channel opens it) are driven by 8 threads in a
 * child JVM: mails stored as the pickup stores them, replies enqueued, claimed, handed over and recorded sent as the
 * outbox sender does. Every step is printed once the call returned; the child is killed at a random moment, and the
 * database, opened again, must hold every printed step. The mail a customer wrote is lost when a stored mail is
 * missing (it was marked read on the server after the store), a reply goes out twice when its hand-over or "sent" is.
 *
 * <p>Run: {@code bash bench/store-kill.sh [rounds] [jdbc-url]}.
 */
public final class StoreKillBenchmark {

    private StoreKillBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = BenchWork.directory("store-kill");
        String url = args.length > 1 ? args[1] : "jdbc:h2:file:" + dir.resolve("email-channel");
        System.out.printf(Locale.ROOT, "# store kill benchmark — %d rounds, %s, %d cores%n", rounds, url,
                Runtime.getRuntime().availableProcessors());
        Random random = new Random();
        int lostRounds = 0;
        long lostTotal = 0;
        long checkedTotal = 0;
        for (int round = 1; round <= rounds; round++) {
            Path out = dir.resolve("round-" + round + ".txt");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-Dkill.checkpoint=" + Boolean.getBoolean("kill.checkpoint"), "-cp", System.getProperty("java.class.path"), StoreKillBenchmark.class.getName(),
                    "child", url).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            // the schema migration and warm-up take a few seconds; kill somewhere in the 3 s after that
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && !Files.readString(out).contains("running")) {
                Thread.sleep(50);
            }
            long delay = 300 + random.nextInt(3000);
            Thread.sleep(delay);
            child.destroyForcibly().waitFor();
            List<String> steps = Files.readAllLines(out, StandardCharsets.UTF_8);
            long[] lost = check(url, steps);
            checkedTotal += lost[1];
            lostTotal += lost[0];
            if (lost[0] > 0) {
                lostRounds++;
            }
            System.out.printf(Locale.ROOT, "round %2d: kill %4d ms after the start; %6d steps reported done, %d not in "
                    + "the database after the restart%s%n", round, delay, lost[1], lost[0],
                    lost[0] > 0 ? "  <-- " + lost[2] + " stored mails, " + lost[3] + " reply steps" : "");
        }
        System.out.printf(Locale.ROOT, "%nsummary: %d of %d rounds lost a committed step; %d of %d steps lost%n",
                lostRounds, rounds, lostTotal, checkedTotal);
    }

    /** {lost, checked, lost mails, lost reply steps} */
    private static long[] check(String url, List<String> steps) {
        Map<Long, Integer> lastReplyStep = new HashMap<>();
        List<Long> mails = new ArrayList<>();
        for (String line : steps) {
            String[] p = line.split(" ");
            if (p.length == 2 && p[0].equals("mail")) {
                mails.add(Long.parseLong(p[1]));
            } else if (p.length == 3 && p[0].equals("reply")) {
                lastReplyStep.merge(Long.parseLong(p[1]), Integer.parseInt(p[2]), Math::max);
            }
        }
        Database db = Database.open(url, "", "");
        try {
            Inbox inbox = new Inbox(db.dataSource());
            Outbox outbox = new Outbox(db.dataSource());
            long lostMails = mails.stream().filter(id -> inbox.find(id).isEmpty()).count();
            long lostReplies = 0;
            for (Map.Entry<Long, Integer> e : lastReplyStep.entrySet()) {
                Outbox.Entry entry = outbox.find(e.getKey()).orElse(null);
                int inDb = entry == null ? -1 : entry.status().equals(Outbox.SENT) ? 2
                        : handedOver(outbox, entry) ? 1 : 0;
                if (inDb < e.getValue()) {
                    lostReplies++;
                }
            }
            return new long[] {lostMails + lostReplies, mails.size() + lastReplyStep.size(), lostMails, lostReplies};
        } finally {
            db.close();
        }
    }

    /** Whether the entry carries the hand-over mark: a claim taken now tells (and is given back by holding it). */
    private static boolean handedOver(Outbox outbox, Outbox.Entry entry) {
        return outbox.claim(entry.id(), "checker", Instant.now().plus(Duration.ofDays(1)), Duration.ofSeconds(1))
                .map(c -> c.handedOverAt() != null).orElse(false);
    }

    private static void child(String url) throws Exception {
        Database db = Database.open(url, "", "");
        Inbox inbox = new Inbox(db.dataSource());
        Outbox outbox = new Outbox(db.dataSource());
        byte[] body = "x".repeat(6000).getBytes(StandardCharsets.US_ASCII);
        System.out.println("running");
        System.out.flush();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (long n = 0; ; n++) {
                    String id = "<" + java.util.UUID.randomUUID() + "@kill.test>";
                    String raw = "From: c" + thread + "-" + n + "@example.org\r\nTo: box@example.test\r\nMessage-ID: " + id
                            + "\r\nSubject: kill " + n + "\r\n\r\n" + new String(body, StandardCharsets.US_ASCII) + "\r\n";
                    Inbox.NewMail mail = InboundMails.of("kill", "box@example.test",
                            raw.getBytes(StandardCharsets.US_ASCII), 1L, (long) (thread * 10_000_000 + n), null);
                    Instant now = Instant.now();
                    long stored = inbox.store(List.of(mail), now).get(0).id();
                    checkpoint(db);
                    print("mail " + stored);
                    long reply = outbox.enqueue(new Outbox.Draft("s", "box@example.test", "<r" + id.substring(1),
                            "c@example.org", "Re", raw.getBytes(StandardCharsets.US_ASCII), null), now);
                    print("reply " + reply + " 0");
                    Outbox.Claim claim = outbox.claim(reply, "kill", now.plusSeconds(1), Duration.ofSeconds(60))
                            .orElseThrow();
                    outbox.handingOver(claim, now);
                    checkpoint(db);
                    print("reply " + reply + " 1");
                    outbox.sent(claim, now);
                    print("reply " + reply + " 2");
                }
            }, "writer-" + t);
            worker.start();
        }
    }

    private static void checkpoint(Database db) {
        if (!Boolean.getBoolean("kill.checkpoint")) {
            return;
        }
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
