package dev.emailchannel.bench;

import static dev.emailchannel.bench.BenchFigures.loadAverage;
import static dev.emailchannel.bench.BenchFigures.median;
import static dev.emailchannel.bench.BenchFigures.processCpuNanos;

import dev.emailchannel.inbox.Dispatcher;
import dev.emailchannel.session.Database;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.testing.TestDatabases;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The dispatcher alone on the channel's inbox, without IMAP, HTTP or Camel: 3,000 pending mails from 3,000 customers,
 * {@code AGENT_CONCURRENCY} 8, a handler that marks each mail delivered at once (an agent answering 202 in no time).
 * Runs alternate between claims ahead of the workers (as the channel does: up to one mail per worker) and none, each on
 * a fresh database (the embedded H2 file as the channel opens it, or a fresh PostgreSQL schema), the first rounds not
 * counted. Prints the time to deliver all, this JVM's CPU meanwhile, and the write transactions per mail (commits, and
 * statements that change rows outside a transaction), counted on the connections; on H2 also the file's own counters
 * (chunks, bytes written, fill rates).
 *
 * <p>Run: {@code bash bench/dispatch.sh [rounds=5] [h2|postgresql]}; {@code -Dbench.h2Options=;SETTING=value} (in
 * {@code BENCH_OPTIONS}) is added to the H2 file's URL, to try H2's settings.
 */
public final class DispatchBenchmark {

    static final int MAILS = 3000;
    static final int CONCURRENCY = 8;
    static final String BOX = "support@acme.test";

    private DispatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String kind = args.length > 1 ? args[1] : "h2";
        int warmups = Integer.getInteger("bench.warmupRounds", 2);
        System.out.printf(Locale.ROOT, "# dispatch benchmark — %d rounds after %d warm-ups, %s, %d mails, %d workers, "
                + "%d cores, load average %s, Java %s%n", rounds, warmups, kind, MAILS, CONCURRENCY,
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"));
        List<Double> aheadMs = new ArrayList<>();
        List<Double> noneMs = new ArrayList<>();
        for (int round = 1 - warmups; round <= rounds; round++) {
            for (int maxAhead : Math.floorMod(round, 2) == 0 ? new int[] {CONCURRENCY, 0} : new int[] {0, CONCURRENCY}) {
                Result r = run(kind, maxAhead);
                if (round > 0) {
                    (maxAhead > 0 ? aheadMs : noneMs).add(r.ms());
                }
                System.out.printf(Locale.ROOT, "round %d%s %-15s %d mails in %6.0f ms (%5.0f mails/s), CPU %6.0f ms, "
                        + "%.2f write transactions per mail%n", round, round <= 0 ? " (warm-up)" : "",
                        maxAhead > 0 ? "claims ahead" : "no claims ahead", MAILS, r.ms(), MAILS * 1000 / r.ms(),
                        r.cpuMs(), (double) r.writes() / MAILS);
            }
        }
        double a = median(aheadMs);
        double n = median(noneMs);
        System.out.printf(Locale.ROOT, "%nmedian: claims ahead %.0f ms (%.0f mails/s), none %.0f ms (%.0f mails/s); "
                + "ratio %.2f%n", a, MAILS * 1000 / a, n, MAILS * 1000 / n, n / a);
        System.exit(0);
    }

    record Result(double ms, double cpuMs, long writes) {
    }

    static Result run(String kind, int maxAhead) throws Exception {
        String schema = kind.equals("postgresql") ? TestDatabases.postgresSchema() : null;
        Path dir = schema == null ? Files.createTempDirectory("dispatch-bench") : null;
        Database db = Database.open(schema != null ? TestDatabases.postgresUrl(schema)
                : "jdbc:h2:file:" + dir.resolve("email-channel") + System.getProperty("bench.h2Options", ""), null,
                null);
        try {
            Inbox inbox = new Inbox(db.dataSource());
            Instant t0 = Instant.now();
            for (int from = 0; from < MAILS; from += 50) { // as the pickup stores them: batches of 50
                List<Inbox.NewMail> batch = new ArrayList<>();
                for (int m = from; m < from + 50; m++) {
                    String customer = "customer-" + m + "@example.org";
                    batch.add(new Inbox.NewMail(BOX, "m" + m, "event-" + m, "<m" + m + "@example.org>", customer,
                            customer, "Order " + m, null, null, ("Subject: Order " + m + "\r\n\r\nWhere is it?")
                                    .getBytes(StandardCharsets.US_ASCII), t0));
                }
                inbox.store(batch, t0);
            }
            AtomicLong writes = new AtomicLong();
            Inbox counted = new Inbox(countingWrites(db.dataSource(), writes));
            CountDownLatch all = new CountDownLatch(MAILS);
            Dispatcher dispatcher = new Dispatcher(counted, List.of(BOX), "bench", CONCURRENCY, maxAhead,
                    Clock.systemUTC(), claim -> {
                        if (counted.delivered(claim, null, null, Instant.now()).isPresent()) {
                            all.countDown();
                        }
                    });
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            dispatcher.start();
            if (!all.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(all.getCount() + " mails not delivered");
            }
            double ms = (System.nanoTime() - start) / 1e6;
            double cpuMs = (processCpuNanos() - cpuStart) / 1e6;
            dispatcher.stop(Duration.ofSeconds(10));
            if (schema == null) {
                System.out.println("   h2 file since it was made (the 3,000 mails stored too):" + h2Counters(db));
            }
            return new Result(ms, cpuMs, writes.get());
        } finally {
            db.close();
            if (schema != null) {
                TestDatabases.dropPostgresSchema(schema);
            } else {
                try (var files = Files.walk(dir)) { // the H2 file of this run
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** H2's own counters of the file: chunks written and live, bytes, fill rates ({@code INFORMATION_SCHEMA.SETTINGS}). */
    static String h2Counters(Database db) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME IN ('info.CHUNK_COUNT', 'info.FILE_WRITE', 'info.FILE_WRITE_BYTES', "
                     + "'info.FILE_SIZE', 'info.FILL_RATE', 'info.CHUNKS_FILL_RATE', 'info.PAGE_COUNT')")) {
            while (rs.next()) {
                out.append(' ').append(rs.getString(1).substring("info.".length())).append('=').append(rs.getString(2));
            }
        }
        return out.toString();
    }

    /**
     * The data source, counting each write transaction: a commit, or a statement changing rows (an update count above
     * zero) outside a transaction.
     */
    static DataSource countingWrites(DataSource ds, AtomicLong writes) {
        return proxy(DataSource.class, ds, (target, m, args) -> {
            Object result = invoke(target, m, args);
            return m.getName().equals("getConnection") ? connection((Connection) result, writes) : result;
        });
    }

    private static Connection connection(Connection c, AtomicLong writes) {
        return proxy(Connection.class, c, (target, m, args) -> {
            Object result = invoke(target, m, args);
            if (m.getName().equals("commit")) {
                writes.incrementAndGet();
            } else if (result instanceof Statement s) {
                return proxy(m.getReturnType(), s, (st, sm, sargs) -> {
                    Object r = invoke(st, sm, sargs);
                    if (sm.getName().equals("executeUpdate") && (Integer) r > 0 && c.getAutoCommit()) {
                        writes.incrementAndGet();
                    }
                    return r;
                });
            }
            return result;
        });
    }

    @FunctionalInterface
    private interface Call {
        Object on(Object target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<?> type, Object target, Call call) {
        InvocationHandler h = (p, m, args) -> call.on(target, m, args);
        return (T) Proxy.newProxyInstance(DispatchBenchmark.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
