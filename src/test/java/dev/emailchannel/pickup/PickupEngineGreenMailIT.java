package dev.emailchannel.pickup;

import static dev.emailchannel.testing.AcmeMailServers.JANE;
import static dev.emailchannel.testing.AcmeMailServers.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.ImapTap;
import dev.emailchannel.testing.MailClient;
import jakarta.mail.Authenticator;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pickup engine against GreenMail over IMAPS (directly, or through a tap that records what the client sent). */
class PickupEngineGreenMailIT {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private GreenMail mail;
    private MailClient client;
    private PickupEngine engine;
    private ImapTap tap;
    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final List<String> events = listener.events;

    @BeforeAll
    static void serverThreadsMayDie() {
        // a dropped connection makes GreenMail's handler thread end with an exception; that is not the test failing
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @AfterAll
    static void resetAwaitility() {
        Awaitility.reset();
    }

    @BeforeEach
    void start() {
        mail = AcmeMailServers.start();
        client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (tap != null) {
            tap.close();
        }
        mail.stop();
    }

    private static PickupSettings fast() {
        return PickupSettings.defaults().withWorkers(2)
                .withRetry(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
                .withIdle(Duration.ofMinutes(25), Duration.ofSeconds(2));
    }

    static Authenticator password(String user, String password) {
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(user, password);
            }
        };
    }

    private MailboxSource support(int port, boolean idle, Duration interval) {
        return new MailboxSource("support", SUPPORT, "127.0.0.1", port, "INBOX", new Properties(),
                password(SUPPORT, "support-pw"), null, idle, interval);
    }

    private MailboxWatch watch(PickupSettings settings, MailboxSource source) throws Exception {
        engine = new PickupEngine(settings);
        MailboxWatch w = engine.watch(source, sink, listener);
        w.started().get(20, TimeUnit.SECONDS);
        return w;
    }

    private ImapTap tap() throws Exception {
        tap = ImapTap.inFrontOf(mail.getImap().getPort());
        return tap;
    }

    private void send(String subject) throws Exception {
        client.send(JANE, SUPPORT, subject, "Hello, this is " + subject, Map.of());
    }

    /** Sends {@code n} mails ("prefix 0" …) and waits until the server holds them. */
    private void sendAll(int n, String prefix) throws Exception {
        for (int i = 0; i < n; i++) {
            send(prefix + " " + i);
        }
        await().atMost(WAIT).until(() -> mail.getReceivedMessages().length == n);
    }

    private List<MailClient.Mail> inbox() throws Exception {
        return client.inbox(SUPPORT, "support-pw");
    }

    @Test
    void should_store_mail_delivered_while_idling_without_waiting_for_the_poll() throws Exception {
        MailboxWatch w = watch(fast(), support(mail.getImaps().getPort(), true, HOUR));
        assertThat(w.status().mode()).isEqualTo(PickupMode.IDLE);

        send("while idling");

        FetchedMail stored = sink.awaitContaining("Subject: while idling", WAIT);
        assertThat(stored.internalDate()).isNotNull();
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox()).singleElement()
                .satisfies(m -> assertThat(m.seen()).isTrue()));
        assertThat(w.status().mailsStored()).isEqualTo(1);
        assertThat(w.status().connected()).isTrue();
    }

    @Test
    void should_renew_idle_and_keep_receiving() throws Exception {
        tap();
        MailboxWatch w = watch(fast().withIdle(Duration.ofMillis(400), Duration.ofSeconds(2)),
                support(tap.port(), true, HOUR));

        await().atMost(WAIT).until(() -> tap.count(c -> c.endsWith(" IDLE")) >= 4);
        assertThat(w.status().idleRenewals()).isGreaterThanOrEqualTo(3);
        assertThat(tap.count(c -> c.contains("UID SEARCH"))).as("a renewal is not a check").isEqualTo(1);

        send("after renewals");
        sink.awaitContaining("Subject: after renewals", WAIT);
        assertThat(tap.count(c -> c.matches("\\S+ LOGIN .*"))).as("one connection throughout: %s", tap.commands()).isEqualTo(1);
    }

    @Test
    void should_poll_when_the_server_does_not_offer_idle() throws Exception {
        tap().hideCapability("IDLE");
        MailboxWatch w = watch(fast(), support(tap.port(), true, Duration.ofMillis(500)));

        assertThat(w.status().mode()).isEqualTo(PickupMode.POLL);
        assertThat(w.status().pollFallbacks()).isEqualTo(1);
        assertThat(events).contains("poll fallback: the server does not offer IDLE");

        send("polled");
        sink.awaitContaining("Subject: polled", WAIT);
        assertThat(tap.count(c -> c.endsWith(" IDLE"))).isZero();
    }

    @Test
    void should_poll_when_idle_is_disabled() throws Exception {
        MailboxWatch w = watch(fast(), support(mail.getImaps().getPort(), false, Duration.ofMillis(500)));

        assertThat(w.status().mode()).isEqualTo(PickupMode.POLL);
        assertThat(w.status().pollFallbacks()).isZero();
        send("polled, idle off");
        sink.awaitContaining("Subject: polled, idle off", WAIT);
    }

    @Test
    void should_flag_known_mail_without_fetching_it() throws Exception {
        send("stored before");
        send("new one");
        await().atMost(WAIT).until(() -> inbox().size() == 2);
        long knownUid = uidOf("stored before");
        sink.alreadyStored.add(knownUid);
        tap();

        watch(fast(), support(tap.port(), true, HOUR));

        sink.awaitContaining("Subject: new one", WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox()).allSatisfy(m -> assertThat(m.seen()).isTrue()));
        assertThat(sink.stored).doesNotContainKey(knownUid);
        List<String> bodyFetches = tap.commands().stream().filter(c -> c.contains("BODY.PEEK[]")).toList();
        assertThat(bodyFetches).isNotEmpty().noneMatch(c -> uidSetOf(c).contains(knownUid));
        assertThat(tap.commands()).as("GreenMail keeps keywords: read, and marked as the channel's")
                .anyMatch(c -> c.contains("UID STORE " + knownUid + " +FLAGS.SILENT (\\Seen $EmailChannelStored)"));
    }

    @Test
    void should_mark_mail_read_without_the_keyword_when_the_server_refuses_it() throws Exception {
        tap().refuse(c -> c.contains("STORE") && c.contains(UidCommands.STORED), "[LIMIT] Too many keywords");
        watch(fast(), support(tap.port(), true, HOUR));

        send("keyword refused");
        sink.awaitContaining("Subject: keyword refused", WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox()).singleElement()
                .satisfies(m -> assertThat(m.seen()).as("read though the keyword was refused").isTrue()));
        send("after the refusal");
        sink.awaitContaining("Subject: after the refusal", WAIT);
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox()).hasSize(2)
                .allSatisfy(m -> assertThat(m.seen()).isTrue()));

        assertThat(tap.count(c -> c.contains(UidCommands.STORED))).as("the keyword is not tried again").isEqualTo(1);
        assertThat(sink.stored).hasSize(2);
        assertThat(listener.events).noneMatch(e -> e.startsWith("failed"));
    }

    @Test
    void should_go_on_picking_up_when_the_server_refuses_the_search_for_lost_mail() throws Exception {
        send("stored before");
        await().atMost(WAIT).until(() -> inbox().size() == 1);
        sink.alreadyStored.add(uidOf("stored before")); // the inbox holds mail: the first check looks for lost mail
        tap().refuse(c -> c.contains("SEARCH") && c.contains(UidCommands.STORED), "Unsupported search key");
        watch(fast(), support(tap.port(), true, HOUR));

        send("after the refused search");
        sink.awaitContaining("Subject: after the refused search", WAIT);

        assertThat(tap.count(c -> c.contains("SEARCH") && c.contains(UidCommands.STORED))).as("asked once").isEqualTo(1);
        assertThat(listener.events).noneMatch(e -> e.startsWith("failed"));
    }

    @Test
    void should_leave_mail_unread_while_the_sink_fails_and_store_it_later() throws Exception {
        sink.failuresLeft.set(2);
        send("one");
        send("two");
        await().atMost(WAIT).until(() -> inbox().size() == 2);
        engine = new PickupEngine(fast().withRetry(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(3)));
        MailboxWatch w = engine.watch(support(mail.getImaps().getPort(), true, HOUR), sink, listener);

        assertThatThrownBy(() -> w.started().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("support@acme.test: storing fetched mail failed: database is down");
        PickupStatus failing = w.status();
        assertThat(failing.error()).isEqualTo("support@acme.test: storing fetched mail failed: database is down");
        assertThat(failing.nextAttempt()).isNotNull();
        assertThat(inbox()).hasSize(2).noneMatch(MailClient.Mail::seen);

        await().atMost(WAIT).until(() -> sink.stored.size() == 2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox()).allMatch(MailClient.Mail::seen));
        await().atMost(WAIT).until(() -> w.status().error() == null);
        assertThat(w.status().nextAttempt()).isNull();
        assertThat(sink.storeCalls.get()).isEqualTo(3);
        assertThat(events).contains("recovered");
    }

    @Test
    void should_not_expunge_mail_a_person_deleted_when_stopping() throws Exception {
        send("to keep");
        send("deleted by a person");
        await().atMost(WAIT).until(() -> inbox().size() == 2);
        flagDeleted("deleted by a person");
        MailboxWatch w = watch(fast(), support(mail.getImaps().getPort(), true, HOUR));
        await().atMost(WAIT).until(() -> sink.stored.size() == 2);

        w.stop();

        assertThat(inbox()).hasSize(2);
        assertThat(w.status().connected()).isFalse();
    }

    @Test
    void should_reconnect_when_the_connection_goes_silent() throws Exception {
        tap();
        MailboxWatch w = watch(fast().withIdle(Duration.ofMinutes(25), Duration.ofSeconds(1)),
                support(tap.port(), true, Duration.ofSeconds(2)));
        assertThat(w.status().mode()).isEqualTo(PickupMode.IDLE);

        tap.freeze(); // the server stops answering; the TCP connection stays up

        await().atMost(WAIT).until(() -> w.status().idleReconnects() == 1);
        assertThat(events).anyMatch(e -> e.equals(
                "failed support@acme.test: IMAP connection to 127.0.0.1:" + tap.port() + " lost: the server did not answer within 1 s"));
        send("after silence");
        sink.awaitContaining("Subject: after silence", WAIT);
        assertThat(w.status().error()).isNull();
    }

    @Test
    void should_reconnect_when_the_server_drops_the_connection() throws Exception {
        tap();
        MailboxWatch w = watch(fast(), support(tap.port(), true, HOUR));

        tap.dropConnections();

        await().atMost(WAIT).until(() -> w.status().idleReconnects() == 1);
        assertThat(events).containsSubsequence("connected IDLE", "connected IDLE again");
        send("after the drop");
        sink.awaitContaining("Subject: after the drop", WAIT);
    }

    @Test
    void should_report_a_rejected_sign_in_and_tell_the_token_owner() throws Exception {
        AtomicInteger rejected = new AtomicInteger();
        engine = new PickupEngine(fast());
        MailboxWatch w = engine.watch(new MailboxSource("support", SUPPORT, "127.0.0.1", mail.getImaps().getPort(),
                "INBOX", new Properties(), password(SUPPORT, "wrong-secret"), rejected::incrementAndGet, true, HOUR),
                sink, listener);

        assertThatThrownBy(() -> w.started().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("support@acme.test: IMAP sign-in failed:");
        assertThat(rejected.get()).isGreaterThanOrEqualTo(1);
        PickupStatus s = w.status();
        assertThat(s.error()).startsWith("support@acme.test: IMAP sign-in failed:").doesNotContain("wrong-secret");
        assertThat(s.nextAttempt()).isNotNull();
        assertThat(s.connected()).isFalse();
    }

    @Test
    void should_report_a_missing_folder() throws Exception {
        engine = new PickupEngine(fast());
        MailboxWatch w = engine.watch(new MailboxSource("support", SUPPORT, "127.0.0.1", mail.getImaps().getPort(),
                "Nope", new Properties(), password(SUPPORT, "support-pw"), null, true, HOUR), sink, listener);

        assertThatThrownBy(() -> w.started().get(20, TimeUnit.SECONDS))
                .hasMessageContaining("support@acme.test: IMAP folder \"Nope\" does not exist");
    }

    @Test
    void should_fetch_a_backlog_in_batches_bounded_by_count_and_bytes() throws Exception {
        sendAll(120, "backlog");
        tap();

        watch(fast().withBatches(50, 1L << 20, 8L << 20), support(tap.port(), true, HOUR));

        assertThat(sink.stored).hasSize(120);
        assertThat(sink.batches).extracting(List::size).containsExactly(50, 50, 20);
        assertThat(tap.count(c -> c.contains("BODY.PEEK[]"))).isEqualTo(3);
        assertThat(inbox()).allMatch(MailClient.Mail::seen);
        assertBatchesInUidOrder();
    }

    @Test
    void should_fetch_the_next_batch_while_the_inbox_stores_the_previous_one() throws Exception {
        sendAll(30, "pipelined");
        tap();
        List<String> whileFirstStored = new java.util.concurrent.CopyOnWriteArrayList<>();
        sink.beforeStore = call -> {
            if (call == 1) { // the first batch's store waits until the second batch was fetched meanwhile
                await().atMost(WAIT).until(() -> tap.count(c -> c.contains("BODY.PEEK[]")) == 2);
                whileFirstStored.addAll(tap.commands());
            }
        };

        watch(fast().withBatches(10, 1L << 20, 8L << 20), support(tap.port(), true, HOUR));

        assertThat(sink.batches).extracting(List::size).containsExactly(10, 10, 10);
        assertThat(sink.mostAtOnce.get()).as("stores of one mailbox at once").isEqualTo(1);
        assertThat(whileFirstStored).as("nothing flagged before its store returned")
                .noneMatch(c -> c.contains(" STORE "));
        assertThat(inbox()).hasSize(30).allMatch(MailClient.Mail::seen);
        assertBatchesInUidOrder();
    }

    @Test
    void should_leave_a_batch_unread_when_its_store_fails_while_the_next_one_is_fetched() throws Exception {
        sendAll(30, "failing");
        sink.failCall = 2;
        java.util.concurrent.CountDownLatch retry = new java.util.concurrent.CountDownLatch(1);
        sink.beforeStore = call -> {
            if (call > 2) { // the retry waits until the state after the failure is checked
                await().atMost(WAIT).until(() -> retry.getCount() == 0);
            }
        };
        engine = new PickupEngine(fast().withBatches(10, 1L << 20, 8L << 20)
                .withRetry(Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(3)));
        MailboxWatch w = engine.watch(support(mail.getImaps().getPort(), true, HOUR), sink, listener);

        assertThatThrownBy(() -> w.started().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("storing fetched mail failed: database is down");
        assertThat(sink.batches).hasSize(1);
        assertThat(inbox()).filteredOn(MailClient.Mail::seen).hasSize(10); // the stored batch only
        retry.countDown();

        await().atMost(WAIT).until(() -> sink.stored.size() == 30);
        await().atMost(WAIT).untilAsserted(() -> assertThat(inbox()).hasSize(30).allMatch(MailClient.Mail::seen));
        assertThat(sink.mostAtOnce.get()).isEqualTo(1);
    }

    @Test
    void should_fetch_large_mails_in_batches_bounded_by_bytes() throws Exception {
        String body = "x".repeat(3000);
        for (int i = 0; i < 10; i++) {
            client.send(JANE, SUPPORT, "large " + i, body, Map.of());
        }
        await().atMost(WAIT).until(() -> mail.getReceivedMessages().length == 10);

        watch(fast().withBatches(50, 8000, 64000), support(mail.getImaps().getPort(), true, HOUR));

        assertThat(sink.stored).hasSize(10);
        for (List<Long> batch : sink.batches) {
            long bytes = batch.stream().mapToLong(uid -> sink.stored.get(uid).size()).sum();
            assertThat(batch.size() == 1 || bytes <= 8000).as("batch %s has %s bytes", batch, bytes).isTrue();
        }
        assertThat(sink.batches.size()).isGreaterThanOrEqualTo(4);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** The sink got each batch in ascending UID order, and each batch after the one before. */
    private void assertBatchesInUidOrder() {
        long lastUid = 0;
        for (List<Long> batch : sink.batches) {
            assertThat(batch).isSorted();
            assertThat(batch.get(0)).isGreaterThan(lastUid);
            lastUid = batch.get(batch.size() - 1);
        }
    }

    private static final Pattern UID_FETCH = Pattern.compile("UID FETCH ([0-9:,]+) ");

    private static List<Long> uidSetOf(String command) {
        Matcher m = UID_FETCH.matcher(command);
        if (!m.find()) {
            return List.of();
        }
        List<Long> uids = new java.util.ArrayList<>();
        for (String part : m.group(1).split(",")) {
            String[] range = part.split(":");
            long from = Long.parseLong(range[0]);
            long to = range.length > 1 ? Long.parseLong(range[1]) : from;
            for (long u = from; u <= to; u++) {
                uids.add(u);
            }
        }
        return uids;
    }

    private Store plainStore() throws Exception {
        Properties p = new Properties();
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", mail.getImap().getPort(), SUPPORT, "support-pw");
        return store;
    }

    private interface MessageWork {
        void on(Folder inbox, Message message) throws Exception;
    }

    /** Does something to the INBOX messages with this subject, as a person's mail client would. */
    private void withSubject(String subject, int mode, MessageWork work) throws Exception {
        try (Store store = plainStore()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(mode);
            for (Message m : inbox.getMessages()) {
                if (subject.equals(m.getSubject())) {
                    work.on(inbox, m);
                }
            }
            inbox.close(false);
        }
    }

    private long uidOf(String subject) throws Exception {
        long[] uid = {-1};
        withSubject(subject, Folder.READ_ONLY, (inbox, m) -> uid[0] = ((UIDFolder) inbox).getUID(m));
        return uid[0];
    }

    /** A person flags a mail \Deleted in their mail client (without expunging). */
    private void flagDeleted(String subject) throws Exception {
        withSubject(subject, Folder.READ_WRITE, (inbox, m) -> m.setFlags(new Flags(Flags.Flag.DELETED), true));
    }
}
