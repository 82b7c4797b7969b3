package dev.emailchannel.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mailbox's election as this instance takes part in it: a namespace of the Camel cluster service, joined,
 * left and re-joined through its view. Used on {@link MailboxLeadership}'s thread, except {@link #leaderSeen}.
 */
final class MailboxElection {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxElection.class);
    private static final Duration RECHECK_AFTER_JOIN = Duration.ofSeconds(2);

    final String mailboxId;
    final long addedAt;
    private final String namespace;
    private final CamelClusterService cluster;
    private final String instanceId;
    private volatile CamelClusterView view; // read by leaderSeen() on API threads
    private boolean candidate;
    private long verifyAt;
    private volatile String ownerSeen;
    private volatile long ownerSeenAt;

    MailboxElection(String mailboxId, long addedAt, CamelClusterService cluster, String instanceId) {
        this.mailboxId = mailboxId;
        this.addedAt = addedAt;
        this.namespace = namespace(mailboxId);
        this.cluster = cluster;
        this.instanceId = instanceId;
    }

    /** The cluster namespace of a mailbox: readable, and valid as a ZooKeeper node, a file and a Lease name. */
    static String namespace(String mailboxId) {
        String readable = mailboxId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+)|(-+$)", "");
        String digest = UUID.nameUUIDFromBytes(mailboxId.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return "mailbox-" + (readable.length() > 40 ? readable.substring(0, 40) : readable) + "-" + digest;
    }

    boolean candidate() {
        return candidate;
    }

    /** What the view keeps locally (ZooKeeper: the LeaderSelector's flag; no network). */
    boolean leads() {
        try {
            return candidate && view != null && view.getLocalMember().isLeader();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Before it starts watching, the instance asks the election itself who leads (for ZooKeeper: the first node in
     * the queue, read from the server), not only the flag its view keeps locally.
     */
    boolean confirmedLeader() {
        try {
            Optional<String> leader = view.getLeader().map(CamelClusterMember::getId);
            if (leader.isPresent() && !leader.get().equals(instanceId)) {
                LOG.debug("Mailbox {}: the view says this instance leads, the election says {}", mailboxId, leader.get());
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Who runs in the election, as the view reports it; empty when it cannot tell (file locks). */
    Set<String> participants() {
        try {
            return view.getMembers().stream().map(CamelClusterMember::getId).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    /** Runs in the election from now on; {@code onLeadershipChange} is called on Camel's thread, briefly. */
    void join(long now, Runnable onLeadershipChange) throws Exception {
        if (view == null) {
            view = cluster.getView(namespace); // created and started: a candidate from now on
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> onLeadershipChange.run());
        } else {
            view.start();
        }
        candidate = true;
        verifyAt = now + RECHECK_AFTER_JOIN.toNanos();
    }

    /** Leaves the election, so that the next in line leads (the caller joins again at the back). */
    void handOver() {
        view.stop();
        candidate = false;
    }

    /**
     * A ZooKeeper election is left for good when its connection is suspended, and a re-entry right after a hand-over
     * may be refused while the old attempt winds down: a candidate that no longer appears among the participants
     * joins again. {@code listsMembers} says whether the backend names participants at all (file locks do not).
     */
    void verifyQueued(long now, Duration every, boolean listsMembers) {
        if (!candidate || now < verifyAt || leads()) {
            return;
        }
        verifyAt = now + every.toNanos();
        Set<String> participants = participants();
        if (participants.isEmpty() ? listsMembers : !participants.contains(instanceId)) {
            LOG.debug("Mailbox {}: not queued in its election any more, joining again", mailboxId);
            rejoin(now);
        }
    }

    /** Enters the election again, after its session was suspended. */
    void rejoin(long now) {
        if (candidate) {
            view.stop();
            view.start();
            verifyAt = now + RECHECK_AFTER_JOIN.toNanos();
        }
    }

    /** Leaves for good: the view is stopped and released. */
    void leave() {
        CamelClusterView v = view;
        if (v != null) {
            try {
                v.stop();
                cluster.releaseView(v);
            } catch (Exception e) {
                LOG.debug("Cannot release the view {}: {}", v.getNamespace(), e.getMessage());
            }
            view = null;
            candidate = false;
        }
    }

    /**
     * The leader another instance is, as the view last said (read again when older than {@code cache}); empty when
     * nobody leads, this instance leads without owning yet, or the view cannot tell.
     */
    Optional<String> leaderSeen(long now, Duration cache) {
        if (now - ownerSeenAt > cache.toNanos()) {
            CamelClusterView v = view;
            String seen = null;
            try {
                seen = v == null ? null : v.getLeader().map(CamelClusterMember::getId).orElse(null);
            } catch (RuntimeException e) {
                LOG.debug("Mailbox {}: cannot read its leader: {}", mailboxId, e.getMessage());
            }
            ownerSeen = instanceId.equals(seen) ? null : seen;
            ownerSeenAt = now;
        }
        return Optional.ofNullable(ownerSeen);
    }
}
