package dev.emailchannel.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Commits the short write transactions of concurrent threads together. A thread that finds no batch running runs
 * every transaction queued at that moment (its own included) in one database transaction, each in a savepoint of its
 * own, and commits once; the threads that queued meanwhile wait and the next of them runs the next batch. Alone, a
 * transaction runs at once, as by itself; under load several share one commit, and once the last batch had company a
 * new one waits up to {@link #LINGER_NANOS} for as many to join it (without that wait the dispatch workers of a
 * backlog mostly found no batch running and committed alone: 0.74-1.09 commits per mail in the dispatcher's benchmark
 * on H2, 0.35-0.59 with it). On an embedded H2 file a durable commit serialises and writes the changed pages to the
 * file (under one lock) as a chunk of its own, which a lazy one leaves to the next durable one ({@link H2Flush}): a
 * batch is written when any of its transactions must be durable. A lazy transaction on an embedded H2 file therefore
 * gains little from company and runs at once on a connection of its own; its commit reaches the file with the next
 * durable one, whoever makes it. On PostgreSQL each commit waits for its WAL record to reach the disk.
 * <p>
 * Each transaction fails on its own: one whose statements fail is rolled back to its savepoint and its caller gets the
 * failure, while the others commit. Only a failed commit (or connection) fails every transaction of its batch — and
 * then none of them took effect; a failed write of the H2 file fails the durable ones (they stand in memory only).
 * A transaction must not commit, roll back or change the connection's auto-commit itself; to undo its own changes it
 * throws, and its savepoint is rolled back.
 */
final class GroupCommit {

    /** At most this many transactions share a commit. */
    static final int MAX_BATCH = 16;

    /**
     * How long a batch waits for company once the previous one had some (other threads commit at about the same
     * time); a transaction that follows one that committed alone runs at once.
     */
    static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(1_000);

    private final DataSource dataSource;
    private final H2Flush flush;
    private final long lingerNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchDone = lock.newCondition();
    private final Condition queued = lock.newCondition();
    private final ArrayDeque<Task<?>> queue = new ArrayDeque<>();
    private boolean running;
    private long batches;
    private int lastBatchSize;

    GroupCommit(DataSource dataSource) {
        this(dataSource, LINGER_NANOS);
    }

    GroupCommit(DataSource dataSource, long lingerNanos) {
        this.dataSource = dataSource;
        this.flush = Jdbc.flushOf(dataSource);
        this.lingerNanos = lingerNanos;
    }

    /**
     * Runs {@code work} in a transaction, possibly shared with other threads' work, and returns once it committed
     * durably (as {@link Jdbc#inTransaction}).
     *
     * @throws StoreException when the database failed (the work's changes did not take effect)
     * @throws RuntimeException what the work threw (its changes were rolled back)
     */
    <T> T inTransaction(Jdbc.Work<T> work) {
        return inTransaction(true, work);
    }

    /**
     * As {@link #inTransaction(Jdbc.Work)}; when not {@code durable} the commit may be lost in a crash until the next
     * durable one (as {@link Jdbc#inLazyTransaction}). A shared commit is made durable when any of its work must be.
     */
    <T> T inTransaction(boolean durable, Jdbc.Work<T> work) {
        Task<T> task = new Task<>(work, durable);
        if (!durable && flush != H2Flush.NONE) {
            // on an embedded H2 file a lazy commit writes nothing to the file: waiting for a batch (a lock, a park,
            // the linger) cost the dispatch more than sharing the commit saved (bench/README.md)
            run(List.of(task));
            return task.outcome();
        }
        boolean interrupted = false;
        lock.lock();
        try {
            queue.add(task);
            queued.signal();
            while (!task.finished) {
                if (running) {
                    batchDone.awaitUninterruptibly();
                    continue;
                }
                running = true;
                batches++;
                if (lastBatchSize > 1) {
                    interrupted = linger();
                }
                List<Task<?>> batch = new ArrayList<>();
                while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(queue.poll());
                }
                lock.unlock();
                try {
                    run(batch);
                } finally {
                    lock.lock();
                    for (Task<?> t : batch) {
                        if (!t.committed && t.failed == null) { // run() ended by an Error: nothing committed
                            t.failed = new SQLException("the shared transaction was aborted");
                        }
                        t.finished = true;
                    }
                    running = false;
                    lastBatchSize = batch.size();
                    batchDone.signalAll();
                }
            }
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return task.outcome();
    }

    /**
     * Waits (holding the next batch open) until as many transactions are queued as the last batch had (its company is
     * likely to come again) or the linger time passed.
     *
     * @return whether the thread was interrupted meanwhile (the wait ends; the batch runs and commits first)
     */
    private boolean linger() {
        long left = lingerNanos;
        try {
            while (queue.size() < Math.min(MAX_BATCH, lastBatchSize) && left > 0) {
                left = queued.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /** Transactions waiting for a batch to take them (for tests). */
    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Batches run so far, each one commit (for tests). */
    long batches() {
        lock.lock();
        try {
            return batches;
        } finally {
            lock.unlock();
        }
    }

    /** Runs a batch: afterwards each task has its result, committed, or its failure. */
    private void run(List<Task<?>> batch) {
        boolean alone = batch.size() == 1;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Task<?> task : batch) {
                    Savepoint savepoint = alone ? null : c.setSavepoint();
                    try {
                        task.run(c);
                    } catch (SQLException | RuntimeException e) {
                        if (savepoint == null) {
                            c.rollback();
                        } else {
                            c.rollback(savepoint);
                        }
                        task.failed = e;
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            batch.forEach(t -> t.committed = t.failed == null);
        } catch (SQLException | RuntimeException e) {
            // the commit, a rollback or the connection failed: nothing of the batch took effect (unless only
            // closing the connection failed, after the commit)
            SQLException failure = e instanceof SQLException sql ? sql
                    : new SQLException("the shared transaction failed: " + e.getMessage(), e);
            for (Task<?> task : batch) {
                if (task.failed == null && !task.committed) {
                    task.failed = failure;
                }
            }
        }
        makeDurable(batch);
    }

    /**
     * Writes an embedded H2 file's store when a committed transaction of the batch must be durable; if that fails,
     * those transactions fail (committed in memory only: what a crash could undo).
     */
    private void makeDurable(List<Task<?>> batch) {
        if (batch.stream().noneMatch(t -> t.durable && t.committed)) {
            return;
        }
        try {
            flush.flush();
        } catch (StoreException e) {
            SQLException failure = e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
            for (Task<?> task : batch) {
                if (task.durable && task.committed) {
                    task.committed = false;
                    task.failed = failure;
                }
            }
        }
    }

    /**
     * One caller's work. The batch's thread sets the result and {@code committed}, or the failure, then (under the
     * lock) {@code finished}; the caller reads them once it saw {@code finished} under the lock.
     */
    private static final class Task<T> {
        private final Jdbc.Work<T> work;
        private final boolean durable;
        private T result;
        private Exception failed;
        private boolean committed;
        private boolean finished;

        Task(Jdbc.Work<T> work, boolean durable) {
            this.work = work;
            this.durable = durable;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }

        T outcome() {
            if (failed instanceof SQLException e) {
                throw new StoreException(e);
            }
            if (failed instanceof RuntimeException e) {
                throw e;
            }
            return result;
        }
    }
}
