package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.config.ClusterSettings;
import dev.emailchannel.testing.ClusterMember;
import dev.emailchannel.testing.ClusterMemberProcess;
import dev.emailchannel.testing.FreezableProxy;
import dev.emailchannel.testing.OwnershipLog;
import dev.emailchannel.testing.RealZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several instances on a real ZooKeeper (Debian's 3.8, started per test): the mailboxes spread evenly, each has one
 * owner at any time (every take and give-up is logged and checked for overlaps), and a member that stops, is cut off
 * from ZooKeeper, is killed with SIGKILL, or sees ZooKeeper restart, is handled as {@link ClusterServiceFactory}
 * promises. Times are printed; the bounds asserted are the product's promises (20 s failover), not measurements.
 */
class ZooKeeperLeadershipIT {

    private static final Duration FAILOVER = Duration.ofSeconds(20);

    private final OwnershipLog log = new OwnershipLog();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<String> mailboxes = IntStream.range(0, 10).mapToObj(i -> "box" + i + "@acme.test").toList();
    private RealZooKeeper zookeeper;

    @BeforeEach
    void startZooKeeper() throws Exception {
        zookeeper = RealZooKeeper.start();
    }

    @AfterEach
    void stopEverything() throws Exception {
        java.util.Collections.reverse(resources);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("closing " + resource + ": " + e);
            }
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void should_spread_the_mailboxes_evenly_and_hand_them_over_at_once_when_a_member_stops() throws Exception {
        ClusterMember a = member("node-a", zookeeper.connectString());
        ClusterMember b = member("node-b", zookeeper.connectString());
        ClusterMember c = member("node-c", zookeeper.connectString());
        awaitOwners(Set.of("node-a", "node-b", "node-c"), Duration.ofSeconds(30));
        assertThat(List.of(a.owned().size(), b.owned().size(), c.owned().size())).containsExactlyInAnyOrder(4, 3, 3);
        assertThat(a.leadership().owner(mailboxes.get(0))).contains(log.soleOwners().get(mailboxes.get(0)));
        assertThat(b.leadership().members()).containsExactlyInAnyOrder("node-a", "node-b", "node-c");
        assertThat(counted(a, "taken") + counted(b, "taken") + counted(c, "taken")).isGreaterThanOrEqualTo(10);

        Set<String> ofB = b.owned();
        long stoppedAt = System.currentTimeMillis();
        b.close();
        awaitTakenOver(ofB, stoppedAt, Duration.ofSeconds(10), "graceful stop");
        awaitOwners(Set.of("node-a", "node-c"), Duration.ofSeconds(30));
        assertThat(log.overlaps()).isEmpty();
    }

    @Test
    void should_stop_watching_before_another_takes_over_when_a_member_is_cut_off_from_zookeeper() throws Exception {
        FreezableProxy proxy = new FreezableProxy(zookeeper.port());
        resources.add(proxy);
        member("node-a", zookeeper.connectString());
        member("node-b", zookeeper.connectString());
        ClusterMember c = member("node-c", "127.0.0.1:" + proxy.port());
        awaitOwners(Set.of("node-a", "node-b", "node-c"), Duration.ofSeconds(30));

        Set<String> ofC = c.owned();
        long cutAt = System.currentTimeMillis();
        proxy.freeze();
        await().atMost(FAILOVER).pollInterval(Duration.ofMillis(50))
                .until(() -> ofC.stream().allMatch(m -> ownedByOneOf(m, "node-a", "node-b")));
        long gaveUp = log.events().stream().filter(e -> e.instance().equals("node-c") && !e.taken())
                .mapToLong(OwnershipLog.Event::millis).max().orElseThrow() - cutAt;
        long takenOver = ofC.stream().mapToLong(log::lastTaken).max().orElseThrow() - cutAt;
        System.out.println("[cluster] cut off: node-c stopped watching after " + gaveUp + " ms, its " + ofC.size()
                + " mailboxes were taken over after " + takenOver + " ms");
        assertThat(gaveUp).as("stops before anybody else may start").isLessThan(
                ofC.stream().mapToLong(m -> firstTakenAfter(m, cutAt)).min().orElseThrow() - cutAt);
        assertThat(log.overlaps()).isEmpty();

        proxy.thaw(); // its session expired meanwhile: it comes back with a new one and gets its share again
        awaitOwners(Set.of("node-a", "node-b", "node-c"), Duration.ofSeconds(60));
        assertThat(log.overlaps()).isEmpty();
    }

    @Test
    void should_take_over_within_20_seconds_when_a_member_is_killed() throws Exception {
        member("node-a", zookeeper.connectString());
        member("node-b", zookeeper.connectString());
        ClusterMemberProcess c = new ClusterMemberProcess("node-c", "zookeeper", zookeeper.connectString(), mailboxes, log);
        resources.add(c);
        c.awaitReady(Duration.ofSeconds(60));
        awaitOwners(Set.of("node-a", "node-b", "node-c"), Duration.ofSeconds(60));

        Set<String> ofC = Set.copyOf(log.current().entrySet().stream().filter(e -> e.getValue().contains("node-c"))
                .map(Map.Entry::getKey).toList());
        long killedAt = System.currentTimeMillis();
        c.kill();
        awaitTakenOver(ofC, killedAt, FAILOVER, "kill -9");
        awaitOwners(Set.of("node-a", "node-b"), Duration.ofSeconds(30));
        assertThat(log.overlaps()).isEmpty();
    }

    @Test
    void should_recover_without_double_ownership_when_zookeeper_restarts() throws Exception {
        member("node-a", zookeeper.connectString());
        member("node-b", zookeeper.connectString());
        member("node-c", zookeeper.connectString());
        awaitOwners(Set.of("node-a", "node-b", "node-c"), Duration.ofSeconds(30));

        long restartAt = System.currentTimeMillis();
        zookeeper.restart(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(15)).until(() -> log.events().stream()
                .anyMatch(e -> !e.taken() && e.millis() >= restartAt)); // they noticed and stopped watching
        awaitOwners(Set.of("node-a", "node-b", "node-c"), Duration.ofSeconds(60));
        long recovered = mailboxes.stream().mapToLong(log::lastTaken).max().orElseThrow() - restartAt;
        System.out.println("[cluster] ZooKeeper restart (3 s down): every mailbox owned again after " + recovered + " ms");
        assertThat(log.overlaps()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------

    private ClusterMember member(String id, String connectString) throws Exception {
        ClusterMember member = new ClusterMember(new ClusterSettings(ClusterSettings.Service.ZOOKEEPER,
                List.of(connectString), "", id), mailboxes, log);
        resources.add(member);
        return member;
    }

    /** Waits until every mailbox has exactly its preferred owner among these members, and stays so for 2 s. */
    private void awaitOwners(Set<String> members, Duration timeout) {
        Map<String, String> expected = MailboxBalancer.preferredOwners(mailboxes, members);
        await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> log.soleOwners().equals(expected)
                && log.current().values().stream().allMatch(owners -> owners.size() == 1));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> log.soleOwners().equals(expected));
    }

    /** Waits until each of these mailboxes has an owner again, and prints how long the last one took. */
    private void awaitTakenOver(Set<String> mailboxes, long since, Duration timeout, String what) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> mailboxes.stream().allMatch(m -> log.soleOwners().containsKey(m)));
        long took = mailboxes.stream().mapToLong(log::lastTaken).max().orElseThrow() - since;
        System.out.println("[cluster] " + what + ": " + mailboxes.size() + " mailboxes taken over after " + took + " ms");
    }

    private boolean ownedByOneOf(String mailbox, String... instances) {
        String owner = log.soleOwners().get(mailbox);
        return owner != null && List.of(instances).contains(owner);
    }

    private long firstTakenAfter(String mailbox, long millis) {
        return log.events().stream().filter(e -> e.taken() && e.mailbox().equals(mailbox) && e.millis() >= millis)
                .mapToLong(OwnershipLog.Event::millis).min().orElse(Long.MAX_VALUE);
    }

    private static double counted(ClusterMember member, String change) {
        return member.meters().get("channel.cluster.ownership.changes").tag("change", change).counter().count();
    }
}
