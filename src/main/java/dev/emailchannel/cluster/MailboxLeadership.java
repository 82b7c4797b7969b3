package dev.emailchannel.cluster;

import dev.emailchannel.cluster.MailboxBalancer.Situation;
import dev.emailchannel.cluster.MailboxBalancer.Step;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.camel.cluster.CamelClusterEventListener;
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
 * <p>Each mailbox is a namespace ({@link #namespace}) of the cluster service, and every instance also joins the
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

    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
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

    /** The state of one mailbox; touched only on the leadership thread, except {@link #ownerSeen}. */
    private static final class Mailbox {
        final String id;
        final String namespace;
        final long addedAt;
        volatile CamelClusterView view; // read by owner() on API threads
        boolean candidate;
        long verifyAt;
        volatile String ownerSeen;
        volatile long ownerSeenAt;

        Mailbox(String id, long addedAt) {
            this.id = id;
            this.namespace = namespace(id);
            this.addedAt = addedAt;
        }
    }

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

    /** The cluster namespace of a mailbox: readable, and valid as a ZooKeeper node, a file and a Lease name. */
    public static String namespace(String mailboxId) {
        String readable = mailboxId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-+)|(-+$)", "");
        String digest = UUID.nameUUIDFromBytes(mailboxId.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return "mailbox-" + (readable.length() > 40 ? readable.substring(0, 40) : readable) + "-" + digest;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Takes part in the mailbox's election (the preferred owner at once, a standby after the backup delay). */
    public void add(String mailboxId) {
        long now = System.nanoTime();
        if (mailboxes.putIfAbsent(mailboxId, new Mailbox(mailboxId, now)) == null) {
            submit(() -> evaluateAll(now));
        }
    }

    /** Gives the mailbox up (reporting the loss) and leaves its election. */
    public void remove(String mailboxId) {
        Mailbox mailbox = mailboxes.remove(mailboxId);
        if (mailbox != null) {
            lose(mailboxId, "removed");
            submit(() -> leave(mailbox));
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
        Mailbox mailbox = mailboxes.get(mailboxId);
        if (cluster == null || mailbox == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        if (now - mailbox.ownerSeenAt > timing.ownerCache().toNanos()) {
            CamelClusterView view = mailbox.view;
            String seen = null;
            try {
                seen = view == null ? null : view.getLeader().map(CamelClusterMember::getId).orElse(null);
            } catch (RuntimeException e) {
                LOG.debug("Mailbox {}: cannot read its leader: {}", mailboxId, e.getMessage());
            }
            mailbox.ownerSeen = instanceId.equals(seen) ? null : seen; // led here but not (yet) owned: nobody
            mailbox.ownerSeenAt = now;
        }
        return Optional.ofNullable(mailbox.ownerSeen);
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
                    mailboxes.values().forEach(this::leave);
                    if (membership != null) {
                        release(membership);
                        membership = null;
                    }
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
        for (Mailbox mailbox : mailboxes.values()) {
            evaluate(mailbox, now);
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

    private void evaluate(Mailbox mailbox, long now) throws Exception {
        if (!running || mailboxes.get(mailbox.id) != mailbox) {
            return; // stopping, or removed while an event was on its way
        }
        String preferredOwner = preferred.getOrDefault(mailbox.id, instanceId);
        boolean settled = now - membersChangedAt >= timing.settle().toNanos();
        boolean leader = mailbox.candidate && isLocalLeader(mailbox.view);
        Set<String> participants = leader && settled && !preferredOwner.equals(instanceId)
                ? participants(mailbox.view) : Set.of();
        Step step = MailboxBalancer.decide(new Situation(instanceId, preferredOwner, mailbox.candidate, leader,
                participants, sessionUp, settled, now - mailbox.addedAt >= timing.backupDelay().toNanos()));
        if (!step.owner()) {
            lose(mailbox.id, step.handOver() ? "hands it over to its preferred owner " + preferredOwner
                    : "no longer leads its election");
        }
        if (step.handOver()) {
            mailbox.view.stop(); // leaves the election: the next in line leads
            mailbox.candidate = false;
        }
        if (step.run() && !mailbox.candidate && sessionUp) {
            join(mailbox, now);
        } else if (mailbox.candidate && !leader && now >= mailbox.verifyAt && sessionUp) {
            verifyQueued(mailbox, now);
        }
        if (step.owner() && !owns(mailbox.id) && !confirmedLeader(mailbox)) {
            return; // the local flag ran ahead of the election: look again on the next tick
        }
        if (step.owner()) {
            become(mailbox.id, instanceId.equals(preferredOwner) ? "its preferred owner"
                    : "standing in for " + preferredOwner);
        }
    }

    private void join(Mailbox mailbox, long now) throws Exception {
        if (mailbox.view == null) {
            mailbox.view = cluster.getView(mailbox.namespace); // created and started: a candidate from now on
            mailbox.view.addEventListener((CamelClusterEventListener.Leadership) (view, leader) ->
                    submit(() -> evaluate(mailbox, System.nanoTime())));
        } else {
            mailbox.view.start();
        }
        mailbox.candidate = true;
        mailbox.verifyAt = now + Duration.ofSeconds(2).toNanos();
    }

    /**
     * A ZooKeeper election is left for good when its connection is suspended, and a re-entry right after a hand-over
     * may be refused while the old attempt winds down: a candidate that no longer appears among the participants
     * joins again. (Views that cannot list participants, file locks, are left as they are.)
     */
    private void verifyQueued(Mailbox mailbox, long now) {
        mailbox.verifyAt = now + timing.verifyEvery().toNanos();
        Set<String> participants = participants(mailbox.view);
        if (!participants.isEmpty() && !participants.contains(instanceId) || participants.isEmpty() && hasMembers()) {
            LOG.debug("Mailbox {}: not queued in its election any more, joining again", mailbox.id);
            mailbox.view.stop();
            mailbox.view.start();
            mailbox.verifyAt = now + Duration.ofSeconds(2).toNanos();
        }
    }

    /** Whether this backend lists participants at all (ZooKeeper, Kubernetes); the file service does not. */
    private boolean hasMembers() {
        return members.size() > 1;
    }

    private void leave(Mailbox mailbox) {
        if (mailbox.view != null) {
            release(mailbox.view);
            mailbox.view = null;
            mailbox.candidate = false;
        }
    }

    private void release(CamelClusterView view) {
        try {
            view.stop();
            cluster.releaseView(view);
        } catch (Exception e) {
            LOG.debug("Cannot release the view {}: {}", view.getNamespace(), e.getMessage());
        }
    }

    /**
     * Before it starts watching, the instance asks the election itself who leads (for ZooKeeper: the first node in
     * the queue, read from the server), not only the flag its view keeps locally.
     */
    private boolean confirmedLeader(Mailbox mailbox) {
        try {
            Optional<String> leader = mailbox.view.getLeader().map(CamelClusterMember::getId);
            if (leader.isPresent() && !leader.get().equals(instanceId)) {
                LOG.debug("Mailbox {}: the view says this instance leads, the election says {}", mailbox.id, leader.get());
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isLocalLeader(CamelClusterView view) {
        try {
            return view != null && view.getLocalMember().isLeader();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Set<String> participants(CamelClusterView view) {
        try {
            return view.getMembers().stream().map(CamelClusterMember::getId).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            return Set.of();
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
        for (Mailbox mailbox : mailboxes.values()) {
            if (mailbox.candidate) {
                mailbox.view.stop();
                mailbox.view.start();
                mailbox.verifyAt = now + Duration.ofSeconds(2).toNanos();
            }
        }
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

    /** For tests and the benchmark: mailbox → whether this instance owns it. */
    Map<String, Boolean> ownership() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        synchronized (lock) {
            new TreeSet<>(mailboxes.keySet()).forEach(m -> out.put(m, owned.contains(m)));
        }
        return out;
    }
}
