package dev.emailchannel.bench;

import dev.emailchannel.cluster.MailboxBalancer;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.OwnershipLog;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.RealMailServers.User;
import dev.emailchannel.testing.RealZooKeeper;
import dev.emailchannel.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Failover end to end with the packaged jar (see bench/README.md, "Cluster"): three {@code java -jar} instances on a
 * real ZooKeeper, one PostgreSQL database and private Dovecot + Postfix with N mailboxes. Prints memory and threads
 * of one instance without a cluster service over the same mailboxes, for comparison; the ownership spread, memory and
 * threads per clustered instance; then per round: {@code kill -9} the owner of a mailbox and at once deliver
 * a mail to that mailbox; how long until another instance logged the take-over, until the agent was called with that
 * mail (the mail handled), and until the reply was in the customer's INBOX; then the killed instance is started again
 * and the time until every mailbox is back with its preferred owner. A {@code main}, not a test:
 * {@code bench/cluster.sh --e2e [rounds] [mailboxes]}.
 */
public final class ClusterFailoverBenchmark {

    private static final String CUSTOMER = RealMailServers.BOB;
    private static final List<String> IDS = List.of("node-1", "node-2", "node-3");
    private static final Duration WAIT = Duration.ofSeconds(180);

    private final List<User> users;
    private final List<String> mailboxes;
    private final Path work;
    private final Map<String, ChannelProcess> running = new LinkedHashMap<>();
    private final List<ChannelProcess> all = new ArrayList<>();
    private final Map<ChannelProcess, Long> killedAt = new HashMap<>();
    private final Map<String, Long> agentCalledAt = new ConcurrentHashMap<>();
    private RealMailServers servers;
    private RealZooKeeper zookeeper;
    private FakeAgent agent;
    private String schema;

    private ClusterFailoverBenchmark(int mailboxes) throws Exception {
        this.users = IntStream.range(0, mailboxes).mapToObj(i -> new User(
                String.format(Locale.ROOT, "box%03d@%s", i, RealMailServers.DOMAIN), "pw-" + i, null)).toList();
        this.mailboxes = users.stream().map(User::address).toList();
        this.work = BenchWork.directory("cluster-e2e-");
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int mailboxes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        ClusterFailoverBenchmark bench = new ClusterFailoverBenchmark(mailboxes);
        try {
            bench.run(rounds);
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private void run(int rounds) throws Exception {
        System.out.printf("cluster failover end to end: %d instances (packaged jar) x %d mailboxes, ZooKeeper (Debian"
                        + " 3.8), PostgreSQL, Dovecot + Postfix; %d cores, java %s%n", IDS.size(), mailboxes.size(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        servers = RealMailServers.startPrivate(Map.of("MAX_CONNECTIONS", Integer.toString(4 * mailboxes.size() + 100)));
        servers.addUsers(users);
        zookeeper = RealZooKeeper.start();
        schema = TestDatabases.postgresSchema();
        agent = new FakeAgent().answerWith(event -> {
            agentCalledAt.putIfAbsent(event.get("message_id").asText(), System.currentTimeMillis());
            return FakeAgent.Answer.reply("Thanks, we are on it.");
        });

        baseline();
        long t0 = System.currentTimeMillis();
        for (String id : IDS) {
            launch(id);
        }
        for (ChannelProcess p : running.values()) {
            p.awaitStatus("RUNNING");
        }
        long balanced = awaitPreferred() - t0;
        System.out.printf("%nstart-up: every mailbox with its preferred owner %d ms after the JVMs were launched%n",
                balanced);
        Thread.sleep(10_000); // let start-up garbage go
        System.out.printf("%-8s %6s %8s %8s  (each: java -jar, -Xmx512m, %d mailboxes configured)%n", "instance",
                "owned", "RSS MB", "threads", mailboxes.size());
        for (Map.Entry<String, ChannelProcess> e : running.entrySet()) {
            System.out.printf(Locale.ROOT, "%-8s %6.0f %8.1f %8d%n", e.getKey(),
                    e.getValue().metric("channel_cluster_mailboxes_owned", ""),
                    e.getValue().procStatus("VmRSS") / 1024.0, e.getValue().procStatus("Threads"));
        }

        List<Long> takeovers = new ArrayList<>();
        List<Long> handled = new ArrayList<>();
        List<Long> answered = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String mailbox = mailboxes.get((round * 37 + 5) % mailboxes.size());
            String victim = ownership().soleOwners().get(mailbox);
            ChannelProcess process = running.remove(victim);
            long kill = System.currentTimeMillis();
            process.kill();
            killedAt.put(process, kill);
            String id = servers.deliverTextLmtp(CUSTOMER, mailbox, "Failover round " + round, "Anyone there?");
            sent.add(id);
            await(() -> agentCalledAt.containsKey(id), "the agent to get the mail of round " + round);
            long handledMs = agentCalledAt.get(id) - kill;
            await(() -> servers.messages(CUSTOMER).stream().anyMatch(m -> inReplyTo(m.rawText()).equals(id)),
                    "the reply of round " + round);
            long answeredMs = System.currentTimeMillis() - kill;
            long takeoverMs = ownership().events().stream()
                    .filter(e -> e.taken() && e.mailbox().equals(mailbox) && e.millis() >= kill)
                    .mapToLong(OwnershipLog.Event::millis).min().orElseThrow() - kill;
            takeovers.add(takeoverMs);
            handled.add(handledMs);
            answered.add(answeredMs);
            System.out.printf("%nround %d: kill -9 %s, the owner of %s, and a mail to it at once: taken over after %d"
                    + " ms, mail handled (agent called) after %d ms, reply in the customer's INBOX after %d ms "
                    + "(the reply poll adds up to 250 ms)%n", round + 1, victim, mailbox, takeoverMs, handledMs,
                    answeredMs);
            long restart = System.currentTimeMillis();
            launch(victim).awaitStatus("RUNNING");
            long back = awaitPreferred() - restart;
            System.out.printf("%s restarted: every mailbox with its preferred owner again %d ms after launch%n", victim,
                    back);
        }
        Thread.sleep(5000);
        Map<String, Long> replies = servers.messages(CUSTOMER).stream()
                .collect(Collectors.groupingBy(m -> inReplyTo(m.rawText()), TreeMap::new, Collectors.counting()));
        System.out.printf("%nsummary over %d kills (%d mailboxes, kill -9 → ...):%n", rounds, mailboxes.size());
        System.out.printf("  another instance took the mailbox over: %s%n", stats(takeovers));
        System.out.printf("  first mail of that mailbox handled:     %s%n", stats(handled));
        System.out.printf("  its reply in the customer's INBOX:      %s%n", stats(answered));
        System.out.printf("replies: %d for %d mails, each mail answered once: %b; moments with two owners of one"
                        + " mailbox: %d%n", replies.values().stream().mapToLong(Long::longValue).sum(), sent.size(),
                replies.keySet().equals(new TreeSet<>(sent)) && replies.values().stream().allMatch(n -> n == 1),
                ownership().overlaps().size());
        System.out.printf("%nreproduce: bench/cluster.sh --e2e %d %d%n", rounds, mailboxes.size());
    }

    /** One instance without a cluster service over the same mailboxes, for comparison; stopped afterwards. */
    private void baseline() throws Exception {
        Map<String, String> env = environment("single");
        env.put("CLUSTER_SERVICE", "none");
        env.remove("CLUSTER_NODES");
        ChannelProcess single = ChannelProcess.start(work.resolve("single-none"), env, servers.trustStore());
        try {
            single.awaitStatus("RUNNING");
            Thread.sleep(20_000); // every mailbox connected, start-up garbage gone
            System.out.printf("%nwithout cluster (CLUSTER_SERVICE=none), one instance, for comparison:%n");
            System.out.printf("%-8s %6s %8s %8s%n", "instance", "owned", "RSS MB", "threads");
            System.out.printf(Locale.ROOT, "%-8s %6.0f %8.1f %8d%n", "single",
                    single.metric("channel_cluster_mailboxes_owned", ""), single.procStatus("VmRSS") / 1024.0,
                    single.procStatus("Threads"));
        } finally {
            single.terminate(Duration.ofSeconds(30));
        }
    }

    private static String stats(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return String.format(Locale.ROOT, "median %d ms, max %d ms (each: %s)", sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() - 1), values);
    }

    private ChannelProcess launch(String id) throws Exception {
        ChannelProcess process = ChannelProcess.start(work.resolve(id + "-" + all.size()), environment(id),
                servers.trustStore());
        running.put(id, process);
        all.add(process);
        return process;
    }

    private Map<String, String> environment(String id) {
        Map<String, String> env = new HashMap<>();
        env.put("EMAIL_ADDRESS", String.join(",", mailboxes));
        env.put("EMAIL_PASSWORD", users.stream().map(User::password).collect(Collectors.joining(",")));
        env.put("EMAIL_NAME", "Example Support");
        env.put("IMAP_SERVER", "localhost");
        env.put("IMAP_PORT", String.valueOf(servers.imapsPort()));
        env.put("SMTP_SERVER", "127.0.0.1");
        env.put("SMTP_PORT", String.valueOf(servers.submissionPort()));
        env.put("AGENT_URL", agent.url());
        env.put("DATABASE_URL", TestDatabases.postgresUrl(schema));
        env.put("CLUSTER_SERVICE", "zookeeper");
        env.put("CLUSTER_NODES", zookeeper.connectString());
        env.put("INSTANCE_ID", id);
        return env;
    }

    private OwnershipLog ownership() throws Exception {
        OwnershipLog log = new OwnershipLog();
        for (ChannelProcess p : all) {
            log.recordChannelLog(p.log());
            if (killedAt.containsKey(p)) {
                log.killed(instanceOf(p), killedAt.get(p));
            }
        }
        return log;
    }

    /** The INSTANCE_ID of a process: its working directory is {@code <id>-<n>}. */
    private static String instanceOf(ChannelProcess p) {
        String name = p.workDir().getFileName().toString();
        return name.substring(0, name.lastIndexOf('-'));
    }

    /** Waits until every mailbox has its preferred owner among the running instances; returns when that began. */
    private long awaitPreferred() throws Exception {
        Map<String, String> expected = MailboxBalancer.preferredOwners(mailboxes, running.keySet());
        await(() -> {
            try {
                OwnershipLog log = ownership();
                return log.soleOwners().equals(expected)
                        && log.current().values().stream().allMatch(owners -> owners.size() == 1);
            } catch (Exception e) {
                return false;
            }
        }, "every mailbox with its preferred owner");
        OwnershipLog log = ownership();
        return mailboxes.stream().mapToLong(log::lastTaken).max().orElseThrow();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("gave up after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    private static String inReplyTo(String raw) {
        int i = raw.indexOf("In-Reply-To: ");
        return i < 0 ? "" : raw.substring(i + 13, raw.indexOf('\n', i)).trim();
    }

    private void close() throws Exception {
        for (ChannelProcess p : all) {
            p.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
        if (schema != null) {
            TestDatabases.dropPostgresSchema(schema);
        }
        if (servers != null) {
            servers.close();
        }
    }
}
