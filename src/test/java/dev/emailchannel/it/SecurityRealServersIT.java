package dev.emailchannel.it;

import static dev.emailchannel.testing.RealMailServers.ALICE;
import static dev.emailchannel.testing.RealMailServers.BOB;
import static dev.emailchannel.testing.RealMailServers.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.RealMailServers;
import dev.emailchannel.testing.RealMailServers.StoredMessage;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.search.MessageIDTerm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared mailbox on real Dovecot, where a person works next to the channel: what the person marked deleted is never
 * expunged by the channel, and a mail the person expunges while the channel works on it is not lost.
 */
class SecurityRealServersIT {

    static final Duration MAIL = Duration.ofSeconds(60);
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path work;
    FakeAgent agent;
    ChannelProcess channel;

    @BeforeEach
    void agent() throws Exception {
        agent = new FakeAgent();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        agent.close();
    }

    /** A person's mail client on the shared mailbox: flags one message, and expunges it (UID EXPUNGE) if asked. */
    static void personMarksDeleted(RealMailServers servers, String messageId, boolean seen, boolean expunge)
            throws Exception {
        try (Store store = servers.openStore(ALICE)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] found = inbox.search(new MessageIDTerm(messageId));
            assertThat(found).as(messageId + " on the server").hasSize(1);
            if (seen) {
                inbox.setFlags(found, new Flags(Flags.Flag.SEEN), true);
            }
            inbox.setFlags(found, new Flags(Flags.Flag.DELETED), true);
            if (expunge) {
                inbox.expunge(found); // UID EXPUNGE of this one message only
            }
            inbox.close(false);
        }
    }

    JsonNode api(String path) throws Exception {
        return json.readTree(channel.api("GET", path, null).body());
    }

    @Test
    void should_never_expunge_what_a_person_deleted_and_lose_nothing_a_person_expunges() throws Exception {
        RealMailServers servers = RealMailServers.get();
        servers.clear(ALICE);
        servers.clear(BOB);
        // a person read an older mail and marked it deleted, to expunge (or undo) later
        String old = servers.deliverText(CAROL, ALICE, "Old thread", "Done, thanks.");
        servers.awaitMessage(ALICE, old, MAIL);
        personMarksDeleted(servers, old, true, false);

        // while the agent works on Bob's mail (down once, then answering), the person expunges that mail
        AtomicInteger calls = new AtomicInteger();
        String[] bobsMail = new String[1];
        agent.answerWith(event -> {
            if (event.get("message_id").asText().equals(bobsMail[0]) && calls.incrementAndGet() == 1) {
                try {
                    personMarksDeleted(servers, bobsMail[0], false, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return new Answer(503, "down for a moment");
            }
            return Answer.reply("Thanks, we are on it.");
        });
        Map<String, String> env = servers.channelEnv(ALICE);
        env.put("CHECK_INTERVAL", "1");
        env.put("AGENT_URL", agent.url());
        channel = ChannelProcess.start(work, env, servers.trustStore());
        channel.awaitStatus("RUNNING");

        bobsMail[0] = servers.deliverText(BOB, ALICE, "Order 1234", "Where is my order?");
        StoredMessage reply = servers.awaitMessage(BOB, m -> m.rawText().contains("In-Reply-To: " + bobsMail[0]),
                MAIL);
        assertThat(reply.text()).contains("Thanks, we are on it.");
        assertThat(calls.get()).as("the agent was down once, then answered").isEqualTo(2);
        assertThat(servers.message(ALICE, bobsMail[0])).as("the person expunged it").isEmpty();

        // nothing lost, a clear state: delivered once, nothing pending or parked, no error
        JsonNode delivered = api("/api/inbox?state=delivered").get("mails");
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).get("message_id").asText()).isEqualTo(bobsMail[0]);
        assertThat(api("/api/inbox?state=pending").get("mails")).isEmpty();
        assertThat(api("/api/inbox?state=parked").get("mails")).isEmpty();
        JsonNode status = api("/api/channel");
        assertThat(status.get("status").asText()).isEqualTo("RUNNING");
        assertThat(status.get("error").isNull()).as(status.toString()).isTrue();
        assertThat(status.get("mailboxes").get(0).get("error").isNull()).as(status.toString()).isTrue();
        String session = api("/api/sessions").get("sessions").get(0).get("id").asText();
        assertThat(api("/api/sessions/" + session).get("messages")).extracting(m -> m.get("direction").asText())
                .containsExactly("IN", "OUT");

        // the channel goes on: the next mail is answered; the person's deleted mail is still there, never sent
        String next = servers.deliverText(BOB, ALICE, "Order 1234", "And my invoice?");
        servers.awaitMessage(BOB, m -> m.rawText().contains("In-Reply-To: " + next), MAIL);
        assertThat(agent.requests()).extracting(r -> r.event().get("message_id").asText())
                .containsExactly(bobsMail[0], bobsMail[0], next);
        StoredMessage stillThere = servers.message(ALICE, old).orElseThrow(
                () -> new AssertionError("the channel expunged a mail the person had marked deleted"));
        assertThat(stillThere.hasFlag("\\Deleted")).isTrue();

        // stopping (over the API, then SIGTERM) never expunges either
        assertThat(channel.api("POST", "/api/channel/stop", null).body()).contains("STOPPED");
        assertThat(channel.terminate(Duration.ofSeconds(30))).isIn(0, 130, 143);
        assertThat(servers.message(ALICE, old)).as("after the stop").isPresent();
        assertThat(servers.message(ALICE, next).orElseThrow().seen()).isTrue();
        assertThat(channel.log()).doesNotContain("Exception in thread");
    }
}
