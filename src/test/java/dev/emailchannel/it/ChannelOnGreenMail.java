package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.status.ChannelStatus;
import dev.emailchannel.testing.AcmeMailServers;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.MailClient;
import dev.emailchannel.testing.RunningChannel;
import dev.emailchannel.testing.TestDatabases;
import dev.emailchannel.testing.TestTls;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole channel in this JVM (real main wiring, real routes) against GreenMail over IMAPS and SMTPS, a fake agent
 * over HTTP, and PostgreSQL where a case is about PostgreSQL: what the inbox and outbox tests share.
 */
abstract class ChannelOnGreenMail {

    static final String SUPPORT = AcmeMailServers.SUPPORT;
    final ObjectMapper json = new ObjectMapper();

    GreenMail mail;
    FakeAgent agent;
    MailClient client;
    RunningChannel channel;
    String postgresSchema;

    @BeforeAll
    static void tls() {
        TestTls.install();
    }

    @BeforeEach
    void servers() throws Exception {
        mail = AcmeMailServers.start();
        agent = new FakeAgent();
        client = new MailClient("127.0.0.1", mail.getSmtp().getPort(), mail.getImap().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        agent.close();
        mail.stop();
        if (postgresSchema != null) {
            TestDatabases.dropPostgresSchema(postgresSchema);
        }
    }

    Map<String, String> settings() {
        return AcmeMailServers.channelSettings(mail, agent.url());
    }

    /** The settings on a fresh PostgreSQL schema ({@code postgresql}) or the default in-memory H2 ({@code h2}). */
    Map<String, String> settings(String database) {
        Map<String, String> s = settings();
        if (database.equals("postgresql")) {
            postgresSchema = TestDatabases.postgresSchema();
            s.put("DATABASE_URL", TestDatabases.postgresUrl(postgresSchema));
        }
        return s;
    }

    RunningChannel start(Map<String, String> settings) throws Exception {
        channel = RunningChannel.start(settings);
        channel.awaitStatus(ChannelStatus.RUNNING);
        return channel;
    }

    static String customer(int i) {
        return "customer" + i + "@example.com";
    }

    /** The mails the channel sent to this address (GreenMail keeps every mail it received). */
    List<MimeMessage> repliesTo(String address) throws Exception {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            if (Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                    .anyMatch(a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address))) {
                out.add(m);
            }
        }
        return out;
    }

    JsonNode inbox(String state) throws Exception {
        return apiGet("/api/inbox?state=" + state).get("mails");
    }

    JsonNode apiGet(String path) throws Exception {
        HttpResponse<String> answer = channel.api("GET", path);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json.readTree(answer.body());
    }

    static String text(JsonNode event) {
        return event.get("text").asText();
    }

    static String from(JsonNode event) {
        return event.get("from").get("address").asText();
    }

    HttpResponse<String> call(String body, String path, Map<String, String> headers) {
        try {
            return channel.api("POST", path, body, headers);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode find(JsonNode mails, String messageId) {
        for (JsonNode m : mails) {
            if (m.get("message_id").asText().equals(messageId)) {
                return m;
            }
        }
        throw new AssertionError("no mail " + messageId + " in " + mails);
    }

    /** A plain-text mail with exactly these header lines (CRLF line ends). */
    static byte[] raw(String headers, String body) {
        String text = headers + "\nDate: Tue, 1 Dec 2026 09:59:00 +0000\nMIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=UTF-8\n\n" + body + "\n";
        return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String fromAddress(MimeMessage m) {
        try {
            return ((InternetAddress) m.getFrom()[0]).getAddress();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(MimeMessage m) {
        try {
            Object content = m.getContent();
            return content instanceof String s ? s : String.valueOf(content);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
