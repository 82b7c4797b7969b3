package dev.emailchannel.inbox;

import dev.emailchannel.session.Inbox;
import dev.emailchannel.status.Problems;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers pending inbound mail to the agent with a fixed number of workers ({@code AGENT_CONCURRENCY}): one thread
 * claims the next mail the inbox allows (different customers in parallel, one customer's mails in order and one at a
 * time — the inbox's claim rule, which holds across instances) whenever a worker is free, and hands it to a worker;
 * a renewer extends the claims of the mails in flight until their handler returns. Stop lets the mails in flight
 * finish (bounded) and claims nothing more.
 *
 * <p>While mails finish quickly (a backlog, an agent that answers 202 at once) the claiming thread also claims a few
 * mails ahead of the workers — as many as finished in the last {@link #AHEAD_WINDOW}, at most one per worker — so that
 * one transaction claims several mails and a worker that comes free gets its next mail without a database round trip.
 * A mail claimed ahead that no worker took within {@link #READY_MAX_WAIT} (the agent became slow) is given back to the
 * inbox for any dispatcher, as are those left at stop; neither counts as an attempt.
 */
public final class Dispatcher {

    /** Handles one claimed mail completely: the agent call, and recording its outcome in the inbox. */
    @FunctionalInterface
    public interface Handler {
        void handle(Inbox.Claim claim) throws Exception;
    }

    /** How long a claim lasts without renewal: the time a crashed instance's mails wait before another takes them. */
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    private static final Duration MAX_IDLE_WAIT = Duration.ofSeconds(1);
    /** How many claimable mails one query looks for, and how long they are used before the inbox is asked again. */
    private static final int CANDIDATES = 64;
    private static final Duration CANDIDATES_FRESH = Duration.ofMillis(500);
    /** Mails are claimed ahead while they finish quickly: as many as finished in the last window of this length. */
    static final Duration AHEAD_WINDOW = Duration.ofMillis(200);
    /** A mail claimed ahead is given back when no worker took it within this time. */
    static final Duration READY_MAX_WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final Inbox inbox;
    private final List<String> mailboxes;
    private final String owner;
    private final int concurrency;
    private final ClaimAhead claimAhead;
    private final Clock clock;
    private final Handler handler;

    private final Set<Inbox.Claim> inFlight = ConcurrentHashMap.newKeySet();
    /** Claimed ahead, oldest first, not yet with a worker (the claiming thread adds and takes, the renewer reads). */
    private final Queue<Ready> ready = new ConcurrentLinkedQueue<>();
    private final AtomicLong finished = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private final AtomicInteger wakeups = new AtomicInteger();
    private volatile boolean running;
    private Semaphore free;
    private ThreadPoolExecutor workers;
    private ScheduledExecutorService renewer;
    private Thread claimer;
    // read and written by the claiming thread only
    private final Queue<Long> candidates = new ArrayDeque<>();
    private long candidatesFoundAt;

    private record Ready(Inbox.Claim claim, long claimedNanos) {
    }

    /**
     * @param mailboxes the mailboxes whose mail this dispatcher delivers (those of its connection)
     * @param owner     this instance's name, recorded with each claim
     */
    public Dispatcher(Inbox inbox, List<String> mailboxes, String owner, int concurrency, Clock clock,
            Handler handler) {
        this(inbox, mailboxes, owner, concurrency, concurrency, clock, handler);
    }

    /** @param maxAhead at most this many mails claimed ahead of the workers (0: none; the channel uses one per worker) */
    public Dispatcher(Inbox inbox, List<String> mailboxes, String owner, int concurrency, int maxAhead, Clock clock,
            Handler handler) {
        this(inbox, mailboxes, owner, concurrency, ClaimAhead.byRate(Math.max(0, maxAhead), AHEAD_WINDOW,
                System.nanoTime()), clock, handler);
    }

    /** @param claimAhead how many mails to hold claimed ahead of the workers */
    Dispatcher(Inbox inbox, List<String> mailboxes, String owner, int concurrency, ClaimAhead claimAhead, Clock clock,
            Handler handler) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("AGENT_CONCURRENCY must be at least 1, not " + concurrency);
        }
        this.inbox = inbox;
        this.mailboxes = List.copyOf(mailboxes);
        this.owner = owner;
        this.concurrency = concurrency;
        this.claimAhead = claimAhead;
        this.clock = clock;
        this.handler = handler;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        free = new Semaphore(concurrency);
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "dispatch-" + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true); // an idle channel keeps no worker threads
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "dispatch-lease"));
        scheduler.setRemoveOnCancelPolicy(true);
        renewer = scheduler;
        renewer.scheduleWithFixedDelay(this::renewClaims, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        claimer = daemon(this::claimLoop, "dispatch-claim");
        claimer.start();
    }

    /** Stops claiming; waits up to {@code grace} for the mails in flight (their claims are renewed meanwhile). */
    public void stop(Duration grace) {
        Thread claiming;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            claiming = claimer;
        }
        wake();
        try {
            claiming.join(grace.toMillis());
            workers.shutdown();
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{} mail(s) still with the agent at stop; their claims run out and another dispatcher "
                        + "delivers them again (same event_id)", inFlight.size());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            renewer.shutdownNow();
        }
    }

    /** New mail was stored, or a customer's previous mail finished: look for work now. */
    public void wake() {
        wakeups.incrementAndGet();
        lock.lock();
        try {
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Mails being handled right now by this dispatcher. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Mails claimed ahead that wait for a worker of this dispatcher. */
    int claimedAhead() {
        return ready.size();
    }

    private void claimLoop() {
        long idleWait = 50;
        int permits = 0; // taken from the free workers and not yet handed to a claimed mail
        try {
            while (running) {
                try {
                    releaseStale();
                    if (!free.tryAcquire(MAX_IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    permits = 1 + free.drainPermits(); // every free worker gets a mail
                    for (Ready r; permits > 0 && (r = ready.poll()) != null; permits--) {
                        dispatch(r.claim());
                    }
                    int seen = wakeups.get();
                    int aheadNow = claimAhead.ahead(System.nanoTime(), finished.get());
                    // the claims held ahead are topped up once half of them are used: one transaction claims several
                    int wanted = permits > 0 || ready.size() <= aheadNow / 2 ? permits + aheadNow - ready.size() : 0;
                    List<Inbox.Claim> claims = running && wanted > 0 ? claim(wanted) : List.of();
                    for (Inbox.Claim c : claims) {
                        if (permits > 0) {
                            dispatch(c);
                            permits--;
                        } else {
                            ready.add(new Ready(c, System.nanoTime()));
                        }
                    }
                    boolean idle = claims.isEmpty() && permits > 0;
                    free.release(permits);
                    permits = 0;
                    if (idle) {
                        idleWait = Math.min(idleWait * 2, MAX_IDLE_WAIT.toMillis());
                        awaitWork(seen, idleWait);
                    } else {
                        idleWait = 50;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    // the database is unavailable: try again shortly, nothing was claimed
                    free.release(permits);
                    permits = 0;
                    LOG.warn("Inbox dispatch cannot claim mail: {}", Problems.describe(e));
                    awaitWork(wakeups.get(), MAX_IDLE_WAIT.toMillis());
                }
            }
        } finally {
            for (Ready r; (r = ready.poll()) != null; ) {
                release(r.claim());
            }
        }
    }

    /** Hands a claimed mail to a worker (whose permit the caller took); from here {@link #run} gives it back. */
    private void dispatch(Inbox.Claim claim) {
        inFlight.add(claim);
        workers.execute(() -> run(claim));
    }

    /** Gives back the mails claimed ahead that waited longer than {@link #READY_MAX_WAIT} for a worker. */
    private void releaseStale() {
        long now = System.nanoTime();
        for (Ready r; (r = ready.peek()) != null && now - r.claimedNanos() > READY_MAX_WAIT.toNanos(); ) {
            ready.poll();
            release(r.claim());
        }
    }

    private void release(Inbox.Claim claim) {
        try {
            inbox.release(claim);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot give back inbound mail {} claimed ahead; it is claimable again when its claim runs out "
                    + "({} s): {}", claim.mail().mailbox(), claim.id(), LEASE.toSeconds(), Problems.describe(e));
        }
    }

    /**
     * Claims up to {@code max} mails from the candidates found last, looking for candidates again when they are used
     * up or older than {@link #CANDIDATES_FRESH} (a customer whose previous mail finished since is then seen again).
     */
    private List<Inbox.Claim> claim(int max) {
        long now = System.nanoTime();
        if (candidates.isEmpty() || now - candidatesFoundAt > CANDIDATES_FRESH.toNanos()) {
            candidates.clear();
            candidates.addAll(inbox.candidates(mailboxes, clock.instant(), Math.max(CANDIDATES, 2 * concurrency)));
            candidatesFoundAt = now;
        }
        return inbox.claim(candidates, mailboxes, owner, clock.instant(), LEASE, max);
    }

    private void run(Inbox.Claim claim) {
        try {
            handler.handle(claim);
        } catch (Exception e) {
            LOG.error("{}: inbound mail {} could not be handled: {}", claim.mail().mailbox(), claim.id(),
                    Problems.describe(e), e);
        } finally {
            inFlight.remove(claim);
            finished.incrementAndGet();
            free.release();
            wake();
        }
    }

    private void renewClaims() {
        List<Inbox.Claim> held = new ArrayList<>(inFlight);
        ready.forEach(r -> held.add(r.claim()));
        for (Inbox.Claim claim : held) {
            try {
                // (a claim given back or finished since the list was made is not renewed, and not lost either)
                if (!inbox.renew(claim, clock.instant().plus(LEASE)) && holds(claim)) {
                    LOG.warn("{}: the claim on inbound mail {} was lost while this dispatcher held it; its outcome "
                            + "will not be recorded twice", claim.mail().mailbox(), claim.id());
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot renew the claim on inbound mail {}: {}", claim.id(), Problems.describe(e));
            }
        }
    }

    private boolean holds(Inbox.Claim claim) {
        return inFlight.contains(claim) || ready.stream().anyMatch(r -> r.claim().equals(claim));
    }

    private void awaitWork(int seenWakeups, long millis) {
        lock.lock();
        try {
            if (wakeups.get() == seenWakeups && running) {
                signal.await(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
