package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GroupCommitTest {

    static Stream<String> databases() {
        return TestDatabases.kinds();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_commit_the_work_queued_meanwhile_together_each_failing_on_its_own(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            DataSource ds = withTestTable(db.dataSource());
            GroupCommit group = new GroupCommit(ds);
            CountDownLatch release = new CountDownLatch(1);

            // the first runs alone and holds its batch open until four others have queued behind it
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> group.inTransaction(c -> {
                Jdbc.update(c, "INSERT INTO group_test VALUES (1, 'first')");
                waitFor(release);
                return 1;
            }));
            await().atMost(Duration.ofSeconds(10)).until(() -> group.batches() == 1);
            CompletableFuture<Integer> second = insert(group, 2);
            CompletableFuture<Integer> duplicate = insert(group, 1); // refused by the primary key once 1 committed
            CompletableFuture<Integer> undone = CompletableFuture.supplyAsync(() -> group.inTransaction(c -> {
                Jdbc.update(c, "INSERT INTO group_test VALUES (4, 'undone')");
                throw new IllegalStateException("changed its mind");
            }));
            CompletableFuture<Integer> third = insert(group, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 4);
            release.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(3);
            assertThatThrownBy(() -> duplicate.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> undone.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IllegalStateException.class).hasMessage("changed its mind");
            assertThat(group.batches()).as("the four queued shared one commit").isEqualTo(2);
            assertThat(ids(ds)).as("each failed one rolled back to its savepoint, the others committed")
                    .containsExactly(1, 2, 3);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_hold_a_batch_open_for_company_only_after_a_shared_commit(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            DataSource ds = withTestTable(db.dataSource());
            GroupCommit group = new GroupCommit(ds, TimeUnit.SECONDS.toNanos(2));

            // after a commit alone the next runs at once: no wait for company
            long start = System.nanoTime();
            insert(group, 1).get(10, TimeUnit.SECONDS);
            insert(group, 2).get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("two alone, neither waited")
                    .isLessThan(Duration.ofSeconds(2));
            assertThat(group.batches()).isEqualTo(2);

            // a shared commit: two queued behind a held batch
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> held = holdBatch(group, release, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.batches() == 3);
            CompletableFuture<Integer> four = insert(group, 4);
            CompletableFuture<Integer> five = insert(group, 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 2);
            release.countDown();
            CompletableFuture.allOf(held, four, five).get(10, TimeUnit.SECONDS);
            assertThat(group.batches()).as("4 and 5 shared one").isEqualTo(4);

            // so the next batch waits for company, and one that comes meanwhile joins it
            CompletableFuture<Integer> six = insert(group, 6);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.batches() == 5 && group.waiting() == 1);
            CompletableFuture<Integer> seven = insert(group, 7);
            CompletableFuture.allOf(six, seven).get(10, TimeUnit.SECONDS);
            assertThat(group.batches()).as("6 held its batch open, 7 joined it").isEqualTo(5);
            assertThat(ids(ds)).containsExactly(1, 2, 3, 4, 5, 6, 7);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_roll_back_a_failing_transaction_that_ran_alone(String kind) {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            DataSource ds = withTestTable(db.dataSource());
            GroupCommit group = new GroupCommit(ds);

            int inserted = group.inTransaction(c -> Jdbc.update(c, "INSERT INTO group_test VALUES (1, 'a')"));
            assertThat(inserted).isEqualTo(1);
            assertThatThrownBy(() -> group.inTransaction(c -> {
                Jdbc.update(c, "INSERT INTO group_test VALUES (2, 'b')");
                return Jdbc.update(c, "INSERT INTO group_test VALUES (1, 'again')");
            })).isInstanceOf(StoreException.class);

            assertThat(ids(ds)).containsExactly(1);
            assertThat(group.batches()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_commit_exactly_what_its_callers_were_told_under_concurrency(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            DataSource ds = withTestTable(db.dataSource());
            new Jdbc(ds).update("INSERT INTO group_test VALUES (-1, 'there before')");
            GroupCommit group = new GroupCommit(ds);
            int threads = 8;
            int each = 150;
            Set<Integer> told = ConcurrentHashMap.newKeySet();
            AtomicInteger failures = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    runs.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            int id = thread * each + i;
                            try {
                                group.inTransaction(c -> {
                                    Jdbc.update(c, "INSERT INTO group_test VALUES (?, ?)", id, "row " + id);
                                    if (id % 7 == 3) {
                                        throw new IllegalStateException("undo " + id);
                                    }
                                    if (id % 11 == 5) { // a second row with the id of one there before: refused
                                        Jdbc.update(c, "INSERT INTO group_test VALUES (-1, 'again')");
                                    }
                                    return id;
                                });
                                told.add(id);
                            } catch (IllegalStateException | StoreException e) {
                                failures.incrementAndGet();
                            }
                        }
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            List<Integer> stored = new Jdbc(ds).query("SELECT id FROM group_test WHERE id >= 0", rs -> rs.getInt(1));
            assertThat(stored).hasSize(told.size()).containsExactlyInAnyOrderElementsOf(told);
            assertThat(told.size() + failures.get()).isEqualTo(threads * each);
            assertThat(failures.get()).as("each failing transaction failed alone").isGreaterThan(threads * each / 7);
            assertThat(group.batches()).as("transactions shared commits").isLessThan(threads * each);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void should_let_a_lazy_transaction_share_the_commit_of_a_durable_one(String kind) throws Exception {
        try (TestDatabases.TestDatabase db = TestDatabases.open(kind)) {
            DataSource ds = withTestTable(db.dataSource());
            GroupCommit group = new GroupCommit(ds);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> held = holdBatch(group, release, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.batches() == 1);
            // where every commit is durable (PostgreSQL; H2 in memory) a lazy transaction queues as a durable one
            // does, and the batch is written as its durable one must be
            CompletableFuture<Integer> lazy = CompletableFuture.supplyAsync(() -> group.inTransaction(false,
                    c -> Jdbc.update(c, "INSERT INTO group_test VALUES (2, 'lazy')")));
            CompletableFuture<Integer> durable = insert(group, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 2);
            release.countDown();
            CompletableFuture.allOf(held, lazy, durable).get(10, TimeUnit.SECONDS);
            assertThat(group.batches()).as("the lazy one shared the durable one's commit").isEqualTo(2);
            assertThat(ids(ds)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void should_run_a_lazy_transaction_at_once_on_an_embedded_h2_file(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("group").toAbsolutePath(), null, null)) {
            DataSource ds = withTestTable(db.dataSource());
            GroupCommit group = new GroupCommit(ds);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> held = holdBatch(group, release, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.batches() == 1);
            // its commit writes nothing to the file, so it does not wait for the batch held open
            int lazy = CompletableFuture.supplyAsync(() -> group.inTransaction(false,
                    c -> Jdbc.update(c, "INSERT INTO group_test VALUES (2, 'lazy')"))).get(5, TimeUnit.SECONDS);
            assertThat(lazy).isEqualTo(1);
            assertThat(ids(ds)).containsExactly(2);
            CompletableFuture<Integer> durable = insert(group, 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 1);
            assertThat(durable).isNotDone();
            release.countDown();
            CompletableFuture.allOf(held, durable).get(10, TimeUnit.SECONDS);
            assertThat(ids(ds)).containsExactly(1, 2, 3);
            // a lazy one that fails is rolled back alone, its caller gets the failure
            assertThatThrownBy(() -> group.inTransaction(false, c -> {
                Jdbc.update(c, "INSERT INTO group_test VALUES (4, 'undone')");
                return Jdbc.update(c, "INSERT INTO group_test VALUES (1, 'again')");
            })).isInstanceOf(StoreException.class);
            assertThat(ids(ds)).containsExactly(1, 2, 3);
        }
    }

    /** The database, with an empty table {@code group_test (id, v)} created in it. */
    private static DataSource withTestTable(DataSource ds) {
        new Jdbc(ds).update("CREATE TABLE group_test (id INT PRIMARY KEY, v VARCHAR(20))");
        return ds;
    }

    /** The ids in {@code group_test}, in order. */
    private static List<Integer> ids(DataSource ds) {
        return new Jdbc(ds).query("SELECT id FROM group_test ORDER BY id", rs -> rs.getInt(1));
    }

    /** A durable transaction that holds its batch open until {@code release}, then inserts {@code id}. */
    private static CompletableFuture<Integer> holdBatch(GroupCommit group, CountDownLatch release, int id) {
        return CompletableFuture.supplyAsync(() -> group.inTransaction(c -> {
            waitFor(release);
            return Jdbc.update(c, "INSERT INTO group_test VALUES (?, 'held')", id);
        }));
    }

    private static CompletableFuture<Integer> insert(GroupCommit group, int id) {
        return CompletableFuture.supplyAsync(() -> group.inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO group_test VALUES (?, ?)", id, "row " + id);
            return id;
        }));
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
