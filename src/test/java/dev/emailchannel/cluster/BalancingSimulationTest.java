package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.cluster.MailboxBalancer.Situation;
import dev.emailchannel.cluster.MailboxBalancer.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link MailboxBalancer}'s rules run against a model of the elections Camel's ZooKeeper views hold (one FIFO queue
 * per mailbox, the head leads; a session that ends leaves every queue, later than its owner noticed), through
 * membership churn: staggered starts, a member joining, one killed, one cut off and back, one stopped gracefully.
 * After every step at most one instance owns each mailbox, and once things are quiet every mailbox is owned by its
 * preferred owner.
 */
class BalancingSimulationTest {

    private static final int SETTLE = 3;
    private static final int BACKUP_DELAY = 4;
    private static final int EXPIRY = 3; // ticks between "this instance lost its connection" and the server's expiry

    private final List<String> mailboxes = IntStream.range(0, 30).mapToObj(i -> "m" + i).toList();
    private final Map<String, Deque<String>> queues = new HashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Random random = new Random(42);
    private int tick;
    private Set<String> previousLive = Set.of();
    private int ownershipChanges;

    private final class Node {
        final String id;
        final int startedAt;
        boolean sessionUp = true;
        boolean processAlive = true;
        Integer expiresAt;
        Set<String> seenMembers = Set.of();
        int seenSince;
        final Set<String> owned = new HashSet<>();

        Node(String id) {
            this.id = id;
            this.startedAt = tick;
        }

    }

    @Test
    void should_keep_one_owner_per_mailbox_through_churn_and_converge_to_the_preferred_owners() {
        for (String m : mailboxes) {
            queues.put(m, new ArrayDeque<>());
        }
        start("a");
        run(2);
        start("b");
        run(1);
        start("c");
        run(30);
        assertConverged();
        int quiet = ownershipChanges;
        run(20);
        assertThat(ownershipChanges).as("nothing moves once converged").isEqualTo(quiet);

        start("d");
        run(30);
        assertConverged();

        kill("b"); // kill -9: the session ends only when the server expires it
        run(30);
        assertConverged();

        cutOff("c"); // connection lost: c notices at once, the server expires it EXPIRY ticks later
        run(EXPIRY + 30);
        assertConverged();
        reconnect("c"); // a new session, as after an expiry
        run(30);
        assertConverged();

        stopGracefully("a");
        run(30);
        assertConverged();
        assertThat(nodes.keySet()).containsExactlyInAnyOrder("c", "d");
    }

    private void start(String id) {
        nodes.put(id, new Node(id));
    }

    private void kill(String id) {
        Node node = nodes.get(id);
        node.owned.clear(); // the process is gone: it watches nothing
        node.processAlive = false;
        node.sessionUp = false;
        node.expiresAt = tick + EXPIRY;
    }

    private void cutOff(String id) {
        nodes.get(id).sessionUp = false;
        nodes.get(id).expiresAt = tick + EXPIRY;
    }

    private void reconnect(String id) {
        assertThat(queues.values()).as("expired before it comes back").noneMatch(q -> q.contains(id));
        start(id); // a new session
    }

    private void stopGracefully(String id) {
        Node node = nodes.remove(id);
        node.owned.clear(); // stops watching first
        queues.values().forEach(q -> q.remove(id)); // then closes its session
    }

    private void run(int ticks) {
        for (int i = 0; i < ticks; i++) {
            tick++;
            expireSessions();
            List<Node> order = new ArrayList<>(nodes.values());
            Collections.shuffle(order, random);
            for (Node node : order) {
                if (!node.processAlive) {
                    continue;
                }
                // each instance sees the membership as of the previous tick, and acts in its own order
                if (!node.seenMembers.equals(previousLive)) {
                    node.seenSince = tick;
                }
                node.seenMembers = previousLive;
                step(node);
                assertOneOwnerPerMailbox();
            }
            previousLive = nodes.values().stream().filter(n -> n.expiresAt == null || tick < n.expiresAt).map(n -> n.id)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private void expireSessions() {
        for (Node node : List.copyOf(nodes.values())) {
            if (node.expiresAt != null && tick >= node.expiresAt) {
                queues.values().forEach(q -> q.remove(node.id));
                if (!node.processAlive) {
                    nodes.remove(node.id);
                } // a cut-off instance runs on, without a session, until it reconnects
            }
        }
    }

    private void step(Node node) {
        Set<String> members = new TreeSet<>(node.seenMembers);
        members.add(node.id);
        Map<String, String> preferred = MailboxBalancer.preferredOwners(mailboxes, members);
        for (String m : mailboxes) {
            Deque<String> queue = queues.get(m);
            boolean candidate = queue.contains(node.id);
            boolean leader = node.id.equals(queue.peekFirst());
            Step step = MailboxBalancer.decide(new Situation(node.id, preferred.get(m), candidate, leader,
                    Set.copyOf(queue), node.sessionUp, tick - node.seenSince >= SETTLE,
                    tick - node.startedAt >= BACKUP_DELAY));
            if (!node.sessionUp) { // a cut-off instance cannot reach the elections; it still leads until it expires
                setOwner(node, m, step.owner());
                continue;
            }
            if (step.handOver()) {
                setOwner(node, m, false); // the loss is reported before the election is left
                queue.remove(node.id);
                candidate = false;
            }
            if (step.run() && !candidate) {
                queue.addLast(node.id);
            }
            setOwner(node, m, step.owner() && node.id.equals(queue.peekFirst()));
        }
    }

    private void setOwner(Node node, String mailbox, boolean owner) {
        if (owner ? node.owned.add(mailbox) : node.owned.remove(mailbox)) {
            ownershipChanges++;
        }
    }

    private void assertOneOwnerPerMailbox() {
        for (String m : mailboxes) {
            List<String> owners = nodes.values().stream().filter(n -> n.owned.contains(m)).map(n -> n.id).toList();
            assertThat(owners).as("owners of " + m + " at tick " + tick).hasSizeLessThanOrEqualTo(1);
        }
    }

    private void assertConverged() {
        Set<String> live = nodes.values().stream().filter(n -> n.sessionUp).map(n -> n.id)
                .collect(Collectors.toSet());
        Map<String, String> preferred = MailboxBalancer.preferredOwners(mailboxes, live);
        for (String m : mailboxes) {
            List<String> owners = nodes.values().stream().filter(n -> n.owned.contains(m)).map(n -> n.id).toList();
            assertThat(owners).as("owner of " + m + " at tick " + tick).containsExactly(preferred.get(m));
        }
    }
}
