package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database keeps what it committed when the process is killed right after (kill -9: no shutdown hook,
 * no close): a mail stored in the inbox is marked read on the server at once, so losing the commit loses the mail.
 */
class DatabaseDurabilityTest {

    @TempDir
    Path dir;

    /**
     * In a JVM of its own: stores one mail in the inbox, then halts at once; with a second argument, first stores a mail
     * and claims it (a lazy commit), then stores the one mail.
     */
    public static void main(String[] args) {
        Database db = Database.open(args[0], null, null);
        Inbox inbox = new Inbox(db.dataSource());
        if (args.length > 1) {
            inbox.store(List.of(new Inbox.NewMail("support@acme.test", "key-0", "event-0", "<m0@example.org>",
                    "bob@example.org", null, "Order", null, null, new byte[] {'x'}, Instant.now())), Instant.now());
            inbox.claimNext(List.of("support@acme.test"), "killed", Instant.now(), Duration.ofHours(1))
                    .orElseThrow();
        }
        inbox.store(List.of(new Inbox.NewMail("support@acme.test", "key-1", "event-1",
                "<m1@example.org>", "jane@example.org", null, "Order", null, null, new byte[] {'x'}, Instant.now())),
                Instant.now());
        Runtime.getRuntime().halt(9); // as kill -9: nothing is closed or flushed
    }

    @Test
    void should_keep_a_committed_mail_when_the_process_dies_right_after_the_commit() throws Exception {
        String url = storeOneMailAndHalt("channel");
        assertHoldsTheMail(url);
    }

    /**
     * A lazy commit (a claim) is written with the durable one after it: the file holds both, although H2 itself would
     * have written the claim only a write delay later (an hour here).
     */
    @Test
    void should_keep_a_lazy_commit_made_before_a_durable_one() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("lazy").toAbsolutePath() + ";WRITE_DELAY=3600000";
        ChildJvm.Result child = ChildJvm.run(DatabaseDurabilityTest.class, List.of(), url, "claim first");
        assertThat(child.exitCode()).as("the child halted: %s", child.output()).isEqualTo(9);
        Database db = Database.open(url, null, null);
        try {
            List<Inbox.Mail> mails = new Inbox(db.dataSource()).list(new Inbox.Filter(null, null, null), 10, null);
            assertThat(mails).extracting(Inbox.Mail::messageId)
                    .containsExactlyInAnyOrder("<m0@example.org>", "<m1@example.org>");
            assertThat(mails).filteredOn(m -> m.messageId().equals("<m0@example.org>")).singleElement()
                    .satisfies(m -> assertThat(m.leaseOwner()).as("the claim").startsWith("killed#"));
        } finally {
            db.close();
        }
    }

    /** Runs {@link #main} on a new file: the mail stored, the process halted; returns the file's URL. */
    private String storeOneMailAndHalt(String name) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
        ChildJvm.Result child = ChildJvm.run(DatabaseDurabilityTest.class, List.of(), url);
        assertThat(child.exitCode()).as("the child stored the mail and halted: %s", child.output()).isEqualTo(9);
        return url;
    }

    private static void assertHoldsTheMail(String url) {
        Database db = Database.open(url, null, null);
        try {
            assertThat(new Inbox(db.dataSource()).list(new Inbox.Filter(null, null, null), 10, null))
                    .extracting(Inbox.Mail::messageId).containsExactly("<m1@example.org>");
        } finally {
            db.close();
        }
    }

    /**
     * A file left open by a killed process is scanned for its newest version before the pool opens it (H2 2.5.252's
     * own open can start from an older one, see {@link Database#recoverAfterUncleanEnd}); the scan closes it cleanly,
     * with the committed mail in it. The losing case itself is random: {@code bench/store-kill.sh} shows it.
     */
    @Test
    void should_close_a_file_left_open_by_a_killed_process_before_opening_it() throws Exception {
        String url = storeOneMailAndHalt("killed");
        Path file = dir.resolve("killed.mv.db");
        assertThat(Database.closedCleanly(file)).as("left open by the killed child").isFalse();

        Database.recoverAfterUncleanEnd(url);

        assertThat(Database.closedCleanly(file)).isTrue();
        assertHoldsTheMail(url);
        assertThat(Database.closedCleanly(file)).as("closed by the pool").isTrue();
    }

    @Test
    void should_leave_other_databases_and_missing_files_alone() {
        Database.recoverAfterUncleanEnd("jdbc:postgresql://db/x");
        Database.recoverAfterUncleanEnd("jdbc:h2:mem:x");
        Database.recoverAfterUncleanEnd("jdbc:h2:file:" + dir.resolve("none").toAbsolutePath());
        assertThat(dir.resolve("none.mv.db")).doesNotExist();
    }

    @Test
    void should_let_h2_hold_lazy_commits_briefly_unless_the_url_says_otherwise() {
        assertThat(Database.durable("jdbc:h2:file:./data/email-channel"))
                .isEqualTo("jdbc:h2:file:./data/email-channel;WRITE_DELAY=100");
        assertThat(Database.durable("jdbc:h2:file:./data/x;WRITE_DELAY=0")).isEqualTo("jdbc:h2:file:./data/x;WRITE_DELAY=0");
        assertThat(Database.durable("jdbc:h2:file:./data/x;write_delay=200")).isEqualTo("jdbc:h2:file:./data/x;write_delay=200");
        assertThat(Database.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
        assertThat(Database.durable("jdbc:postgresql://db/x")).isEqualTo("jdbc:postgresql://db/x");
    }
}
