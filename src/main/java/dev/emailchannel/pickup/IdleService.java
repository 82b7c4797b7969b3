package dev.emailchannel.pickup;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.angus.mail.imap.IdleManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Angus Mail's {@link IdleManager}: one NIO selector thread ({@code pickup-idle}) watches the IDLE connections of all
 * mailboxes. It is given an executor of our own because of how it uses one: the select loop is its first task and
 * runs for the manager's whole life, and later tasks send DONE and read the answer for a folder that left IDLE while
 * the socket has a read timeout ({@code IdleManager.processKeys}). Those later tasks go to a bounded pool
 * ({@code pickup-idle-exit-N}, no more threads than workers: each waiting worker causes at most one). They must not
 * share the worker pool: a worker leaving IDLE waits for exactly such a task, so a full worker pool would wait on itself.
 *
 * <p>If the select thread ever dies (Angus Mail stops the manager on an unexpected I/O error), the next
 * {@link #watch} starts a new manager; folders of the dead one are watched again by their next check.
 */
final class IdleService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IdleService.class);

    private final ExecutorService idleExits;
    private final Session debugSession = Session.getInstance(new Properties());
    private IdleManager manager;
    private Thread selectThread;

    IdleService(ExecutorService idleExits) {
        this.idleExits = idleExits;
    }

    /** Starts IDLE on the folder (on the calling thread) and hands it to the select thread. */
    void watch(Folder folder) throws MessagingException {
        running().watch(folder);
    }

    private synchronized IdleManager running() throws MessagingException {
        if (manager != null && selectThread.isAlive()) {
            return manager;
        }
        if (manager != null) {
            LOG.warn("The IMAP IDLE select thread stopped; starting a new one");
        }
        AtomicReference<Thread> loop = new AtomicReference<>();
        try {
            manager = new IdleManager(debugSession, task -> {
                if (loop.get() == null) { // the constructor's call, on this thread: the select loop
                    Thread t = new Thread(task, "pickup-idle");
                    t.setDaemon(true);
                    loop.set(t);
                    t.start();
                } else {
                    idleExits.execute(task);
                }
            });
        } catch (IOException e) {
            throw new MessagingException("cannot open a selector for IMAP IDLE: " + e.getMessage(), e);
        }
        selectThread = loop.get();
        return manager;
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.stop();
            try {
                selectThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            manager = null;
        }
    }
}
