package dev.emailchannel.cluster;

import dev.emailchannel.cluster.MailboxBalancer.Situation;
import dev.emailchannel.cluster.MailboxBalancer.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership per mailbox on Camel's cluster SPI, spread over the instances by {@link MailboxBalancer}: tells the
 * mailbox runtime through {@link OwnershipListener} when this instance takes or gives up a mailbox, and answers
 * {@link #owner} for the API.
 *
 * <p>Each mailbox is a namespace of the cluster service ({@link MailboxElection}), and every instance also joins the
 * namespace {@value #MEMBERS} so that the others see it alive. A single thread re-evaluates every mailbox every
 * {@code tick} and at once when a view reports a leadership change; the session listener of a
 * {@link SessionAware} service drops every mailbox on the caller's thread the moment the session is suspended.
 *
 * <p>Without a cluster service ({@link #standalone}) the instance owns every mailbox it is given.
 *
 * <p>Usage: add the cluster service to the context, then this ({@code context.addService(leadership)}, started
 * after and stopped before the cluster service); {@link #add} each mailbox. Stopping hands every owned mailbox over
 * at once: the loss is reported, then the elections are left.
 */
public final class MailboxLeadership extends ServiceSupport {

    /** The namespace every instance joins to be counted as a live member. */
    static final String MEMBERS = "members";

    private static final Logger LOG = LoggerFactory.getLogger(MailboxLeadership.class);

    /**
     * @param tick        how often every mailbox is re-evaluated (and the members read)
     * @param settle      how long the membership must stay unchanged before mailboxes move for balance
     * @param backupDelay how long after a mailbox is added this instance waits before it runs as a standby, so that
     *                    the preferred owner is ahead of it in the election
     * @param verifyEvery how often a standby checks that it is still queued in the election
     * @param ownerCache  how long {@link #owner} reuses what a view said about a mailbox led elsewhere
     */
    public record Timing(Duration tick, Duration settle, Duration backupDelay, Duration verifyEvery,
                         Duration ownerCache) {
        public static final Timing DEFAULT = new Timing(Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    private final CamelClusterService cluster;
    private final String instanceId;
    private final OwnershipListener listener;
    private final Timing timing;
    private final Counter taken;
    private final Counter givenUp;

    private final Map<String, MailboxElection> mailboxes = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Set<String> owned = new HashSet<>(); // guarded by lock
    private volatile boolean sessionUp = true;
    private volatile boolean running;
    private volatile Set<String> members = Set.of();
    private long membersChangedAt;
    private Set<String> preferredFor = Set.of();
    private Map<String, String> preferred = Map.of();
    private CamelClusterView membership;
    private ScheduledExecutorService thread;

    /**
     * @param cluster  the service from {@link ClusterServiceFactory}, added to the context before this
     * @param listener starts and stops the mailboxes' watches
     * @param meters   where the ownership counters go (the application's Prometheus registry)
     */
    public MailboxLeadership(CamelClusterService cluster, String instanceId, OwnershipListener listener,
                             MeterRegistry meters, Timing timing) {
        this.cluster = cluster;
        this.instanceId = instanceId;
        this.listener = listener;
        this.timing = timing;
        this.taken = Counter.builder("channel.cluster.ownership.changes").tag("change", "taken")
                .description("Mailboxes this instance took over").register(meters);
        this.givenUp = Counter.builder("channel.cluster.ownership.changes").tag("change", "given_up")
                .description("Mailboxes this instance gave up").register(meters);
        Gauge.builder("channel.cluster.mailboxes.owned", owned, s -> {
            synchronized (lock) {
                return s.size();
            }
        }).description("Mailboxes this instance watches").register(meters);
        if (cluster instanceof SessionAware aware) {
            aware.addSessionListener(this::sessionChanged);
        }
    }

    /** A single instance: owns every mailbox it is given, at once. */
    public static MailboxLeadership standalone(String instanceId, OwnershipListener listener, MeterRegistry meters) {
        return new MailboxLeadership(null, instanceId, listener, meters, Timing.DEFAULT);
    }

    public String instanceId() {
        return instanceId;
    }

    /** Without a cluster service: this instance owns every mailbox as soon as it is given. */
    public boolean alone() {
        return cluster == null;
    }

    /** Takes part in the mailbox's election (the preferred owner at once, a standby after the backup delay). */
    public void add(String mailboxId) {
        long now = System.nanoTime();
        if (mailboxes.putIfAbsent(mailboxId, new MailboxElection(mailboxId, now, cluster, instanceId)) == null) {
            submit(() -> evaluateAll(now));
        }
    }

    /** Gives the mailbox up (reporting the loss) and leaves its election. */
    public void remove(String mailboxId) {
        MailboxElection election = mailboxes.remove(mailboxId);
        if (election != null) {
            lose(mailboxId, "removed");
            submit(election::leave);
        }
    }

    public boolean owns(String mailboxId) {
        synchronized (lock) {
            return owned.contains(mailboxId);
        }
    }

    /** The instances seen alive at the last look (this one included). */
    public Set<String> members() {
        return cluster == null ? Set.of(instanceId) : members;
    }

    /**
     * Who watches the mailbox, as far as this instance can tell: itself, the leader its view of the mailbox reports
     * (read at most every {@code ownerCache}), or empty when nobody does or it cannot tell (not yet a candidate; the
     * file service does not name other instances).
     */
    public Optional<String> owner(String mailboxId) {
        if (owns(mailboxId)) {
            return Optional.of(instanceId);
        }
        MailboxElection election = mailboxes.get(mailboxId);
        if (cluster == null || election == null) {
            return Optional.empty();
        }
        return election.leaderSeen(System.nanoTime(), timing.ownerCache());
    }

    @Override
    protected void doStart() {
        running = true;
        sessionUp = true;
        membersChangedAt = System.nanoTime();
        members = Set.of(instanceId);
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailbox-leadership");
            t.setDaemon(true);
            return t;
        });
        if (cluster != null) {
            submit(() -> membership = cluster.getView(MEMBERS));
        }
        thread.scheduleWithFixedDelay(() -> guarded(() -> evaluateAll(System.nanoTime())), 0,
                timing.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        dropAll("this instance stops");
        if (thread != null) {
            try { // leaving the elections lets the next in line take over at once; without a session it cannot
                thread.submit(() -> {
                    mailboxes.values().forEach(MailboxElection::leave);
                    leaveMembership();
                }).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                LOG.warn("Instance {}: could not leave the elections ({}); they end with its session", instanceId,
                        e.toString());
            }
            thread.shutdownNow();
            thread = null;
        }
    }

    // ------------------------------------------------------------------------------------------- the decisions

    private void evaluateAll(long now) throws Exception {
        if (!running) {
            return;
        }
        if (cluster == null) {
            mailboxes.keySet().forEach(m -> become(m, "single instance"));
            return;
        }
        if (membership == null) { // not joined yet (the start task failed)
            membership = cluster.getView(MEMBERS);
        }
        if (sessionUp) {
            readMembers(now);
        }
        Set<String> ids = new TreeSet<>(mailboxes.keySet());
        if (!ids.equals(preferredFor)) {
            preferred = MailboxBalancer.preferredOwners(ids, members);
            preferredFor = ids;
        }
        for (MailboxElection election : mailboxes.values()) {
            evaluate(election, now);
        }
    }

    private void readMembers(long now) {
        Set<String> seen;
        try {
            seen = membership.getMembers().stream().map(CamelClusterMember::getId)
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (RuntimeException e) {
            LOG.debug("Cannot read the members: {}", e.getMessage());
            return;
        }
        seen.add(instanceId);
        if (!seen.equals(members)) {
            LOG.info("Cluster members seen by {}: {}", instanceId, seen);
            members = Set.copyOf(seen);
            membersChangedAt = now;
            preferred = MailboxBalancer.preferredOwners(mailboxes.keySet(), seen);
            preferredFor = new TreeSet<>(mailboxes.keySet());
        }
    }

    private void evaluate(MailboxElection election, long now) throws Exception {
        if (!running || mailboxes.get(election.mailboxId) != election) {
            return; // stopping, or removed while an event was on its way
        }
        String mailboxId = election.mailboxId;
        String preferredOwner = preferred.getOrDefault(mailboxId, instanceId);
        boolean settled = now - membersChangedAt >= timing.settle().toNanos();
        boolean leader = election.leads();
        Set<String> participants = leader && settled && !preferredOwner.equals(instanceId)
                ? election.participants() : Set.of();
        Step step = MailboxBalancer.decide(new Situation(instanceId, preferredOwner, election.candidate(), leader,
                participants, sessionUp, settled, now - election.addedAt >= timing.backupDelay().toNanos()));
        if (!step.owner()) {
            lose(mailboxId, step.handOver() ? "hands it over to its preferred owner " + preferredOwner
                    : "no longer leads its election");
        }
        if (step.handOver()) {
            election.handOver();
        }
        if (!sessionUp) {
            return;
        }
        if (step.run() && !election.candidate()) {
            election.join(now, () -> submit(() -> evaluate(election, System.nanoTime())));
        } else {
            election.verifyQueued(now, timing.verifyEvery(), members.size() > 1);
        }
        if (step.owner() && (owns(mailboxId) || election.confirmedLeader())) {
            become(mailboxId, instanceId.equals(preferredOwner) ? "its preferred owner"
                    : "standing in for " + preferredOwner);
        }
    }

    private void leaveMembership() {
        if (membership != null) {
            try {
                membership.stop();
                cluster.releaseView(membership);
            } catch (Exception e) {
                LOG.debug("Cannot leave the members: {}", e.getMessage());
            }
            membership = null;
        }
    }

    // ------------------------------------------------------------------------------------------- the session

    private void sessionChanged(boolean connected) {
        if (!connected) {
            sessionUp = false;
            dropAll("lost its session with the cluster service");
            return;
        }
        if (!sessionUp) {
            sessionUp = true;
            LOG.info("Instance {}: session with the cluster service restored, joining the elections again", instanceId);
            submit(this::rejoinAll);
        }
    }

    /** After a suspension every election of this instance was cancelled: enter them all again. */
    private void rejoinAll() {
        long now = System.nanoTime();
        if (membership != null) {
            membership.stop();
            membership.start();
        }
        mailboxes.values().forEach(election -> election.rejoin(now));
        membersChangedAt = now;
    }

    // ------------------------------------------------------------------------------------------- the callbacks

    private void become(String mailboxId, String why) {
        synchronized (lock) {
            if (running && sessionUp && mailboxes.containsKey(mailboxId) && owned.add(mailboxId)) {
                report(mailboxId, true, why);
            }
        }
    }

    private void lose(String mailboxId, String why) {
        synchronized (lock) {
            if (owned.remove(mailboxId)) {
                report(mailboxId, false, why);
            }
        }
    }

    /** The one log line, the counter and the callback of a change; called holding the lock, so in order. */
    private void report(String mailboxId, boolean taken, String why) {
        LOG.info("Mailbox {}: instance {} {} ({})", mailboxId, instanceId, taken ? "takes it over" : "gives it up", why);
        (taken ? this.taken : givenUp).increment();
        try {
            if (taken) {
                listener.onBecomeOwner(mailboxId);
            } else {
                listener.onLoseOwnership(mailboxId);
            }
        } catch (RuntimeException e) {
            LOG.error("Mailbox {}: {} its watch failed: {}", mailboxId, taken ? "starting" : "stopping", e.toString(), e);
        }
    }

    private void dropAll(String why) {
        synchronized (lock) {
            for (String mailboxId : new TreeSet<>(owned)) {
                lose(mailboxId, why);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- the thread

    private interface Task {
        void run() throws Exception;
    }

    private void submit(Task task) {
        ScheduledExecutorService t = thread;
        if (t != null && !t.isShutdown()) {
            try {
                t.execute(() -> guarded(task));
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // stopping
            }
        }
    }

    private void guarded(Task task) {
        try {
            task.run();
        } catch (Exception e) {
            LOG.warn("Mailbox leadership: {}", e.toString(), e);
        }
    }
}
