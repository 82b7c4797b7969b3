package dev.emailchannel.pickup;

import static dev.emailchannel.testing.RealMailServers.CAROL_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.testing.RealMailServers;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pickup engine against real Dovecot over IMAPS: IDLE, renewal, and the ways a real server goes away (its imap
 * process killed or hung, the whole server restarted).
 */
class PickupEngineDovecotIT {

    private static final String USER = CAROL_USER.address();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private RealMailServers servers;
    private PickupEngine engine;
    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void start() {
        servers = RealMailServers.get();
        servers.clear(USER);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private static PickupSettings fast() {
        return PickupSettings.defaults().withWorkers(2)
                .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .withIdle(Duration.ofMinutes(25), Duration.ofSeconds(2));
    }

    private MailboxWatch watch(PickupSettings settings, Duration checkInterval) throws Exception {
        engine = new PickupEngine(settings);
        return watchOn(engine, checkInterval);
    }

    private MailboxWatch watchOn(PickupEngine on, Duration checkInterval) throws Exception {
        MailboxWatch w = on.watch(source("INBOX", CAROL_USER.password(), checkInterval), sink, listener);
        w.started().get(30, TimeUnit.SECONDS);
        return w;
    }

    private MailboxSource source(String folder, String password, Duration checkInterval) {
        Properties p = new Properties();
        p.put("mail.imaps.ssl.socketFactory", servers.sslSocketFactory());
        return new MailboxSource("carol", USER, RealMailServers.HOST, servers.imapsPort(), folder, p,
                PickupEngineGreenMailIT.password(USER, password), null, true, checkInterval);
    }

    private void deliverAndAwaitStored(String subject) {
        servers.deliverText("jane@example.org", USER, subject, "Hello from " + subject);
        sink.awaitContaining("Subject: " + subject, WAIT);
    }

    /** Dovecot's logout line of the IMAP session served by this process: it says how many mail bodies it fetched. */
    private String logout(long process) throws java.io.IOException {
        return Files.readAllLines(servers.logDirectory().resolve("dovecot.log")).stream()
                .filter(l -> l.contains("imap(" + USER + ")<" + process + ">") && l.contains("Disconnected: Logged out"))
                .findFirst().orElse(null);
    }

    private long imapProcess() {
        return await().atMost(WAIT).until(() -> servers.imapProcesses(USER), l -> l.size() == 1).get(0);
    }

    @Test
    void should_store_mail_delivered_while_idling_without_waiting_for_the_poll() throws Exception {
        MailboxWatch w = watch(fast(), Duration.ofHours(1));
        assertThat(w.status().mode()).isEqualTo(PickupMode.IDLE);

        deliverAndAwaitStored("while idling");

        await().atMost(WAIT).untilAsserted(() -> assertThat(servers.messages(USER)).singleElement()
                .satisfies(m -> assertThat(m.seen()).isTrue()));
        assertThat(w.status().lastCheck()).isNotNull();
    }

    @Test
    void should_renew_idle_on_one_connection() throws Exception {
        MailboxWatch w = watch(fast().withIdle(Duration.ofMillis(500), Duration.ofSeconds(2)), Duration.ofHours(1));
        long process = imapProcess();

        await().atMost(WAIT).until(() -> w.status().idleRenewals() >= 3);

        deliverAndAwaitStored("after renewals");
        assertThat(servers.imapProcesses(USER)).containsExactly(process);
        assertThat(w.status().idleReconnects()).isZero();
    }

    @Test
    void should_reconnect_when_the_imap_process_is_killed() throws Exception {
        MailboxWatch w = watch(fast(), Duration.ofHours(1));
        long process = imapProcess();

        servers.signal(process, "KILL");

        await().atMost(WAIT).until(() -> w.status().idleReconnects() == 1);
        deliverAndAwaitStored("after the kill");
        assertThat(servers.imapProcesses(USER)).doesNotContain(process);
    }

    @Test
    void should_reconnect_when_the_imap_process_hangs() throws Exception {
        MailboxWatch w = watch(fast().withIdle(Duration.ofMinutes(25), Duration.ofSeconds(1)), Duration.ofSeconds(2));
        long process = imapProcess();

        servers.signal(process, "STOP"); // the connection stays up; nobody answers
        try {
            await().atMost(WAIT).until(() -> w.status().idleReconnects() == 1);
            assertThat(listener.events).contains("failed carol@example.test: IMAP connection to 127.0.0.1:" + servers.imapsPort()
                    + " lost: the server did not answer within 1 s");
            deliverAndAwaitStored("after the hang");
        } finally {
            servers.signal(process, "KILL");
        }
    }

    @Test
    void should_pick_up_again_after_the_server_restarts() throws Exception {
        MailboxWatch w = watch(fast(), Duration.ofHours(1));

        servers.restartDovecot(Duration.ofSeconds(2));

        await().atMost(WAIT).until(() -> w.status().idleReconnects() == 1 && w.status().connected());
        assertThat(listener.events).anyMatch(e -> e.startsWith("failed carol@example.test: IMAP connection"));
        deliverAndAwaitStored("after the restart");
        assertThat(w.status().error()).isNull();
    }

    @Test
    void should_flag_known_mail_without_the_server_sending_its_body() throws Exception {
        servers.deliverText("jane@example.org", USER, "stored before", "x");
        servers.deliverText("jane@example.org", USER, "new one", "y");
        servers.awaitCount(USER, 2, WAIT);
        try (Store store = servers.openStore(USER)) { // UIDs by subject, without fetching a body
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.getMessages()) {
                if ("stored before".equals(m.getSubject())) {
                    sink.alreadyStored.add(((UIDFolder) inbox).getUID(m));
                }
            }
        }
        assertThat(sink.alreadyStored).hasSize(1);

        watch(fast(), Duration.ofHours(1));
        long process = imapProcess();
        sink.awaitContaining("Subject: new one", WAIT);
        engine.close(); // logs out: Dovecot logs what the session fetched
        engine = null;

        String logout = await().atMost(WAIT).until(() -> logout(process), l -> l != null);
        assertThat(logout).contains(" body_count=1 ");
        assertThat(servers.messages(USER)).allMatch(RealMailServers.StoredMessage::seen);
        assertThat(sink.stored).hasSize(1);
    }

    @Test
    void should_store_again_the_mail_marked_stored_on_the_server_that_the_inbox_lost() throws Exception {
        for (String subject : List.of("kept", "lost one", "lost two")) {
            servers.deliverText("jane@example.org", USER, subject, "Hello from " + subject);
        }
        servers.awaitCount(USER, 3, WAIT);
        watch(fast(), Duration.ofHours(1));
        await().atMost(WAIT).until(() -> sink.stored.size() == 3);
        engine.close();
        engine = null;
        List<RealMailServers.StoredMessage> onServer = servers.messages(USER);
        assertThat(onServer).as("read, and marked as the channel's")
                .allMatch(m -> m.seen() && m.hasFlag(UidCommands.STORED));

        // the inbox's last write did not survive (an embedded database killed with the process): the two newest mails
        // are gone from it, though read on the server
        onServer.stream().filter(m -> !m.subject().equals("kept")).forEach(m -> sink.stored.remove(m.uid()));
        servers.deliverText("jane@example.org", USER, "new one", "y");
        servers.awaitCount(USER, 4, WAIT);
        watch(fast(), Duration.ofHours(1));

        sink.awaitContaining("Subject: lost one", WAIT);
        sink.awaitContaining("Subject: lost two", WAIT);
        sink.awaitContaining("Subject: new one", WAIT);
        assertThat(sink.stored).hasSize(4);
        assertThat(sink.batches.subList(1, sink.batches.size()).stream().flatMap(List::stream))
                .as("nothing but the lost mails and the new one fetched again").hasSize(3).doesNotHaveDuplicates();
        assertThat(servers.messages(USER)).allMatch(m -> m.seen() && m.hasFlag(UidCommands.STORED));
    }

    @Test
    void should_not_take_again_the_mail_marked_stored_when_the_inbox_holds_nothing() throws Exception {
        servers.deliverText("jane@example.org", USER, "answered long ago", "x");
        servers.awaitCount(USER, 1, WAIT);
        watch(fast(), Duration.ofHours(1));
        await().atMost(WAIT).until(() -> sink.stored.size() == 1);
        engine.close();
        engine = null;

        sink.stored.clear(); // a new, empty database: the mailbox's history is not the channel's work any more
        listener.events.clear();
        watch(fast(), Duration.ofHours(1));
        await().atMost(WAIT).until(() -> listener.events.stream().anyMatch(e -> e.startsWith("checked")));

        assertThat(sink.stored).isEmpty();
        assertThat(listener.events).contains("checked 0");
    }

    @Test
    void should_not_expunge_mail_a_person_deleted_when_stopping() throws Exception {
        servers.deliverText("jane@example.org", USER, "deleted by a person", "x");
        servers.awaitCount(USER, 1, WAIT);
        try (Store store = servers.openStore(USER)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.getMessages()) {
                m.setFlags(new Flags(Flags.Flag.DELETED), true);
            }
            inbox.close(false);
        }
        MailboxWatch w = watch(fast(), Duration.ofHours(1));
        deliverAndAwaitStored("to keep");

        w.stop();

        assertThat(servers.messages(USER)).hasSize(2).anyMatch(m -> m.hasFlag("\\Deleted"));
    }

    // ------------------------------------------------------------------------------------------ sign-in ahead

    @Test
    void should_watch_on_the_connection_the_sign_in_check_left_for_it() throws Exception {
        engine = new PickupEngine(fast());
        engine.signIn(source("INBOX", CAROL_USER.password(), Duration.ofHours(1)));
        long process = imapProcess(); // signed in, the folder checked, nothing selected

        MailboxWatch w = watchOn(engine, Duration.ofHours(1));
        deliverAndAwaitStored("after the sign-in check");

        assertThat(servers.imapProcesses(USER)).as("one sign-in: the check's connection is the pickup's")
                .containsExactly(process);
        assertThat(w.status().mode()).isEqualTo(PickupMode.IDLE);
        assertThat(listener.events).noneMatch(e -> e.startsWith("failed")).contains("connected IDLE");
    }

    @Test
    void should_sign_in_again_at_once_when_the_connection_left_for_it_died() throws Exception {
        engine = new PickupEngine(fast());
        engine.signIn(source("INBOX", CAROL_USER.password(), Duration.ofHours(1)));
        long process = imapProcess();
        servers.signal(process, "KILL");
        await().atMost(WAIT).until(() -> servers.imapProcesses(USER).isEmpty());

        MailboxWatch w = watchOn(engine, Duration.ofHours(1));
        deliverAndAwaitStored("after the check's connection died");

        assertThat(listener.events).as("no failure reported, no backoff").noneMatch(e -> e.startsWith("failed"));
        assertThat(servers.imapProcesses(USER)).hasSize(1).doesNotContain(process);
        assertThat(w.status().error()).isNull();
    }

    @Test
    void should_log_out_a_connection_no_watch_takes() throws Exception {
        engine = new PickupEngine(fast(), Duration.ofMillis(500));
        engine.signIn(source("INBOX", CAROL_USER.password(), Duration.ofHours(1)));
        long process = imapProcess();

        await().atMost(WAIT).until(() -> servers.imapProcesses(USER).isEmpty());
        assertThat(await().atMost(WAIT).until(() -> logout(process), l -> l != null)).as("a LOGOUT, not a cut")
                .contains("Logged out");

        watchOn(engine, Duration.ofHours(1)); // the watch that comes too late signs in on its own
        deliverAndAwaitStored("after the check's connection was logged out");
        assertThat(listener.events).noneMatch(e -> e.startsWith("failed"));
    }

    @Test
    void should_refuse_a_missing_folder_or_a_wrong_password_and_keep_no_connection() {
        engine = new PickupEngine(fast());

        assertThatThrownBy(() -> engine.signIn(source("Nope", CAROL_USER.password(), Duration.ofHours(1))))
                .isInstanceOf(FolderNotFoundException.class)
                .hasMessage("carol@example.test: IMAP folder \"Nope\" does not exist");
        assertThatThrownBy(() -> engine.signIn(source("INBOX", "wrong-secret", Duration.ofHours(1))))
                .isInstanceOf(AuthenticationFailedException.class);
        await().atMost(WAIT).until(() -> servers.imapProcesses(USER).isEmpty());
    }
}
