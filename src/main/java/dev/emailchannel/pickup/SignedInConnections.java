package dev.emailchannel.pickup;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * IMAP connections signed in ahead of their mailbox's watch, by id: a start's sign-in check connects through the
 * engine ({@link PickupEngine#signIn}) and leaves its connection here, and the watch that follows takes it instead of
 * signing in a second time. A connection no watch takes within its time (the start failed, the channel was stopped
 * meanwhile) is logged out.
 */
final class SignedInConnections {

    /** How long a connection waits for its watch: a start's elections take milliseconds alone, seconds in a cluster. */
    static final Duration KEEP = Duration.ofSeconds(10);

    /** A signed-in connection with the session and socket factory it was made through (a watch needs all three). */
    record Connection(Session session, TrackingSocketFactory sockets, IMAPStore store) {

        /** {@code LOGOUT}; when that fails, the socket is closed instead. */
        void logOut() {
            try {
                store.close();
            } catch (MessagingException | RuntimeException e) {
                sockets.closeAll();
            }
        }
    }

    private final ConcurrentHashMap<String, Connection> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Executor logouts;
    private final Duration keep;

    /**
     * @param timer   ends a connection's wait
     * @param logouts logs a connection out (LOGOUT waits for the server's answer: never on the timer)
     */
    SignedInConnections(ScheduledExecutorService timer, Executor logouts, Duration keep) {
        this.timer = timer;
        this.logouts = logouts;
        this.keep = keep;
    }

    /** Leaves a connection for the watch of {@code id}; one left before and not taken is logged out. */
    void put(String id, Connection connection) {
        Connection before = waiting.put(id, connection);
        if (before != null) {
            logOutLater(before);
        }
        try {
            timer.schedule(() -> {
                if (waiting.remove(id, connection)) {
                    logOutLater(connection);
                }
            }, keep.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // the engine closed meanwhile: nobody will take it
            if (waiting.remove(id, connection)) {
                connection.sockets().closeAll();
            }
        }
    }

    /** The connection left for {@code id}, now the caller's; null when there is none. */
    Connection take(String id) {
        return waiting.remove(id);
    }

    /** Closes every connection still waiting, without a LOGOUT (the engine is closing). */
    void closeAll() {
        for (String id : waiting.keySet()) { // weakly consistent: removing while iterating is safe
            Connection c = waiting.remove(id);
            if (c != null) {
                c.sockets().closeAll();
            }
        }
    }

    private void logOutLater(Connection connection) {
        try {
            logouts.execute(connection::logOut);
        } catch (RejectedExecutionException e) { // the engine is closing
            connection.sockets().closeAll();
        }
    }
}
