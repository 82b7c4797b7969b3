package dev.emailchannel.pickup;

import jakarta.mail.MessagingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * One check of a mailbox: {@code UID SEARCH UNSEEN}; UIDs the sink already holds are only flagged {@code \Seen}; the
 * rest is fetched in batches bounded by count and bytes ({@code BODY.PEEK[]}, so nothing is marked read by fetching),
 * each batch stored by the sink and then flagged {@code \Seen} (and {@code $EmailChannelStored} where the server keeps
 * keywords) with one command; the next batch is fetched, and the one before flagged, while a batch is stored
 * ({@link Pipeline}). Repeats until the search finds nothing it has not handled in this check (mail that arrived
 * meanwhile is picked up in the same check; a UID whose flag did not stick cannot make it loop). The first check of a
 * watch also takes again the mail flagged as stored that the inbox lost.
 */
final class PickupCycle {

    /** The sink failed: the mails stay unread on the server and are tried again later. */
    static final class SinkFailure extends Exception {
        SinkFailure(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** At most this many UIDs per sink lookup, meta fetch and flag command (keeps command lines short). */
    static final int CHUNK = 500;

    private final PickupSink sink;
    private final PickupSettings settings;
    private final ByteBudget budget;
    private final ExecutorService stores;
    private final WatchState state;
    private boolean lostMailSought; // once per watch: the first check after a start looks for mail the inbox lost
    private boolean keywordRefused; // the server refused the keyword once: marked read without it for this watch

    PickupCycle(PickupSink sink, PickupSettings settings, ByteBudget budget, ExecutorService stores, WatchState state) {
        this.sink = sink;
        this.settings = settings;
        this.budget = budget;
        this.stores = stores;
        this.state = state;
    }

    /** @return the number of mails stored; stops early (after a whole batch) when {@code stopping} says so */
    int run(IMAPFolder folder, BooleanSupplier stopping) throws MessagingException, SinkFailure, InterruptedException {
        long uidValidity = folder.getUIDValidity();
        Set<Long> handled = new HashSet<>();
        int stored = 0;
        if (!lostMailSought) {
            stored += storeLostMail(folder, uidValidity, stopping);
            lostMailSought = true;
        }
        while (!stopping.getAsBoolean()) {
            List<Long> fresh = new ArrayList<>(UidCommands.searchUnseen(folder));
            fresh.removeAll(handled);
            if (fresh.isEmpty()) {
                break;
            }
            for (int i = 0; i < fresh.size() && !stopping.getAsBoolean(); i += CHUNK) {
                List<Long> chunk = fresh.subList(i, Math.min(fresh.size(), i + CHUNK));
                handled.addAll(chunk);
                stored += handle(folder, uidValidity, chunk, stopping);
            }
        }
        return stored;
    }

    /**
     * Mails flagged {@value UidCommands#STORED} on the server above the highest UID the inbox holds: the channel stored
     * them and marked them read, and the inbox no longer has them (an embedded database can lose its last writes when
     * the process is killed). They are stored again, as the unread ones are.
     */
    private int storeLostMail(IMAPFolder folder, long uidValidity, BooleanSupplier stopping)
            throws MessagingException, SinkFailure, InterruptedException {
        if (!keywords(folder)) {
            return 0;
        }
        Long highest;
        try {
            highest = sink.highestStored(uidValidity);
        } catch (Exception e) {
            throw new SinkFailure(e);
        }
        if (highest == null) {
            return 0;
        }
        List<Long> lost;
        try {
            lost = UidCommands.searchStoredAbove(folder, highest);
        } catch (MessagingException e) {
            if (!(e.getCause() instanceof CommandFailedException || e.getCause() instanceof BadCommandException)) {
                throw e;
            }
            state.lostMailSearchRefused(e.getMessage()); // the server cannot search for it: the pickup goes on
            return 0;
        }
        if (lost.isEmpty()) {
            return 0;
        }
        state.lostMailFound(lost.size(), highest);
        int stored = 0;
        for (int i = 0; i < lost.size() && !stopping.getAsBoolean(); i += CHUNK) {
            stored += handle(folder, uidValidity, lost.subList(i, Math.min(lost.size(), i + CHUNK)), stopping);
        }
        return stored;
    }

    private int handle(IMAPFolder folder, long uidValidity, List<Long> chunk, BooleanSupplier stopping)
            throws MessagingException, SinkFailure, InterruptedException {
        Set<Long> known = known(uidValidity, chunk);
        List<Long> alreadyStored = new ArrayList<>();
        List<Long> rest = new ArrayList<>();
        for (Long uid : chunk) {
            (known.contains(uid) ? alreadyStored : rest).add(uid);
        }
        if (!alreadyStored.isEmpty()) {
            markSeen(folder, alreadyStored);
        }
        if (rest.isEmpty()) {
            return 0;
        }
        Map<Long, UidCommands.Meta> meta = UidCommands.meta(folder, rest);
        Pipeline pipeline = new Pipeline(folder, uidValidity);
        try {
            List<Long> batch = new ArrayList<>();
            long batchBytes = 0;
            for (Long uid : rest) {
                UidCommands.Meta m = meta.get(uid);
                if (m == null) {
                    continue; // expunged meanwhile
                }
                if (!batch.isEmpty() && (batch.size() >= settings.batchMessages()
                        || batchBytes + m.size() > settings.batchBytes())) {
                    pipeline.fetchAndStore(batch, batchBytes, meta);
                    batch = new ArrayList<>();
                    batchBytes = 0;
                    if (stopping.getAsBoolean()) {
                        return pipeline.finish();
                    }
                }
                batch.add(uid);
                batchBytes += m.size();
            }
            if (!batch.isEmpty()) {
                pipeline.fetchAndStore(batch, batchBytes, meta);
            }
            return pipeline.finish();
        } finally {
            pipeline.abandon();
        }
    }

    /**
     * Fetching and flagging overlapped with storing: while the inbox stores a batch (on one of the engine's store
     * threads), this connection fetches the next one and then flags the one stored before. The mailbox's stores still
     * run one at a time and in UID order (a customer's mails keep their order in the inbox), a batch is flagged read
     * only once its store returned, and at most two batches are held, the second only when the byte budget has room
     * for it at once.
     */
    private final class Pipeline {
        /** A batch being stored: its mails, its store, its share of the byte budget. */
        private record Storing(List<FetchedMail> mails, Future<?> done, ByteBudget.Lease lease) {
        }

        private final IMAPFolder folder;
        private final long uidValidity;
        private int stored;
        private Storing storing; // null when no store runs

        Pipeline(IMAPFolder folder, long uidValidity) {
            this.folder = folder;
            this.uidValidity = uidValidity;
        }

        /**
         * Fetches a batch; once the previous batch is stored, starts storing this one and flags the previous one
         * meanwhile.
         */
        void fetchAndStore(List<Long> uids, long bytes, Map<Long, UidCommands.Meta> meta)
                throws MessagingException, SinkFailure, InterruptedException {
            ByteBudget.Lease next = storing == null ? null : budget.tryAcquire(bytes);
            if (next == null) {
                flag(awaitStored()); // no room for two batches: the previous one is finished first
                next = budget.acquire(bytes);
            }
            List<FetchedMail> mails;
            List<FetchedMail> previous;
            try {
                mails = UidCommands.bodies(folder, uids, meta);
                previous = awaitStored();
            } catch (Throwable e) {
                next.close();
                throw e;
            }
            if (mails.isEmpty()) {
                next.close();
            } else {
                storing = new Storing(mails, stores.submit(() -> {
                    sink.store(uidValidity, mails);
                    return null;
                }), next);
            }
            flag(previous);
        }

        /** Flags the batch still being stored once it is stored; returns how many mails were stored in all. */
        int finish() throws MessagingException, SinkFailure, InterruptedException {
            flag(awaitStored());
            return stored;
        }

        /** After a failure: waits until the batch being stored (if any) is done, and leaves it unflagged. */
        void abandon() {
            if (storing != null) {
                awaitUninterruptibly(storing.done());
                release();
            }
        }

        /** Waits for the batch being stored; returns its mails (null when none was being stored). */
        private List<FetchedMail> awaitStored() throws SinkFailure, InterruptedException {
            if (storing == null) {
                return null;
            }
            Storing current = storing;
            try {
                current.done().get();
            } catch (InterruptedException e) {
                awaitUninterruptibly(current.done()); // one store at a time per mailbox, even when told to stop
                throw e;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw new SinkFailure(cause);
                }
                throw (Error) e.getCause();
            } finally {
                if (current.done().isDone()) {
                    release();
                }
            }
            return current.mails();
        }

        /** Flags a stored batch read (nothing when null). */
        private void flag(List<FetchedMail> mails) throws MessagingException {
            if (mails == null) {
                return;
            }
            Instant storedAt = Instant.now();
            List<Long> storedUids = new ArrayList<>(mails.size());
            mails.forEach(m -> storedUids.add(m.uid()));
            markSeen(folder, storedUids);
            mails.forEach(m -> state.mailStored(m, storedAt));
            stored += mails.size();
        }

        private void release() {
            storing.lease().close();
            storing = null;
        }
    }

    private static void awaitUninterruptibly(Future<?> future) {
        boolean interrupted = false;
        while (true) {
            try {
                future.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break; // its outcome is not used
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Flags the mails read, with the keyword where the folder keeps keywords. A server that announces keywords and
     * then refuses this one (a keyword limit, say) gets the mails flagged read without it, from then on for this watch:
     * the mails must not stay unread because of the keyword.
     */
    private void markSeen(IMAPFolder folder, List<Long> uids) throws MessagingException {
        if (keywords(folder)) {
            try {
                UidCommands.markSeen(folder, uids, true);
                return;
            } catch (MessagingException e) {
                if (!(e.getCause() instanceof CommandFailedException refused)) {
                    throw e;
                }
                keywordRefused = true;
                state.keywordRefused(refused.getMessage());
            }
        }
        UidCommands.markSeen(folder, uids, false);
    }

    /** The keyword is set: the folder keeps keywords and the server has not refused this one. */
    private boolean keywords(IMAPFolder folder) {
        return !keywordRefused && UidCommands.keepsKeywords(folder);
    }

    private Set<Long> known(long uidValidity, List<Long> uids) throws SinkFailure {
        try {
            Set<Long> known = sink.known(uidValidity, List.copyOf(uids));
            return known == null ? Set.of() : known;
        } catch (Exception e) {
            throw new SinkFailure(e);
        }
    }
}
