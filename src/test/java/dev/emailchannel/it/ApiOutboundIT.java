package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.MailClient;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestTls;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent-first and asynchronous paths end to end over real HTTP, IMAPS and SMTPS (GreenMail): async replies in the
 * thread, outbound email with mailbox rotation and stickiness across a restart, campaigns, the outbox while SMTP is
 * down, and INBOUND_ENABLED=false.
 */
class ApiOutboundIT {

    static final String SUPPORT = "support@acme.test";
    static final String SALES = "sales@acme.test";
    static final String JANE = "jane@example.com";

    final ObjectMapper json = new ObjectMapper();
    GreenMail mail;
    FakeAgent agent;
    MailClient client;
    RunningChannel channel;

    @BeforeAll
    static void tls() {
        TestTls.install();
    }

    @BeforeEach
    void servers() throws Exception {
        mail = greenMail(0, 0, 0);
        agent = new FakeAgent().answerWith(e -> Answer.accepted());
        client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    static GreenMail greenMail(int smtp, int smtps, int imaps) {
        return AcmeMailServers.start(smtp, smtps, imaps);
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        agent.close();
        mail.stop();
    }

    Map<String, String> settings() {
        Map<String, String> s = AcmeMailServers.channelSettings(mail, agent.url());
        s.put("EMAIL_ADDRESS", SUPPORT + "," + SALES);
        s.put("EMAIL_PASSWORD", "support-pw,sales-pw");
        s.put("EMAIL_NAME", "Acme Support,Acme Sales");
        return s;
    }

    RunningChannel start(Map<String, String> settings) throws Exception {
        channel = RunningChannel.start(settings);
        channel.awaitStatus(ChannelStatus.RUNNING);
        return channel;
    }

    JsonNode post(String path, String body, int expectedStatus) throws Exception {
        HttpResponse<String> answer = channel.api("POST", path, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expectedStatus);
        return json.readTree(answer.body());
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = channel.api("GET", path);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    /** Emails GreenMail received for {@code address}. */
    List<MimeMessage> receivedBy(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address))) {
                out.add(m);
            }
        }
        return out;
    }

    List<MimeMessage> receivedIn(String domain) {
        return Arrays.stream(mail.getReceivedMessagesForDomain(domain)).toList();
    }

    static String from(MimeMessage m) throws Exception {
        return ((InternetAddress) m.getFrom()[0]).getAddress();
    }

    static String raw(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String message(String to, String subject, String text) {
        return "{\"to\":\"" + to + "\",\"subject\":\"" + subject + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void should_send_the_async_reply_in_the_thread_of_the_latest_customer_email_from_the_mailbox_that_received_it()
            throws Exception {
        start(settings());
        String first = client.send(JANE, SALES, "Order 1234", "Where is my order?", Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.requests().size() == 1);
        String second = client.send(JANE, SALES, "Re: Order 1234", "It was due Monday.",
                Map.of("In-Reply-To", first, "References", first, "Reply-To", "Jane Work <jane.work@example.com>"));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.requests().size() == 2);
        String session = agent.requests().get(1).event().get("session").get("id").asText();
        assertThat(receivedIn("example.com")).as("no synchronous reply").isEmpty();

        JsonNode queued = post("/api/sessions/" + session + "/messages", "{\"text\":\"It ships **today**.\","
                + "\"attachments\":[{\"filename\":\"label.txt\",\"content_type\":\"text/plain\",\"data\":\""
                + java.util.Base64.getEncoder().encodeToString("TRACK-1".getBytes()) + "\"}]}", 202);
        String messageId = queued.get("message_id").asText();
        assertThat(messageId).startsWith("<").endsWith("@acme.test>");
        assertThat(queued.get("session_id").asText()).isEqualTo(session);
        assertThat(queued.get("mailbox").asText()).isEqualTo(SALES);

        await().atMost(Duration.ofSeconds(20)).until(() -> receivedIn("example.com").size() == 1);
        MimeMessage reply = receivedIn("example.com").get(0);
        assertThat(reply.getRecipients(Message.RecipientType.TO)[0].toString()).contains("jane.work@example.com");
        assertThat(reply.getSubject()).isEqualTo("Re: Order 1234");
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(second);
        assertThat(reply.getHeader("References", null)).isEqualTo(first + " " + second);
        assertThat(reply.getMessageID()).isEqualTo(messageId);
        assertThat(from(reply)).isEqualTo(SALES);
        assertThat(raw(reply)).contains("It ships **today**.").contains("label.txt");

        JsonNode view = get("/api/sessions/" + session);
        assertThat(view.get("status").asText()).isEqualTo("OPEN");
        JsonNode messages = view.get("messages");
        assertThat(messages).extracting(m -> m.get("direction").asText()).containsExactly("IN", "IN", "OUT");
        assertThat(messages.get(0).get("message_id").asText()).isEqualTo(first);
        assertThat(messages.get(0).has("delivery")).isFalse();
        JsonNode out = messages.get(2);
        assertThat(out.get("message_id").asText()).isEqualTo(messageId);
        assertThat(out.get("in_reply_to").asText()).isEqualTo(second);
        assertThat(out.get("attachments").get(0).get("filename").asText()).isEqualTo("label.txt");
        assertThat(out.get("attachments").get(0).get("size").asLong()).isEqualTo(7);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/sessions/" + session).get("messages").get(2)
                .get("delivery").get("status").asText().equals("SENT"));

        JsonNode list = get("/api/sessions?customer=JANE@example.com&status=open").get("sessions");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asText()).isEqualTo(session);
        assertThat(get("/api/sessions?status=CLOSED").get("sessions")).isEmpty();
        assertThat(post("/api/sessions/" + session + "/close", "{}", 200).get("status").asText())
                .isEqualTo("CLOSED");
        assertThat(get("/api/sessions?status=CLOSED").get("sessions")).hasSize(1);
    }

    @Test
    void should_reply_in_an_outbound_only_session_in_the_thread_of_the_channel_s_last_email() throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        start(s);
        JsonNode sent = post("/api/messages", message("bob@example.com", "Your trial", "How is it going?"), 202);
        JsonNode reply = post("/api/sessions/" + sent.get("session_id").asText() + "/messages",
                "{\"text\":\"A reminder.\"}", 202);
        await().atMost(Duration.ofSeconds(20)).until(() -> receivedBy("bob@example.com").size() == 2);
        MimeMessage second = receivedBy("bob@example.com").stream()
                .filter(m -> uncheckedId(m).equals(reply.get("message_id").asText())).findFirst().orElseThrow();
        assertThat(second.getSubject()).isEqualTo("Re: Your trial");
        assertThat(second.getHeader("In-Reply-To", null)).isEqualTo(sent.get("message_id").asText());
        assertThat(from(second)).isEqualTo(sent.get("mailbox").asText());
    }

    dev.emailchannel.reply.OutboxSender outboxSender() {
        return channel.context().getRegistry().lookupByNameAndType("outboxSender",
                dev.emailchannel.reply.OutboxSender.class);
    }

    static String uncheckedId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_rotate_new_customers_over_the_mailboxes_and_keep_each_customer_s_mailbox_after_a_restart()
            throws Exception {
        Path db = Path.of("target", "it-db", UUID.randomUUID().toString()).toAbsolutePath();
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        s.put("DATABASE_URL", "jdbc:h2:file:" + db);
        start(s);
        List<String> mailboxes = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            mailboxes.add(post("/api/messages", message("c" + i + "@example.com", "Hello", "Hi"), 202)
                    .get("mailbox").asText());
        }
        assertThat(mailboxes).containsExactly(SUPPORT, SALES, SUPPORT, SALES);
        JsonNode again = post("/api/messages", message("C2@example.com", "Again", "Hi again"), 202);
        assertThat(again.get("mailbox").asText()).as("sticky, case-insensitive").isEqualTo(SALES);
        channel.close();
        channel = null;

        start(s);
        assertThat(post("/api/messages", message("c2@example.com", "After restart", "Hi"), 202)
                .get("mailbox").asText()).isEqualTo(SALES);
        assertThat(post("/api/messages", message("c1@example.com", "After restart", "Hi"), 202)
                .get("mailbox").asText()).isEqualTo(SUPPORT);
        assertThat(post("/api/messages", message("c5@example.com", "New", "Hi"), 202).get("mailbox").asText())
                .as("the rotation continues where it was").isEqualTo(SUPPORT);
        assertThat(post("/api/messages", message("c6@example.com", "New", "Hi"), 202).get("mailbox").asText())
                .isEqualTo(SALES);

        await().atMost(Duration.ofSeconds(20)).until(() -> receivedIn("example.com").size() == 9);
        for (MimeMessage m : receivedBy("c2@example.com")) {
            assertThat(from(m)).isEqualTo(SALES);
        }
        for (MimeMessage m : receivedBy("c1@example.com")) {
            assertThat(from(m)).isEqualTo(SUPPORT);
        }
        assertThat(receivedBy("c2@example.com")).hasSize(3);
        JsonNode sessions = get("/api/sessions?customer=c2@example.com").get("sessions");
        assertThat(sessions).as("one open outbound session per customer").hasSize(1);
        assertThat(sessions.get(0).get("origin").asText()).isEqualTo("OUTBOUND");
        assertThat(get("/api/sessions/" + sessions.get(0).get("id").asText()).get("messages")).hasSize(3);
    }

    @Test
    void should_join_the_outbound_session_when_the_customer_answers_the_sticky_mailbox() throws Exception {
        start(settings());
        post("/api/messages", message("first@example.com", "Hello", "Hi"), 202);
        JsonNode sent = post("/api/messages", message(JANE, "Your order", "It has shipped."), 202);
        assertThat(sent.get("mailbox").asText()).isEqualTo(SALES);
        await().atMost(Duration.ofSeconds(20)).until(() -> receivedBy(JANE).size() == 1);

        client.send(JANE, SALES, "Re: Your order", "Thanks! When will it arrive?",
                Map.of("In-Reply-To", sent.get("message_id").asText()));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.requests().size() == 1);
        JsonNode event = agent.requests().get(0).event();
        assertThat(event.get("session").get("id").asText()).isEqualTo(sent.get("session_id").asText());
        assertThat(event.get("session").get("new").asBoolean()).isFalse();
        assertThat(event.get("mailbox").asText()).isEqualTo(SALES);

        post("/api/sessions/" + sent.get("session_id").asText() + "/messages", "{\"text\":\"Tomorrow.\"}", 202);
        await().atMost(Duration.ofSeconds(20)).until(() -> receivedBy(JANE).size() == 2);
        MimeMessage answer = receivedBy(JANE).stream().filter(m -> !uncheckedId(m)
                .equals(sent.get("message_id").asText())).findFirst().orElseThrow();
        assertThat(from(answer)).isEqualTo(SALES);
        assertThat(answer.getSubject()).isEqualTo("Re: Your order");
    }

    @Test
    void should_deliver_a_campaign_of_50_participants_once_each_with_placeholders_filled() throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        s.put("MESSAGE_CONTENT_TYPE", "text/html");
        start(s);
        StringBuilder participants = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            participants.append(i == 0 ? "" : ",").append("{\"address\":\"p").append(i)
                    .append("@example.com\",\"vars\":{\"first_name\":\"P").append(i).append(" <&>\",\"code\":")
                    .append(1000 + i).append("}}");
        }
        JsonNode answer = post("/api/campaigns", "{\"subject\":\"Hello {{ first_name }}\",\"text\":\"Your code is "
                + "{{code}}.\",\"html\":\"<p>Your code is <b>{{ code }}</b>, {{first_name}}.</p>\","
                + "\"participants\":[" + participants + "]}", 202);
        assertThat(answer.get("count").asInt()).isEqualTo(50);
        assertThat(answer.get("messages")).extracting(m -> m.get("mailbox").asText()).containsOnly(SUPPORT, SALES);

        await().atMost(Duration.ofSeconds(30)).until(() -> receivedIn("example.com").size() >= 50);
        for (int i = 0; i < 50; i++) {
            List<MimeMessage> got = receivedBy("p" + i + "@example.com");
            assertThat(got).as("p" + i).hasSize(1);
            assertThat(got.get(0).getSubject()).isEqualTo("Hello P" + i + " <&>");
            assertThat(raw(got.get(0))).contains("Your code is " + (1000 + i) + ".")
                    .contains("<b>" + (1000 + i) + "</b>, P" + i + " &lt;&amp;&gt;.");
        }
        assertThat(channel.bean(dev.emailchannel.session.SessionStore.class).sessions(null, "OPEN")).hasSize(50)
                .allMatch(x -> x.origin().equals("OUTBOUND"));
        await().atMost(Duration.ofSeconds(10)).until(() -> channel.bean(dev.emailchannel.session.Outbox.class).due(
                java.time.Instant.now().plusSeconds(86_400), 100).isEmpty());
        assertThat(outboxSender().sendDue()).as("nothing left to send again").isZero();
        assertThat(receivedIn("example.com")).hasSize(50);
    }

    @Test
    void should_keep_emails_in_the_outbox_while_smtp_is_down_and_deliver_each_exactly_once_when_it_is_back()
            throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        start(s);
        int smtp = mail.getSmtp().getPort();
        int smtps = mail.getSmtps().getPort();
        int imaps = mail.getImaps().getPort();
        mail.stop();

        List<JsonNode> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(post("/api/messages", message("down" + i + "@example.com", "Queued " + i, "Hi"), 202));
        }
        String session = queued.get(0).get("session_id").asText();
        queued.add(post("/api/sessions/" + session + "/messages", "{\"text\":\"Follow-up\"}", 202));
        for (JsonNode q : queued) {
            assertThat(q.get("status").asText()).isEqualTo(Outbox.PENDING);
            assertThat(q.get("last_error").asText()).isNotBlank();
        }
        JsonNode delivery = get("/api/sessions/" + session).get("messages").get(0).get("delivery");
        assertThat(delivery.get("status").asText()).isEqualTo("PENDING");
        assertThat(delivery.get("last_error").asText()).isNotBlank();

        mail = greenMail(smtp, smtps, imaps);
        await().atMost(Duration.ofSeconds(40)).until(() -> receivedIn("example.com").size() == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/sessions/" + session).get("messages")
                .findValues("status").stream().allMatch(v -> v.asText().equals("SENT")));
        assertThat(outboxSender().sendDue()).as("nothing left to send again").isZero();
        assertThat(receivedIn("example.com")).hasSize(4);
        assertThat(receivedBy("down0@example.com")).hasSize(2);
        assertThat(receivedBy("down1@example.com")).hasSize(1);
    }

    @Test
    void should_poll_no_mailbox_when_inbound_is_disabled_while_outbound_and_the_api_work() throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        start(s);
        assertThat(channel.context().getRoutes()).extracting(r -> r.getRouteId())
                .noneMatch(id -> id.startsWith("inbound-"));
        assertThat(channel.context().getEndpoints()).extracting(e -> e.getEndpointUri())
                .noneMatch(uri -> uri.startsWith("imap"));
        client.send(JANE, SUPPORT, "Anyone?", "Hello", Map.of());
        JsonNode sent = post("/api/messages", message(JANE, "Hello from us", "Hi Jane"), 202);
        assertThat(sent.get("status").asText()).isEqualTo("SENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy(JANE).size() == 1);
        Thread.sleep(2500); // more than two CHECK_INTERVALs: nothing is polled
        assertThat(agent.requests()).isEmpty();
        assertThat(client.inbox(SUPPORT, "support-pw").get(0).seen()).isFalse();
        assertThat(get("/api/channel").get("inbound_enabled").asBoolean()).isFalse();
    }

    @Test
    void should_close_a_session_idle_for_longer_than_the_timeout_and_open_a_new_one_for_the_next_email()
            throws Exception {
        Map<String, String> s = settings();
        s.put("INBOUND_ENABLED", "false");
        s.put("SESSION_IDLE_TIMEOUT", "PT1S");
        start(s);
        JsonNode first = post("/api/messages", "{\"to\":\"idle@example.com\",\"subject\":\"Hi\","
                + "\"html\":\"<p>Only <b>HTML</b> here</p>\"}", 202);
        var closer = channel.context().getRegistry().lookupByNameAndType("sessionsApi",
                dev.emailchannel.api.SessionsApi.class);
        assertThat(channel.context().getRoute("session-idle-close")).as("the timer route").isNotNull();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300)).until(() -> closer.closeIdle() > 0);
        assertThat(get("/api/sessions/" + first.get("session_id").asText()).get("status").asText())
                .isEqualTo("CLOSED");
        JsonNode second = post("/api/messages", message("idle@example.com", "Again", "Hi"), 202);
        assertThat(second.get("session_id").asText()).isNotEqualTo(first.get("session_id").asText());
        assertThat(second.get("mailbox").asText()).as("still sticky").isEqualTo(first.get("mailbox").asText());

        await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy("idle@example.com").size() == 2);
        String htmlOnly = raw(receivedBy("idle@example.com").stream().filter(m -> uncheckedId(m)
                .equals(first.get("message_id").asText())).findFirst().orElseThrow());
        assertThat(htmlOnly).contains("text/plain").contains("Only HTML here").contains("<b>HTML</b>");
    }
}
