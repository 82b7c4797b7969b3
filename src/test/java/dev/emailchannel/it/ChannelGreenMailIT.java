package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.MailClient.Mail;
import dev.emailchannel.testing.RunningChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole channel (real main wiring, real routes) against GreenMail over IMAPS and SMTPS on dynamic ports, with the
 * certificate verified through the JVM trust store, and a fake agent over HTTP.
 */
class ChannelGreenMailIT extends ChannelOnGreenMail {

    static final String SALES = "sales@acme.test";
    static final String JANE = "jane@example.com";

    @Override
    Map<String, String> settings() {
        Map<String, String> s = super.settings();
        s.put("AGENT_TOKEN", "agent-token-1");
        s.put("SMTP_SIGNATURE", "--\n{{ sender_name }} <{{ sender_email }}>");
        return s;
    }

    /** Starts the channel without waiting for RUNNING (some cases expect ERROR). */
    @Override
    RunningChannel start(Map<String, String> settings) throws Exception {
        channel = RunningChannel.start(settings);
        return channel;
    }

    List<Mail> inbox(String user, String pw) throws Exception {
        return client.inbox(user, pw);
    }

    @Test
    void should_answer_in_the_same_thread_and_join_the_session() throws Exception {
        start(settings()).awaitStatus(ChannelStatus.RUNNING);
        String id = client.send(JANE, SUPPORT, "Order 1234", "Where is my order?\n\nThanks,\nJane", Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(JANE, "jane-pw").size() == 1);
        FakeAgent.Request request = agent.requests().get(0);
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer agent-token-1");
        assertThat(request.header("Idempotency-Key")).isEqualTo(request.event().get("event_id").asText());
        assertThat(request.header("Subject")).as("no mail header leaks into HTTP").isNull();
        var event = request.event();
        assertThat(event.get("type").asText()).isEqualTo("message");
        assertThat(event.get("message_id").asText()).isEqualTo(id).startsWith("<");
        assertThat(event.get("session").get("new").isBoolean()).isTrue();
        assertThat(event.get("session").get("new").asBoolean()).isTrue();
        assertThat(event.get("mailbox").asText()).isEqualTo(SUPPORT);
        assertThat(event.get("from").get("address").asText()).isEqualTo(JANE);
        assertThat(event.get("subject").asText()).isEqualTo("Order 1234");
        assertThat(event.get("text").asText()).isEqualTo("Where is my order?\n\nThanks,\nJane");
        assertThat(event.get("auto_reply").asBoolean()).isFalse();
        assertThat(event.get("forwarded").isArray()).isTrue();
        assertThat(event.get("attachments").isArray()).isTrue();

        Mail reply = inbox(JANE, "jane-pw").get(0);
        assertThat(reply.subject()).isEqualTo("Re: Order 1234");
        assertThat(reply.inReplyTo()).isEqualTo(id);
        assertThat(reply.references()).isEqualTo(id);
        assertThat(reply.messageId()).endsWith("@acme.test>");
        assertThat(reply.from()).isEqualTo("Acme Support <support@acme.test>");
        assertThat(reply.text()).startsWith("Thanks, we are on it.").contains("Acme Support <support@acme.test>");
        assertThat(new String(reply.raw())).doesNotContain("Idempotency-Key").doesNotContain("agent-token-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> inbox(SUPPORT, "support-pw").get(0).seen());

        String second = client.send(JANE, SUPPORT, "Another topic", "And my invoice?", Map.of("In-Reply-To",
                reply.messageId()));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.requests().size() == 2);
        var event2 = agent.requests().get(1).event();
        assertThat(event2.get("session").get("id").asText()).isEqualTo(event.get("session").get("id").asText());
        assertThat(event2.get("session").get("new").asBoolean()).isFalse();
        assertThat(event2.get("message_id").asText()).isEqualTo(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(JANE, "jane-pw").size() == 2);

        SessionStore sessions = channel.bean(dev.emailchannel.session.SessionStore.class);
        assertThat(sessions.messages(event.get("session").get("id").asText()))
                .extracting(m -> m.direction()).containsExactly("IN", "OUT", "IN", "OUT");
    }

    @Test
    void should_keep_the_mail_pending_while_the_agent_fails_and_answer_once_when_it_recovers() throws Exception {
        agent.script(new Answer(503, "down"), new Answer(500, "still down"));
        start(settings()).awaitStatus(ChannelStatus.RUNNING);
        client.send(JANE, SUPPORT, "Help", "Hello?", Map.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> agent.requests().size() >= 2);
        // the mail is the channel's once stored: read on the server, pending in the inbox with its attempts
        assertThat(inbox(SUPPORT, "support-pw").get(0).seen()).as("marked read once stored").isTrue();
        JsonNode pending = json.readTree(channel.api("GET", "/api/inbox?state=pending").body()).get("mails");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(pending.get(0).get("last_error").asText()).contains("HTTP 50");
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(JANE, "jane-pw").size() == 1);
        Thread.sleep(3000); // several more polls: nothing is delivered or answered again
        assertThat(agent.requests()).hasSize(3);
        assertThat(agent.requests()).extracting(r -> r.header("Idempotency-Key")).containsOnly(
                agent.requests().get(0).header("Idempotency-Key"));
        assertThat(agent.requests()).extracting(r -> r.event().get("session").get("new").asBoolean())
                .containsOnly(true);
        assertThat(inbox(JANE, "jane-pw")).hasSize(1);
    }

    @Test
    void should_park_a_mail_the_agent_refuses_after_three_attempts() throws Exception {
        agent.answerWith(e -> new Answer(422, "{\"error\":\"cannot handle\"}"));
        start(settings()).awaitStatus(ChannelStatus.RUNNING);
        String id = client.send(JANE, SUPPORT, "Strange", "?", Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(channel.api("GET",
                "/api/inbox?state=parked").body()).get("mails").size() == 1);
        assertThat(inbox(SUPPORT, "support-pw").get(0).seen()).isTrue();
        assertThat(agent.requests()).hasSize(3);
        JsonNode parked = json.readTree(channel.api("GET", "/api/inbox?state=parked").body()).get("mails").get(0);
        assertThat(parked.get("message_id").asText()).isEqualTo(id);
        assertThat(parked.get("last_error").asText()).contains("HTTP 422");
        assertThat(parked.get("failures").asInt()).isEqualTo(3);
        var raw = channel.bean(dev.emailchannel.session.Inbox.class).raw(parked.get("id").asLong());
        assertThat(new String(raw)).contains("Subject: Strange");
        assertThat(inbox(JANE, "jane-pw")).isEmpty();

        // an operator puts it back once the agent is fixed: it is delivered and answered
        agent.answerWith(e -> Answer.reply("Now I can."));
        assertThat(channel.api("POST", "/api/inbox/" + parked.get("id").asText() + "/retry").statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(JANE, "jane-pw").size() == 1);
        assertThat(channel.api("POST", "/api/inbox/" + parked.get("id").asText() + "/retry").statusCode())
                .as("no longer parked").isEqualTo(409);
    }

    @Test
    void should_store_but_not_answer_auto_replies() throws Exception {
        start(settings()).awaitStatus(ChannelStatus.RUNNING);
        client.send(JANE, SUPPORT, "Out of office", "I am away until Monday.",
                Map.of("Auto-Submitted", "auto-replied"));
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(SUPPORT, "support-pw").get(0).seen());
        assertThat(agent.requests()).isEmpty();
        assertThat(inbox(JANE, "jane-pw")).isEmpty();
        var sessions = channel.bean(dev.emailchannel.session.SessionStore.class).sessions(JANE, null);
        assertThat(sessions).hasSize(1);
        assertThat(channel.bean(dev.emailchannel.session.SessionStore.class).messages(sessions.get(0).id()).get(0).autoReplyReason())
                .contains("Auto-Submitted");
    }

    @Test
    void should_answer_from_the_mailbox_that_received_the_mail() throws Exception {
        Map<String, String> s = settings();
        s.put("EMAIL_ADDRESS", SUPPORT + ", " + SALES);
        s.put("EMAIL_PASSWORD", "support-pw,sales-pw");
        s.put("EMAIL_NAME", "Acme Support,Acme Sales");
        start(s).awaitStatus(ChannelStatus.RUNNING);
        client.send(JANE, SALES, "Quote", "Price for 10 units?", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(JANE, "jane-pw").size() == 1);
        assertThat(inbox(JANE, "jane-pw").get(0).from()).isEqualTo("Acme Sales <sales@acme.test>");
        assertThat(agent.requests().get(0).event().get("mailbox").asText()).isEqualTo(SALES);
    }

    @Test
    void should_go_to_error_naming_the_account_and_protocol_and_keep_the_api_up() throws Exception {
        Map<String, String> s = settings();
        s.put("EMAIL_PASSWORD", "wrong-password");
        start(s).awaitStatus(ChannelStatus.ERROR);
        assertThat(channel.state().error()).contains("support@acme.test: IMAP sign-in failed")
                .contains("support@acme.test: SMTP sign-in failed").doesNotContain("wrong-password");

        assertThat(channel.get("/api/channel", null).statusCode()).isEqualTo(401);
        assertThat(channel.get("/api/channel", "nope").statusCode()).isEqualTo(401);
        var answer = channel.get("/api/channel", "test-api-token");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"ERROR\"").contains("IMAP sign-in failed")
                .contains("\"password\":\"********\"").doesNotContain("wrong-password")
                .doesNotContain("agent-token-1");
    }

    @Test
    void should_go_to_error_naming_a_missing_folder() throws Exception {
        Map<String, String> s = settings();
        s.put("IMAP_MAILBOX", "Support/Nope");
        start(s).awaitStatus(ChannelStatus.ERROR);
        assertThat(channel.state().error()).isEqualTo("support@acme.test: IMAP folder \"Support/Nope\" does not exist");
    }

    @Test
    void should_keep_mail_picked_up_while_smtp_was_still_checked_pending_and_call_no_agent() throws Exception {
        client.send(JANE, SUPPORT, "Before the start", "Where is my order?", Map.of());
        // an SMTP server that takes the connection and hangs up 5 s later: the IMAP sign-in worked long before, so
        // the mailbox's pickup ran while the start still waited for SMTP
        try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = hangsUp.accept()) {
                            Thread.sleep(5000);
                        }
                    }
                } catch (Exception e) {
                    // closed at the end of the test
                }
            }, "smtp-hangs-up");
            server.setDaemon(true);
            server.start();
            Map<String, String> s = settings();
            s.put("SMTP_PORT", String.valueOf(hangsUp.getLocalPort()));
            start(s).awaitStatus(ChannelStatus.ERROR);
        }
        assertThat(channel.state().error()).contains("support@acme.test: SMTP sign-in failed")
                .doesNotContain("IMAP sign-in failed");

        // the mail the pickup stored meanwhile is the channel's: read on the server, pending in the inbox, and no
        // agent call was made (the dispatch starts only once every sign-in worked)
        assertThat(inbox(SUPPORT, "support-pw").get(0).seen()).isTrue();
        JsonNode pending = json.readTree(channel.api("GET", "/api/inbox?state=pending").body()).get("mails");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("subject").asText()).isEqualTo("Before the start");
        assertThat(agent.requests()).isEmpty();

        // and the pickup was given up with the start: later mail stays unread on the server
        client.send(JANE, SUPPORT, "After the error", "Anyone there?", Map.of());
        Thread.sleep(3000);
        assertThat(inbox(SUPPORT, "support-pw")).filteredOn(m -> m.subject().equals("After the error"))
                .singleElement().satisfies(m -> assertThat(m.seen()).isFalse());
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void should_report_invalid_settings_as_error_naming_the_variable() throws Exception {
        Map<String, String> s = settings();
        s.remove("IMAP_SERVER");
        start(s).awaitStatus(ChannelStatus.ERROR);
        assertThat(channel.get("/api/channel", "test-api-token").body()).contains("IMAP_SERVER is required");
    }

    @Test
    void should_stop_and_start_over_the_api() throws Exception {
        start(settings()).awaitStatus(ChannelStatus.RUNNING);
        assertThat(channel.api("POST", "/api/channel/stop").body()).contains("\"status\":\"STOPPED\"");
        client.send(JANE, SUPPORT, "While stopped", "Anyone?", Map.of());
        Thread.sleep(2500);
        assertThat(agent.requests()).isEmpty();
        assertThat(channel.api("POST", "/api/channel/start").body()).contains("\"status\":\"RUNNING\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> inbox(JANE, "jane-pw").size() == 1);
    }

    @Test
    void should_give_the_agent_only_the_new_text_and_the_files_of_the_new_message() throws Exception {
        Map<String, String> s = settings();
        s.put("EMAIL_MAX_ATTACHMENT_BYTES", "2000");
        start(s).awaitStatus(ChannelStatus.RUNNING);

        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        jakarta.mail.internet.MimeMessage forwarded = new jakarta.mail.internet.MimeMessage(session);
        forwarded.setFrom(new jakarta.mail.internet.InternetAddress("courier@example.net", "Courier"));
        forwarded.setSubject("Delivery failed");
        forwarded.setText("We could not deliver parcel 77.");
        forwarded.saveChanges();

        jakarta.mail.internet.MimeMultipart mixed = new jakarta.mail.internet.MimeMultipart("mixed");
        jakarta.mail.internet.MimeBodyPart body = new jakarta.mail.internet.MimeBodyPart();
        body.setText("Here is the receipt, and the courier wrote me.\n\nThanks,\nJane\n\n"
                + "On Mon, 23 Nov 2026 at 10:00, Acme Support <support@acme.test> wrote:\n"
                + "> Please send us the receipt.\n> Acme Support\n", "UTF-8");
        mixed.addBodyPart(body);
        jakarta.mail.internet.MimeBodyPart receipt = new jakarta.mail.internet.MimeBodyPart();
        receipt.setContent("%PDF-1.4 receipt".getBytes(), "application/pdf");
        receipt.setFileName("receipt.pdf");
        mixed.addBodyPart(receipt);
        jakarta.mail.internet.MimeBodyPart big = new jakarta.mail.internet.MimeBodyPart();
        big.setContent(new byte[5000], "application/octet-stream");
        big.setFileName("big.bin");
        mixed.addBodyPart(big);
        jakarta.mail.internet.MimeBodyPart attached = new jakarta.mail.internet.MimeBodyPart();
        attached.setContent(forwarded, "message/rfc822");
        mixed.addBodyPart(attached);
        jakarta.mail.internet.MimeMessage msg = new dev.emailchannel.reply.ChannelMimeMessage(session);
        msg.setHeader("Message-ID", "<files-1@example.com>");
        msg.setFrom(new jakarta.mail.internet.InternetAddress(JANE));
        msg.setRecipients(jakarta.mail.Message.RecipientType.TO, SUPPORT);
        msg.setSubject("Re: Receipt");
        msg.setContent(mixed);
        msg.saveChanges();
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        msg.writeTo(raw);
        client.sendRaw(JANE, SUPPORT, raw.toByteArray());

        await().atMost(Duration.ofSeconds(30)).until(() -> agent.requests().size() == 1);
        var event = agent.requests().get(0).event();
        assertThat(event.get("text").asText()).isEqualTo("Here is the receipt, and the courier wrote me.\n\nThanks,\nJane");
        assertThat(event.get("attachments")).hasSize(1);
        assertThat(event.get("attachments").get(0).get("filename").asText()).isEqualTo("receipt.pdf");
        assertThat(java.util.Base64.getDecoder().decode(event.get("attachments").get(0).get("data").asText()))
                .isEqualTo("%PDF-1.4 receipt".getBytes());
        assertThat(event.get("skipped_attachments").toString()).contains("big.bin").contains("too_large");
        assertThat(event.get("forwarded")).hasSize(1);
        assertThat(event.get("forwarded").get(0).get("subject").asText()).isEqualTo("Delivery failed");
        assertThat(event.get("forwarded").get(0).get("text").asText()).contains("could not deliver parcel 77");

        // the same receipt again in the same session is not passed on twice
        msg.setHeader("Message-ID", "<files-2@example.com>");
        msg.saveChanges();
        raw.reset();
        msg.writeTo(raw);
        client.sendRaw(JANE, SUPPORT, raw.toByteArray());
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.requests().size() == 2);
        var second = agent.requests().get(1).event();
        assertThat(second.get("attachments")).isEmpty();
        assertThat(second.get("skipped_attachments").toString()).contains("receipt.pdf").contains("duplicate");
    }

    @Test
    void should_answer_a_person_who_writes_a_dozen_mails_every_time() throws Exception {
        start(settings()).awaitStatus(ChannelStatus.RUNNING);
        for (int i = 0; i < 12; i++) {
            client.send(JANE, SUPPORT, "Ticket " + i, "Question " + i, Map.of());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> inbox(JANE, "jane-pw").size() == 12);
        assertThat(agent.requests()).extracting(r -> r.event().get("text").asText())
                .as("one customer's mails in arrival order").containsExactly(java.util.stream.IntStream.range(0, 12)
                        .mapToObj(i -> "Question " + i).toArray(String[]::new));
        assertThat(json.readTree(channel.api("GET", "/api/outbox?state=held").body()).get("mails")).isEmpty();
    }

    @Test
    void should_hold_replies_beyond_the_cap_and_send_them_when_released() throws Exception {
        Map<String, String> s = settings();
        s.put("LOOP_GUARD_MAX_REPLIES", "3");
        start(s).awaitStatus(ChannelStatus.RUNNING);
        for (int i = 0; i < 5; i++) {
            client.send(JANE, SUPPORT, "Ticket " + i, "Robot mail " + i, Map.of());
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> agent.requests().size() == 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> json.readTree(channel.api("GET",
                "/api/outbox?state=held").body()).get("mails").size() == 2);
        assertThat(inbox(JANE, "jane-pw")).hasSize(3);
        JsonNode held = json.readTree(channel.api("GET", "/api/outbox?state=held").body()).get("mails");
        assertThat(held.get(0).get("hold_reason").asText()).contains("LOOP_GUARD_MAX_REPLIES=3");
        assertThat(held.get(0).get("to").asText()).isEqualTo(JANE);
        for (JsonNode h : held) {
            var released = channel.api("POST", "/api/outbox/" + h.get("id").asText() + "/release");
            assertThat(released.statusCode()).as(released.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox(JANE, "jane-pw").size() == 5);
        assertThat(channel.api("POST", "/api/outbox/" + held.get(0).get("id").asText() + "/release").statusCode())
                .as("not held any more").isEqualTo(409);
    }
}
