package dev.emailchannel.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.oauth.JdbcRefreshTokenStore;
import dev.emailchannel.oauth.StoredRefreshToken;
import dev.emailchannel.outbound.MailboxRotation;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which commits reach an embedded H2 file before the call returns (durable) and which wait for the next durable one
 * (lazy). The file is opened with a write delay of a minute, so that H2's own background write cannot hide a missing
 * flush; "unsaved" is what a crash at that moment would lose.
 */
class H2FlushTest {

    static final String BOX = "support@acme.test";
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    Database db;
    MVStore store;
    Inbox inbox;

    @BeforeEach
    void open() throws Exception {
        db = Database.open("jdbc:h2:file:" + dir.resolve("flush").toAbsolutePath() + ";WRITE_DELAY=60000", null, null);
        try (Connection c = db.dataSource().getConnection()) {
            store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
        }
        inbox = new Inbox(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private boolean unsaved() {
        return store.hasUnsavedChanges();
    }

    private Inbox.Claim storeAndClaim(String key, String customer) {
        inbox.store(List.of(new Inbox.NewMail(BOX, key, "event-" + key, "<" + key + "@x>", customer, customer, "Hi",
                null, null, ("raw " + key).getBytes(), T0)), T0);
        assertThat(unsaved()).as("a stored mail is marked read on the server right after: durable").isFalse();
        List<Inbox.Claim> claims = inbox.claim(new ArrayDeque<>(inbox.candidates(List.of(BOX), T0, 10)), List.of(BOX),
                "i1", T0, Duration.ofSeconds(30), 1);
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }

    private SessionRef storeInSession(Inbox.Claim claim, SessionStore sessions, String customer) {
        return inbox.storeInSession(claim, sessions, EmailAddress.of(customer), false, T0,
                (s, received) -> new StoredMessage(0, s.id(), "IN", BOX, claim.mail().messageId(), null, null,
                        customer, null, null, BOX, "Hi", "Hello", null, T0, List.of())).orElseThrow();
    }

    @Test
    void should_leave_claims_and_deliveries_without_reply_to_the_next_durable_commit() {
        Inbox.Claim claim = storeAndClaim("a", "jane@x");
        assertThat(unsaved()).as("a claim: a crash ends it anyway").isTrue();

        inbox.delivered(claim, null, null, T0);
        assertThat(unsaved()).as("delivered without a reply").isTrue();
        assertThat(inbox.find(claim.id()).orElseThrow().state()).as("seen by everyone at once")
                .isEqualTo(Inbox.DELIVERED);

        inbox.store(List.of(new Inbox.NewMail(BOX, "b", "event-b", "<b@x>", "bob@x", "bob@x", "Hi", null, null,
                "raw b".getBytes(), T0)), T0);
        assertThat(unsaved()).as("the next durable commit writes the lazy ones before it too").isFalse();
    }

    @Test
    void should_write_a_delivery_with_a_reply_before_the_reply_can_be_sent() {
        Inbox.Claim claim = storeAndClaim("a", "jane@x");
        inbox.delivered(claim, new Outbox.Draft(null, BOX, "<r@acme.test>", "jane@x", "Re: Hi", "raw".getBytes(), null),
                null, T0);
        assertThat(unsaved()).isFalse();
    }

    @Test
    void should_write_a_new_session_before_the_agent_hears_of_it_and_leave_a_joined_one_lazy() {
        SessionStore sessions = new SessionStore(db.dataSource(), "email", Duration.ofHours(24));
        Inbox.Claim first = storeAndClaim("a", "jane@x");
        SessionRef opened = storeInSession(first, sessions, "jane@x");
        assertThat(opened.isNew()).isTrue();
        assertThat(unsaved()).as("the agent may answer into the new session by its id").isFalse();

        inbox.delivered(first, null, null, T0);
        SessionRef joined = storeInSession(storeAndClaim("b", "jane@x"), sessions, "jane@x");
        assertThat(joined.isNew()).isFalse();
        assertThat(joined.id()).isEqualTo(opened.id());
        assertThat(unsaved()).as("joined: a retry after a crash joins the same session").isTrue();
    }

    @Test
    void should_write_what_the_other_writers_commit_on_their_own_connections() {
        storeAndClaim("a", "jane@x");
        assertThat(unsaved()).isTrue();
        new JdbcRefreshTokenStore(db.dataSource()).save(BOX, new StoredRefreshToken("r1", "sha"));
        assertThat(unsaved()).as("a rotated OAuth refresh token").isFalse();

        storeAndClaim("b", "bob@x");
        assertThat(unsaved()).isTrue();
        new MailboxRotation(db.dataSource(), "email").assign("carl@x", List.of(BOX, "sales@acme.test"), null, T0);
        assertThat(unsaved()).as("a customer's sender mailbox").isFalse();
    }

    @Test
    void should_write_reads_nothing() {
        storeAndClaim("a", "jane@x");
        assertThat(unsaved()).isTrue();
        inbox.knownUids(BOX, 7L, List.of(1L));
        inbox.raw(inboxId("a"));
        inbox.list(new Inbox.Filter(null, null, null), 10, null);
        assertThat(unsaved()).as("reads leave the lazy commit lazy").isTrue();
    }

    private long inboxId(String key) {
        return inbox.list(new Inbox.Filter(null, null, null), 10, null).stream()
                .filter(m -> m.messageKey().equals(key)).findFirst().orElseThrow().id();
    }
}
