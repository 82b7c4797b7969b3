package dev.emailchannel.pickup;

import dev.emailchannel.status.Problems;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched mailbox, run as a small actor: requests (a check, an IDLE renewal, a reconnect, stop) are merged into a
 * bit set and worked off by one task at a time on the engine's shared workers, so a mailbox never holds a thread of
 * its own and its IMAP connection is only ever used by one thread. Requests come from the server (new mail and lost
 * connections, through {@link PickupFolder}), from the engine's timer (check interval, IDLE renewal, retry after
 * backoff) and from {@link #pickNow()} / {@link #stop()}.
 *
 * <p>When no request is left and the mailbox is in IDLE mode, the task starts IDLE and hands the connection to the
 * IdleManager's select thread; the next request first ends IDLE ({@link #leaveIdle()}), under a watchdog that closes a
 * connection whose server does not answer DONE in time. A connection that failed is never used again: its sockets are
 * closed and a new one is opened after backoff.
 */
final class Watcher implements MailboxWatch, PickupFolder.ServerEvents {

    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    private static final int CHECK = 1;
    private static final int CHECK_NOW = 2;
    private static final int RENEW = 4;
    private static final int RECONNECT = 8;
    private static final int STOP = 16;

    private final MailboxSource source;
    private final Shared shared;
    private final Session session;
    private final TrackingSocketFactory sockets;
    private final WatchState state;
    private final PickupCycle cycle;
    private final Runnable onStopped;

    private final Object lock = new Object();
    private int pending;
    private boolean running;
    private boolean urgentQueued;
    private boolean routineQueued;
    private volatile boolean stopping;
    private volatile boolean silent;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    // used only by the task working off requests (one at a time)
    private IMAPStore store;
    private PickupFolder folder;
    private PickupMode mode;
    private boolean idling;
    private boolean everConnected;
    private int failures;
    private Instant deferredUntil = Instant.MIN;
    private ScheduledFuture<?> checkTimer;
    private ScheduledFuture<?> renewTimer;
    private ScheduledFuture<?> retryTimer;
    /** A connection the start's sign-in check made through {@link #session}, for the first connect; then null. */
    private IMAPStore signedInAhead;

    /** @param signedInAhead a connection already signed in through {@code session} and {@code sockets}, or null */
    Watcher(MailboxSource source, PickupSink sink, PickupListener listener, Shared shared, Session session,
            TrackingSocketFactory sockets, IMAPStore signedInAhead, Runnable onStopped) {
        this.source = source;
        this.shared = shared;
        this.session = session;
        this.sockets = sockets;
        this.signedInAhead = signedInAhead;
        this.onStopped = onStopped;
        this.state = new WatchState(source.id(), source.address(), listener);
        this.cycle = new PickupCycle(sink, shared.settings(), shared.budget(), shared.stores(), state);
    }

    void start() {
        request(RECONNECT);
    }

    @Override
    public String id() {
        return source.id();
    }

    @Override
    public PickupStatus status() {
        return state.snapshot();
    }

    @Override
    public CompletableFuture<Void> started() {
        return started.copy();
    }

    @Override
    public void pickNow() {
        request(CHECK_NOW, true);
    }

    @Override
    public void stop() {
        requestStop();
        awaitStopped();
    }

    void requestStop() {
        stopping = true;
        request(STOP, true);
    }

    /** Waits for the stop; a connection that does not close in time (a silent server) has its socket closed. */
    void awaitStopped() {
        PickupSettings s = shared.settings();
        Duration patience = s.readTimeout().plus(s.idleResponseTimeout()).plusSeconds(5);
        try {
            stopped.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{}: the IMAP connection did not close within {}; closing its socket", source.address(), patience);
            sockets.closeAll();
            stopped.completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("{}: stop", source.address(), e);
        }
    }

    @Override
    public void newMail() {
        request(CHECK, true);
    }

    @Override
    public void connectionLost() {
        request(RECONNECT, true);
    }

    // ------------------------------------------------------------------------------------------ the task

    private void request(int work) {
        request(work, false);
    }

    /**
     * Adds work and makes sure a task will do it. Urgent work (new mail, a lost connection, pickNow, stop) gets a task
     * at the front of the workers' queue even when a routine one is already waiting at the back; a task that finds
     * another one working for this mailbox leaves the work to it.
     */
    private void request(int work, boolean urgent) {
        synchronized (lock) {
            if (stopped.isDone()) {
                return;
            }
            pending |= work;
            if (running || (urgent ? urgentQueued : urgentQueued || routineQueued)) {
                return;
            }
            if (urgent) {
                urgentQueued = true;
            } else {
                routineQueued = true;
            }
        }
        try {
            shared.workers().execute(urgent ? (UrgentFirstQueue.Urgent) () -> drain(true) : () -> drain(false));
        } catch (RejectedExecutionException e) { // the engine is closing
            synchronized (lock) {
                urgentQueued = false;
                routineQueued = false;
            }
        }
    }

    private void drain(boolean urgent) {
        synchronized (lock) {
            if (urgent) {
                urgentQueued = false;
            } else {
                routineQueued = false;
            }
            if (running) {
                return;
            }
            running = true;
        }
        try {
            while (!stopped.isDone()) {
                int work;
                synchronized (lock) {
                    work = pending;
                    pending = 0;
                    if (work == 0 && !idleWanted()) {
                        running = false;
                        return;
                    }
                }
                if (work == 0) {
                    enterIdle();
                } else {
                    perform(work);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{}: pickup task failed", source.address(), e);
            disconnect();
            failed(source.address() + ": IMAP pickup failed: " + e, e, false);
        }
        synchronized (lock) {
            running = false;
        }
    }

    private boolean idleWanted() {
        return mode == PickupMode.IDLE && folder != null && !idling && !stopping;
    }

    private void perform(int work) {
        if ((work & STOP) != 0) {
            shutdown();
            return;
        }
        if (folder == null && (work & (RECONNECT | CHECK_NOW)) == 0) {
            return; // a timer that fired as the connection failed: the retry timer reconnects after the backoff
        }
        if ((work & RECONNECT) != 0 || folder == null) {
            if (!connect()) {
                return;
            }
            work |= CHECK_NOW;
        }
        try {
            if ((work & CHECK_NOW) != 0 || (work & CHECK) != 0 && !Instant.now().isBefore(deferredUntil)) {
                leaveIdle();
                check();
            } else if ((work & RENEW) != 0 && idling) {
                leaveIdle(); // the task starts a new IDLE when nothing else is left to do
                state.idleRenewed();
            }
        } catch (PickupCycle.SinkFailure e) {
            sinkFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connectionFailed(e);
        } catch (MessagingException | RuntimeException e) {
            connectionFailed(e);
        }
    }

    private void check() throws MessagingException, PickupCycle.SinkFailure, InterruptedException {
        int stored = cycle.run(folder, () -> stopping);
        failures = 0;
        deferredUntil = Instant.MIN;
        state.checked(Instant.now(), stored);
        started.complete(null);
        cancel(checkTimer);
        checkTimer = shared.timer().schedule(() -> request(CHECK), source.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------------------------------ IDLE

    private void enterIdle() {
        try {
            answeredInTime(() -> shared.idle().watch(folder));
            idling = true;
            renewTimer = shared.timer().schedule(() -> request(RENEW), shared.settings().idleRenewal().toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (MessagingException | RuntimeException e) {
            connectionFailed(e);
        }
    }

    /**
     * Ends IDLE: the first command on the folder sends DONE and waits for the server's answer (Angus Mail does this
     * in {@code waitIfIdle}, without a timeout).
     */
    private void leaveIdle() throws MessagingException {
        if (!idling) {
            return;
        }
        cancel(renewTimer);
        try {
            answeredInTime(() -> folder.doCommand(p -> null));
        } finally {
            idling = false;
        }
    }

    private interface IdleStep {
        void run() throws MessagingException;
    }

    /**
     * Runs a step that waits for the server's answer to IDLE or DONE under a watchdog: if the server stays silent
     * longer than {@link PickupSettings#idleResponseTimeout()}, the socket is closed, which makes the step fail, and
     * the connection is opened again.
     */
    private void answeredInTime(IdleStep step) throws MessagingException {
        ScheduledFuture<?> watchdog = shared.timer().schedule(() -> {
            silent = true;
            sockets.closeAll();
        }, shared.settings().idleResponseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            step.run();
        } finally {
            watchdog.cancel(false);
        }
    }

    // ------------------------------------------------------------------------------------------ connection

    private boolean connect() {
        IMAPStore ahead = signedInAhead;
        signedInAhead = null;
        if (ahead == null) {
            disconnect(); // not before a connection signed in ahead: it runs on the same socket factory
        }
        cancel(retryTimer);
        silent = false;
        try {
            store = ahead != null ? ahead : signIn(session, source);
            Folder f = store.getFolder(source.folder());
            if (!(f instanceof PickupFolder pf)) {
                throw new IllegalStateException("mail.imaps.folder.class was not applied (got " + f.getClass() + ")");
            }
            folder = pf;
            folder.open(Folder.READ_WRITE);
            folder.events(this);
            mode = chooseMode(Boolean.TRUE.equals(folder.doCommand(p -> p.hasCapability("IDLE"))));
            state.connected(mode, everConnected);
            everConnected = true;
            return true;
        } catch (AuthenticationFailedException e) {
            disconnect();
            source.authenticationFailed().run();
            failed(source.address() + ": IMAP sign-in failed: " + Problems.describe(e), e, true);
        } catch (FolderNotFoundException e) {
            disconnect();
            failed(source.address() + ": IMAP folder \"" + source.folder() + "\" does not exist", e, true);
        } catch (MessagingException | RuntimeException e) {
            disconnect();
            if (ahead != null) { // the server dropped it while it waited: sign in again at once, as if it had not been
                LOG.debug("{}: the connection signed in at start failed ({}); signing in again", source.address(),
                        Problems.describe(e));
                return connect();
            }
            String cause = Problems.describe(e);
            failed(cause.startsWith(source.address() + ":") ? cause // e.g. an OAuth token refresh that failed
                    : source.address() + ": IMAP connection to " + source.host() + ":" + source.port() + " failed: "
                    + cause, e, false);
        }
        return false;
    }

    /**
     * Connects and signs in (TLS, then LOGIN or XOAUTH2 with what the source's authenticator gives now); the caller
     * owns the connection.
     */
    static IMAPStore signIn(Session session, MailboxSource source) throws MessagingException {
        PasswordAuthentication auth = session.requestPasswordAuthentication(null, source.port(), "imaps", null,
                source.address());
        if (auth == null || auth.getPassword() == null) {
            throw new AuthenticationFailedException("the authenticator gave no credentials");
        }
        IMAPStore store = (IMAPStore) session.getStore("imaps");
        store.connect(source.host(), source.port(), auth.getUserName(), auth.getPassword());
        return store;
    }

    private PickupMode chooseMode(boolean idleOffered) {
        if (!source.idleEnabled()) {
            return PickupMode.POLL;
        }
        if (!idleOffered) {
            state.pollFallback("the server does not offer IDLE");
            return PickupMode.POLL;
        }
        if (!sockets.channelBacked()) {
            state.pollFallback("the connection does not run on a SocketChannel (is a proxy configured?)");
            return PickupMode.POLL;
        }
        return PickupMode.IDLE;
    }

    /**
     * Drops the current connection without using it again: its sockets are closed underneath. A broken connection
     * must not be closed through the folder: that could wait forever for an answer to DONE, or hand the IdleManager
     * a closed channel (which stops its select thread).
     */
    private void disconnect() {
        cancel(checkTimer);
        cancel(renewTimer);
        if (folder != null) {
            folder.events(null);
        }
        if (store != null) {
            state.disconnected();
        }
        sockets.closeAll();
        folder = null;
        store = null;
        idling = false;
    }

    private void shutdown() {
        cancel(checkTimer);
        cancel(renewTimer);
        cancel(retryTimer);
        if (signedInAhead != null) { // stopped before its first connect: the connection made for it is logged out
            store = signedInAhead;
            signedInAhead = null;
        }
        if (store != null) {
            try {
                if (folder != null) {
                    folder.events(null);
                    leaveIdle();
                    if (folder.isOpen()) {
                        folder.close(false); // UNSELECT (or EXAMINE + CLOSE): never expunges
                    }
                }
                store.close(); // LOGOUT
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("{}: closing the IMAP connection: {}", source.address(), Problems.describe(e));
            }
        }
        disconnect();
        started.completeExceptionally(new CancellationException(source.address() + ": pickup stopped"));
        stopped.complete(null);
        onStopped.run();
        LOG.debug("{}: pickup stopped", source.address());
    }

    // ------------------------------------------------------------------------------------------ failures

    private void connectionFailed(Exception e) {
        disconnect();
        String cause = silent
                ? "the server did not answer within " + shared.settings().idleResponseTimeout().toSeconds() + " s"
                : Problems.describe(e);
        failed(source.address() + ": IMAP connection to " + source.host() + ":" + source.port() + " lost: " + cause,
                e, false);
    }

    private void sinkFailed(PickupCycle.SinkFailure e) {
        Instant at = failed(source.address() + ": storing fetched mail failed: " + Problems.describe(e.getCause()),
                e.getCause(), false);
        deferredUntil = at; // new-mail notices wait for the retry; the connection and IDLE stay
    }

    /** Reports the failure and schedules the retry: a new connection, or only a new check when it stays open. */
    private Instant failed(String message, Throwable cause, boolean signIn) {
        failures++;
        PickupSettings s = shared.settings();
        Duration delay = Backoff.delay(failures, s.retryInitial(), signIn ? s.signInRetryMax() : s.retryMax());
        Instant at = Instant.now().plus(delay);
        state.failed(message, at, cause);
        started.completeExceptionally(new PickupException(message, cause));
        synchronized (lock) {
            pending &= ~(CHECK | RENEW | RECONNECT);
        }
        cancel(retryTimer);
        int retry = folder == null ? RECONNECT : CHECK_NOW;
        retryTimer = shared.timer().schedule(() -> request(retry), delay.toMillis(), TimeUnit.MILLISECONDS);
        return at;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public String toString() {
        return "MailboxWatch[" + source.id() + ", " + source.address() + "]";
    }
}
