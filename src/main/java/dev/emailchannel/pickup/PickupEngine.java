package dev.emailchannel.pickup;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;

/**
 * Picks up new mail from many IMAP mailboxes with a few shared threads: IMAP IDLE (RFC 2177) where the server offers
 * it, polling otherwise, every fetched mail stored by a {@link PickupSink} before it is flagged {@code \Seen}. One
 * engine per process; {@link #watch} adds a mailbox, {@link #close} stops them all.
 *
 * <h2>Threads: a fixed handful, whatever the number of mailboxes</h2>
 * <ul>
 *   <li>{@code pickup-worker-N} (at most {@link PickupSettings#workers()}): sign-ins, checks, fetches, sink calls;
 *       each mailbox is a queue of requests worked off by one of them at a time ({@link MailboxWatch} is not a
 *       thread); new mail goes ahead of routine polls ({@link UrgentFirstQueue}). Sign-in of all mailboxes at start
 *       is therefore parallel and bounded by the same number; every step is bounded by the connect, read and write
 *       timeouts.</li>
 *   <li>{@code pickup-store-N} (at most workers): the sink's stores of fetched batches, so that a mailbox's worker
 *       fetches the next batch while the inbox stores the previous one (a mailbox's stores still run one at a time,
 *       in UID order).</li>
 *   <li>{@code pickup-idle}: Angus Mail's {@code IdleManager} select loop over all IDLE connections (NIO; needs
 *       {@code mail.imaps.usesocketchannels=true}, which works with implicit SSL: Angus Mail connects a
 *       {@code SocketChannel}'s socket and layers TLS over it, and the IdleManager selects on that channel).</li>
 *   <li>{@code pickup-idle-exit-N} (at most workers): send DONE and read the answer when a folder leaves IDLE; see
 *       {@link IdleService} for why they cannot be workers.</li>
 *   <li>{@code pickup-timer} (one): check intervals, IDLE renewals, retries after backoff, the watchdog that closes
 *       a silent connection, and Angus Mail's write timeouts.</li>
 * </ul>
 * Idle pool threads end after a minute. Jakarta Mail's own threads are avoided:
 * <ul>
 *   <li>Event dispatch threads (one per folder and store with the default {@code mail.event.scope}): no listener is
 *       ever registered; {@link PickupFolder} reads EXISTS and BYE from the responses themselves, so no event is
 *       queued and no queue thread starts. As a guard the sessions set {@code mail.event.scope=application}: should a
 *       listener ever be added, all mailboxes share one dispatch thread.</li>
 *   <li>Write-timeout threads ({@code mail.imaps.writetimeout} wraps each socket with a scheduler of its own, one
 *       thread per connection): {@code mail.imaps.executor.writetimeout} hands Angus Mail the shared timer
 *       instead.</li>
 * </ul>
 *
 * <h2>Properties the engine adds to each mailbox's session</h2>
 * {@code mail.imaps.usesocketchannels=true}, {@code mail.imaps.folder.class} ({@link PickupFolder}),
 * {@code mail.imaps.ssl.socketFactory} (the configured factory, or the JVM default, wrapped so a silent connection can
 * be closed: {@link TrackingSocketFactory}), {@code mail.imaps.executor.writetimeout}, {@code mail.event.scope}; and,
 * only where the mailbox runtime set none, {@code mail.imaps.connectiontimeout}, {@code timeout},
 * {@code writetimeout} from the settings and {@code mail.imaps.ssl.checkserveridentity=true}.
 *
 * <h2>Dead connections</h2>
 * A connection that closes (server restart, killed process) is noticed at once: the IdleManager reads the end of the
 * stream and {@link PickupFolder} reports the BYE. A connection that goes silent is noticed by the next check (the
 * check interval is also the safety poll under IDLE) or IDLE renewal: starting or ending IDLE waits at most
 * {@link PickupSettings#idleResponseTimeout()} for the server (a watchdog then closes the socket, see
 * {@link TrackingSocketFactory}), every other command at most the read timeout. Either way the connection is dropped
 * and opened again with exponential backoff, reported with the next attempt's time.
 */
public final class PickupEngine implements AutoCloseable {

    private final PickupSettings settings;
    private final ThreadPoolExecutor workers;
    private final ThreadPoolExecutor stores;
    private final ThreadPoolExecutor idleExits;
    private final ScheduledThreadPoolExecutor timer;
    private final IdleService idle;
    private final Shared shared;
    private final Set<Watcher> watches = ConcurrentHashMap.newKeySet();
    private final SignedInConnections signedIn;
    private volatile boolean closed;

    public PickupEngine(PickupSettings settings) {
        this(settings, SignedInConnections.KEEP);
    }

    /** @param keepSignedIn how long a connection {@link #signIn} made waits for its watch */
    PickupEngine(PickupSettings settings, Duration keepSignedIn) {
        this.settings = settings;
        this.workers = pool("pickup-worker-", settings.workers(), new UrgentFirstQueue());
        this.stores = pool("pickup-store-", settings.workers(), new LinkedBlockingQueue<>());
        this.idleExits = pool("pickup-idle-exit-", settings.workers(), new LinkedBlockingQueue<>());
        this.timer = new ScheduledThreadPoolExecutor(1, named("pickup-timer"));
        timer.setRemoveOnCancelPolicy(true); // cancelled write timeouts and watchdogs must not pile up
        this.idle = new IdleService(idleExits);
        this.shared = new Shared(settings, workers, stores, timer, idle, new ByteBudget(settings.bytesInFlight()));
        this.signedIn = new SignedInConnections(timer, workers, keepSignedIn);
    }

    public PickupEngine() {
        this(PickupSettings.defaults());
    }

    /**
     * Signs in to a mailbox's IMAP server on the caller's thread and checks that its folder exists, as a start's
     * sign-in check does, then leaves the connection for the mailbox's next {@link #watch} (same {@code id}), which
     * uses it instead of signing in again: one login per mailbox at start instead of two, and the pickup starts a TLS
     * handshake and a login sooner. A connection no watch takes within 10 s is logged out.
     *
     * @throws AuthenticationFailedException the server refused the sign-in
     * @throws FolderNotFoundException        the folder does not exist (the connection is logged out)
     * @throws MessagingException             the server could not be reached, or failed otherwise
     */
    public void signIn(MailboxSource source) throws MessagingException {
        signedIn.put(source.id(), signInAndCheck(source));
    }

    /**
     * Signs in and checks the folder as {@link #signIn} does, then logs out: for a mailbox no watch of this engine
     * will follow at once (inbound mail off, or a cluster where another instance may win the mailbox).
     */
    public void checkSignIn(MailboxSource source) throws MessagingException {
        signInAndCheck(source).logOut();
    }

    private SignedInConnections.Connection signInAndCheck(MailboxSource source) throws MessagingException {
        if (closed) {
            throw new IllegalStateException("the pickup engine is closed");
        }
        TrackingSocketFactory sockets = new TrackingSocketFactory(configuredFactory(source.sessionProperties()));
        Session session = Session.getInstance(sessionProperties(source, sockets), source.authenticator());
        SignedInConnections.Connection connection = new SignedInConnections.Connection(session, sockets,
                Watcher.signIn(session, source));
        try {
            Folder folder = connection.store().getFolder(source.folder());
            if (!folder.exists()) {
                throw new FolderNotFoundException(folder, source.address() + ": IMAP folder \"" + source.folder()
                        + "\" does not exist");
            }
        } catch (MessagingException | RuntimeException e) {
            connection.logOut();
            throw e;
        }
        return connection;
    }

    /**
     * Starts watching a mailbox: it signs in on a worker (or takes the connection {@link #signIn} left for it) and
     * checks at once; {@link MailboxWatch#started()} tells when that succeeded or failed.
     */
    public MailboxWatch watch(MailboxSource source, PickupSink sink, PickupListener listener) {
        if (closed) {
            throw new IllegalStateException("the pickup engine is closed");
        }
        SignedInConnections.Connection ahead = signedIn.take(source.id());
        TrackingSocketFactory sockets = ahead != null ? ahead.sockets()
                : new TrackingSocketFactory(configuredFactory(source.sessionProperties()));
        Session session = ahead != null ? ahead.session()
                : Session.getInstance(sessionProperties(source, sockets), source.authenticator());
        Watcher[] self = new Watcher[1];
        Watcher w = new Watcher(source, sink, listener == null ? PickupListener.NONE : listener, shared, session,
                sockets, ahead != null ? ahead.store() : null, () -> watches.remove(self[0]));
        self[0] = w;
        watches.add(w);
        w.start();
        return w;
    }

    /** Stops every watch (in parallel, each as {@link MailboxWatch#stop()} does), then the threads. */
    @Override
    public void close() {
        closed = true;
        signedIn.closeAll();
        List<Watcher> all = List.copyOf(watches);
        all.forEach(Watcher::requestStop);
        all.forEach(Watcher::awaitStopped);
        idle.close();
        workers.shutdown();
        stores.shutdown();
        idleExits.shutdown();
        timer.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            stores.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties sessionProperties(MailboxSource source, TrackingSocketFactory sockets) {
        Properties p = source.sessionProperties();
        String prefix = "mail.imaps.";
        p.setProperty("mail.store.protocol", "imaps");
        p.setProperty(prefix + "ssl.enable", "true");
        p.putIfAbsent(prefix + "ssl.checkserveridentity", "true");
        p.putIfAbsent(prefix + "connectiontimeout", String.valueOf(settings.connectTimeout().toMillis()));
        p.putIfAbsent(prefix + "timeout", String.valueOf(settings.readTimeout().toMillis()));
        p.putIfAbsent(prefix + "writetimeout", String.valueOf(settings.readTimeout().toMillis()));
        p.put(prefix + "executor.writetimeout", timer);
        p.setProperty(prefix + "usesocketchannels", "true");
        p.setProperty(prefix + "folder.class", PickupFolder.class.getName());
        p.put(prefix + "ssl.socketFactory", sockets);
        p.setProperty("mail.event.scope", "application");
        return p;
    }

    private static SSLSocketFactory configuredFactory(Properties p) {
        Object configured = p.get("mail.imaps.ssl.socketFactory");
        if (configured instanceof SSLSocketFactory f) {
            return f;
        }
        if (configured != null) {
            throw new IllegalArgumentException("mail.imaps.ssl.socketFactory must be an SSLSocketFactory, not "
                    + configured.getClass().getName());
        }
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    private static ThreadPoolExecutor pool(String prefix, int max, BlockingQueue<Runnable> queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(max, max, 60, TimeUnit.SECONDS, queue, named(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        boolean numbered = prefix.endsWith("-");
        return r -> {
            Thread t = new Thread(r, numbered ? prefix + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }
}
