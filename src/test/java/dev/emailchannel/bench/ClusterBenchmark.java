package dev.emailchannel.bench;

import dev.emailchannel.cluster.MailboxBalancer;
import dev.emailchannel.testing.ClusterMemberProcess;
import dev.emailchannel.testing.OwnershipLog;
import dev.emailchannel.testing.RealZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Several instances on a real ZooKeeper, each a JVM of its own (see bench/README.md): ownership spread, memory and
 * threads per instance against a single instance without cluster, failover time after {@code kill -9} (kill → the
 * mailbox has another owner), re-balancing when the killed instance comes back, hand-over on a graceful stop.
 * A {@code main}, not a test: {@code bench/cluster.sh [instances] [mailboxes] [kills]}.
 */
public final class ClusterBenchmark {

    private static final List<String> STATS = List.of("-Dmember.stats=true");

    private final int instances;
    private final List<String> mailboxes;
    private final OwnershipLog log = new OwnershipLog();

    private ClusterBenchmark(int instances, int mailboxes) {
        this.instances = instances;
        this.mailboxes = IntStream.range(0, mailboxes).mapToObj(i -> "mailbox" + i + "@acme.example").toList();
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int mailboxes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int kills = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        new ClusterBenchmark(instances, mailboxes).run(kills);
        System.exit(0);
    }

    private void run(int kills) throws Exception {
        System.out.printf("cluster benchmark: %d instances x %d mailboxes on ZooKeeper (Debian 3.8), %d cores, java %s%n",
                instances, mailboxes.size(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        baseline();
        try (RealZooKeeper zookeeper = RealZooKeeper.start()) {
            Map<String, ClusterMemberProcess> members = new LinkedHashMap<>();
            List<String> ids = IntStream.range(0, instances).mapToObj(i -> "node-" + (char) ('a' + i)).toList();
            long t0 = System.currentTimeMillis();
            for (String id : ids) {
                members.put(id, start(id, zookeeper));
            }
            for (ClusterMemberProcess member : members.values()) {
                member.awaitReady(Duration.ofSeconds(60));
            }
            long converged = awaitPreferred(Set.copyOf(ids), Duration.ofSeconds(120)) - t0;
            System.out.printf("%nstart-up: every mailbox with its preferred owner %d ms after the JVMs were launched%n",
                    converged);
            spread(ids);
            Thread.sleep(11_000); // two STATS lines after the elections settled
            System.out.printf("%-8s %8s %9s %12s %12s%n", "instance", "owned", "RSS MB", "heap MB (GC)", "threads");
            for (ClusterMemberProcess member : members.values()) {
                printResources(member.instanceId(), owned(member.instanceId()), member);
            }

            List<Long> failovers = new ArrayList<>();
            for (int round = 0; round < kills; round++) {
                String victim = ids.get(round % ids.size());
                Set<String> ofVictim = ownedBy(victim);
                long killedAt = System.currentTimeMillis();
                members.get(victim).kill();
                Set<String> survivors = Set.copyOf(ids.stream().filter(i -> !i.equals(victim)).toList());
                awaitAllOwned(ofVictim, Duration.ofSeconds(60));
                List<Long> times = ofVictim.stream().map(m -> firstTakenAfter(m, killedAt) - killedAt).sorted().toList();
                failovers.addAll(times);
                long balanced = awaitPreferred(survivors, Duration.ofSeconds(60)) - killedAt;
                System.out.printf("%nkill -9 %s (%d mailboxes): another owner after min %d / median %d / max %d ms;"
                        + " balanced over %d survivors after %d ms%n", victim, ofVictim.size(), times.get(0),
                        times.get(times.size() / 2), times.get(times.size() - 1), survivors.size(), balanced);
                long restartedAt = System.currentTimeMillis();
                members.put(victim, start(victim, zookeeper));
                members.get(victim).awaitReady(Duration.ofSeconds(60));
                long back = awaitPreferred(Set.copyOf(ids), Duration.ofSeconds(120)) - restartedAt;
                System.out.printf("%s restarted: its share handed back, all balanced again %d ms after launch%n", victim,
                        back);
            }
            if (!failovers.isEmpty()) {
                List<Long> sorted = failovers.stream().sorted().toList();
                System.out.printf("%nfailover over %d mailboxes in %d kills: median %d ms, max %d ms%n", sorted.size(),
                        kills, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
            }

            String leaving = ids.get(ids.size() - 1);
            Set<String> ofLeaving = ownedBy(leaving);
            long stoppedAt = System.currentTimeMillis();
            members.get(leaving).stop(Duration.ofSeconds(30));
            awaitAllOwned(ofLeaving, Duration.ofSeconds(30));
            long handedOver = ofLeaving.stream().mapToLong(m -> firstTakenAfter(m, stoppedAt)).max().orElse(stoppedAt)
                    - stoppedAt;
            System.out.printf("%ngraceful stop of %s (%d mailboxes): all taken over %d ms after the stop began%n",
                    leaving, ofLeaving.size(), handedOver);
            System.out.printf("%nmoments with two owners of one mailbox: %d%n", log.overlaps().size());
            log.overlaps().forEach(o -> System.out.println("  " + o));
            for (ClusterMemberProcess member : members.values()) {
                member.close();
            }
        }
        System.out.printf("%nreproduce: bench/cluster.sh %d %d %d%n", instances, mailboxes.size(), kills);
    }

    private void baseline() throws Exception {
        OwnershipLog own = new OwnershipLog();
        try (ClusterMemberProcess single = new ClusterMemberProcess("single", "none", "", mailboxes, own, STATS)) {
            single.awaitReady(Duration.ofSeconds(60));
            Thread.sleep(11_000);
            System.out.printf("%nwithout cluster (CLUSTER_SERVICE=none), for comparison:%n");
            System.out.printf("%-8s %8s %9s %12s %12s%n", "instance", "owned", "RSS MB", "heap MB (GC)", "threads");
            printResources("single", own.soleOwners().size(), single);
        }
    }

    private ClusterMemberProcess start(String id, RealZooKeeper zookeeper) throws Exception {
        return new ClusterMemberProcess(id, "zookeeper", zookeeper.connectString(), mailboxes, log, STATS);
    }

    private static void printResources(String id, int owned, ClusterMemberProcess member) throws Exception {
        long[] stats = member.lastStats();
        System.out.printf("%-8s %8d %9.1f %12.1f %5d (JVM %d)%n", id, owned, member.residentKilobytes() / 1024.0,
                stats == null ? -1 : stats[0] / 1048576.0, member.osThreads(), stats == null ? -1 : stats[1]);
    }

    private void spread(List<String> ids) {
        Map<String, Long> counts = new TreeMap<>(log.soleOwners().values().stream()
                .collect(Collectors.groupingBy(o -> o, Collectors.counting())));
        System.out.printf("spread: %s (ideal %s)%n", counts,
                Arrays.toString(IntStream.range(0, ids.size()).map(i -> mailboxes.size() / ids.size()
                        + (i < mailboxes.size() % ids.size() ? 1 : 0)).toArray()));
    }

    private int owned(String id) {
        return ownedBy(id).size();
    }

    private Set<String> ownedBy(String id) {
        return log.soleOwners().entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Waits until every mailbox has exactly its preferred owner among these members; returns the time it did. */
    private long awaitPreferred(Set<String> members, Duration timeout) throws InterruptedException {
        Map<String, String> expected = MailboxBalancer.preferredOwners(mailboxes, members);
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (log.soleOwners().equals(expected) && log.current().values().stream().allMatch(o -> o.size() == 1)) {
                return mailboxes.stream().mapToLong(log::lastTaken).max().orElseThrow();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not balanced within " + timeout + ": " + log.current());
    }

    private void awaitAllOwned(Set<String> which, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Map<String, String> owners = log.soleOwners();
            if (which.stream().allMatch(owners::containsKey)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("not taken over within " + timeout);
    }

    private long firstTakenAfter(String mailbox, long millis) {
        return log.events().stream().filter(e -> e.taken() && e.mailbox().equals(mailbox) && e.millis() >= millis)
                .mapToLong(OwnershipLog.Event::millis).min().orElse(Long.MAX_VALUE);
    }
}
