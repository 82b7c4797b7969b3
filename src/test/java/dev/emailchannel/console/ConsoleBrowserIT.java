package dev.emailchannel.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.ChannelProcess;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.MailClient;
import dev.emailchannel.testing.TestTls;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console in real headless Chromium (src/test/console/browser, playwright-core) against the packaged jar on
 * GreenMail with a fake agent: customers write first (a plain question, files of which one is too large, a session to
 * close, a mail the agent refuses until it is retried from the page), then the browser tests run, then, with
 * {@code CONSOLE_SCREENSHOTS=<folder>}, the screenshots of docs/, and last the first-render figure with 1,000
 * sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    static final String SUPPORT = AcmeMailServers.SUPPORT;
    static final String JANE = AcmeMailServers.JANE;
    static final String BOB = "bob@example.com";
    static final String ANN = "ann@example.com";
    static final String CARL = "carl@example.com";
    static final String REPLY = "Thanks for writing! Your order 1234 left our warehouse today.";
    static final String QUESTION = "Hello, where is my order 1234? It was due on Monday.";
    static final String PARKED_SUBJECT = "[park] Invoice 2026-118";
    static final String KEPT_FILE = "delivery-note.pdf";
    static final String SKIPPED_FILE = "scan-of-the-parcel.pdf";
    static final Duration MAIL = Duration.ofSeconds(60);

    Path work;

    GreenMail mail;
    FakeAgent agent;
    MailClient client;
    ChannelProcess channel;
    Path agentFlag;
    String base;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        // kept under target/ after the run: the channel's log is there
        work = Files.createDirectories(Path.of("target", "console-it").resolve("browser-" + System.currentTimeMillis()).toAbsolutePath());
        NodeTests.assumeRunnable();
        var tls = TestTls.install();
        mail = AcmeMailServers.start();
        client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
        agentFlag = work.resolve("agent-accepts-parked-mail");
        agent = new FakeAgent().answerWith(event -> event.path("subject").asText().startsWith("[park]")
                && !Files.exists(agentFlag)
                ? new Answer(422, "{\"error\": \"the agent cannot read this invoice\"}")
                : Answer.reply(REPLY));
        Map<String, String> env = new HashMap<>(AcmeMailServers.channelSettings(mail, agent.url()));
        env.put("CHANNEL_NAME", "Acme customer service");
        env.put("CHANNEL_DESCRIPTION", "Support and sales mailboxes, answered by the Acme agent");
        env.put("EMAIL_ADDRESS", SUPPORT + "," + AcmeMailServers.SALES);
        env.put("EMAIL_PASSWORD", "support-pw,sales-pw");
        env.put("EMAIL_NAME", "Acme Support,Acme Sales");
        env.put("EMAIL_MAX_ATTACHMENT_BYTES", "50000");
        env.put("SMTP_SIGNATURE", "--\n{{ sender_name }} <{{ sender_email }}>");
        channel = ChannelProcess.start(work.resolve("channel"), env, tls.trustStore());
        channel.awaitStatus("RUNNING");
        base = "http://127.0.0.1:" + ChannelPort.of(channel) + "/";
        seed();
    }

    @AfterAll
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    /** What the browser tests look at: real mails through the real channel, each answered by the agent. */
    void seed() throws Exception {
        client.send(JANE, SUPPORT, "Order 1234", QUESTION + "\n\nThanks,\nJane", Map.of());
        client.sendRaw(BOB, SUPPORT, withFiles(BOB, "Damaged parcel",
                "The parcel arrived damaged, see the files.\n\nBob"));
        client.send(ANN, AcmeMailServers.SALES, "Cancel my subscription", "Please cancel it at the end of the month.",
                Map.of());
        client.send(CARL, SUPPORT, PARKED_SUBJECT, "Why was I charged twice?", Map.of());
        awaitReply(JANE, 2);
        // a follow-up in the same thread: only the new text reaches the agent
        client.send(JANE, SUPPORT, "Re: Order 1234", "Can I still change the delivery address?\n\n> " + REPLY,
                Map.of());
        awaitReply(JANE, 4);
        awaitReply(BOB, 2);
        awaitReply(ANN, 2);
    }

    /** A mail with a small file the agent gets and one over EMAIL_MAX_ATTACHMENT_BYTES. */
    static byte[] withFiles(String from, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, SUPPORT);
        m.setSubject(subject);
        MimeMultipart parts = new MimeMultipart();
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        parts.addBodyPart(body);
        parts.addBodyPart(file(KEPT_FILE, 2_400));
        parts.addBodyPart(file(SKIPPED_FILE, 80_000));
        m.setContent(parts);
        m.saveChanges();
        // after saveChanges, which would set one of its own
        m.setHeader("Message-ID", "<" + UUID.randomUUID() + "@example.com>");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.writeTo(raw);
        return raw.toByteArray();
    }

    static MimeBodyPart file(String name, int size) throws Exception {
        byte[] data = new byte[size];
        new java.util.Random(size).nextBytes(data);
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new DataHandler(new ByteArrayDataSource(data, "application/pdf")));
        part.setFileName(name);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        return part;
    }

    /** Waits until the customer's session holds that many messages and the last one, the agent's reply, was sent. */
    void awaitReply(String customer, int messages) {
        Awaitility.await().atMost(MAIL).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            JsonNode list = api("sessions?customer=" + URLEncoder.encode(customer, StandardCharsets.UTF_8));
            JsonNode session = api("sessions/" + list.get("sessions").get(0).get("id").asText());
            JsonNode all = session.get("messages");
            JsonNode last = all.get(all.size() - 1);
            return all.size() >= messages && "OUT".equals(last.get("direction").asText())
                    && "SENT".equals(last.path("delivery").path("status").asText());
        });
    }

    JsonNode api(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/" + path))
                .header("Authorization", "Bearer " + ChannelProcess.API_TOKEN).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("CONSOLE_URL", base + "console/");
        env.put("CONSOLE_TOKEN", ChannelProcess.API_TOKEN);
        env.put("CONSOLE_MAILBOX", SUPPORT);
        env.put("CONSOLE_CUSTOMER", JANE);
        env.put("CONSOLE_TEXT", QUESTION);
        env.put("CONSOLE_REPLY", REPLY);
        env.put("CONSOLE_ATTACHMENT_CUSTOMER", BOB);
        env.put("CONSOLE_KEPT_FILE", KEPT_FILE);
        env.put("CONSOLE_SKIPPED_FILE", SKIPPED_FILE);
        env.put("CONSOLE_CLOSE_CUSTOMER", ANN);
        env.put("CONSOLE_PARKED_CUSTOMER", CARL);
        env.put("CONSOLE_PARKED_SUBJECT", PARKED_SUBJECT);
        env.put("CONSOLE_AGENT_FLAG", agentFlag.toString());
        // "true" once the channel has GET /api/inbox: the parked-mail test then must run instead of skipping
        env.put("CONSOLE_REQUIRE_INBOX", "true");
        return env;
    }

    @Test
    @Order(1)
    void console_in_the_browser() throws Exception {
        NodeTests.run(env(), "browser/console.test.mjs");
    }

    /** docs/console-screenshots.sh: the screenshots of the README, taken from this channel. */
    @Test
    @Order(2)
    void screenshots() throws Exception {
        String folder = System.getenv("CONSOLE_SCREENSHOTS");
        Assumptions.assumeTrue(folder != null && !folder.isBlank(), "CONSOLE_SCREENSHOTS is not set");
        Map<String, String> env = env();
        env.put("CONSOLE_SCREENSHOTS", Path.of(folder).toAbsolutePath().toString());
        NodeTests.script(env, "screenshots.mjs");
    }

    /** Prints the figure (also to target/console-first-render.txt); asserts only that the list is paginated. */
    @Test
    @Order(3)
    void first_render_with_1000_sessions() throws Exception {
        List<String> out = NodeTests.run(env(), "browser/first-render.test.mjs");
        List<String> figures = out.stream().filter(l -> l.contains("first render:"))
                .map(l -> l.substring(l.indexOf("first render:"))).toList();
        assertThat(figures).hasSize(4);
        Files.write(Path.of("target", "console-first-render.txt"), figures);
    }
}
