package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.testing.ClusterMemberProcess;
import dev.emailchannel.testing.OwnershipLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code CLUSTER_SERVICE=file}: two JVMs share a lock directory. Every mailbox has one owner; when the owner is killed
 * with SIGKILL the other JVM takes its mailboxes over within 20 s, without overlap. (No membership with file locks:
 * the owners are whoever locked first, there is no spreading.)
 */
class FileLockLeadershipIT {

    @Test
    void should_fail_over_between_two_jvms_sharing_a_lock_directory() throws Exception {
        Path locks = Files.createTempDirectory("cluster-locks-");
        List<String> mailboxes = List.of("sales@acme.test", "support@acme.test", "billing@acme.test");
        OwnershipLog log = new OwnershipLog();
        try (ClusterMemberProcess one = new ClusterMemberProcess("one", "file", locks.toString(), mailboxes, log);
             ClusterMemberProcess two = new ClusterMemberProcess("two", "file", locks.toString(), mailboxes, log)) {
            one.awaitReady(Duration.ofSeconds(60));
            two.awaitReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log.soleOwners().keySet().equals(Set.copyOf(mailboxes)));

            String victim = log.soleOwners().get(mailboxes.get(0));
            String survivor = victim.equals("one") ? "two" : "one";
            List<String> ofVictim = log.soleOwners().entrySet().stream().filter(e -> e.getValue().equals(victim))
                    .map(Map.Entry::getKey).toList();
            long killedAt = System.currentTimeMillis();
            (victim.equals("one") ? one : two).kill();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ofVictim.stream().allMatch(m -> survivor.equals(log.soleOwners().get(m))));
            long takenOver = ofVictim.stream().mapToLong(log::lastTaken).max().orElseThrow() - killedAt;
            System.out.println("[cluster] file lock, kill -9: " + ofVictim.size() + " mailboxes taken over after "
                    + takenOver + " ms");
            assertThat(log.overlaps()).isEmpty();
        } finally {
            try (Stream<Path> walk = Files.walk(locks)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
