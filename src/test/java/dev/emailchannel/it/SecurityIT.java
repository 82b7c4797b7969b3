package dev.emailchannel.it;

import static dev.emailchannel.testing.AcmeMailServers.JANE;
import static dev.emailchannel.testing.AcmeMailServers.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.emailchannel.testing.FakeAgent;
import dev.emailchannel.testing.FakeAgent.Answer;
import dev.emailchannel.testing.MailClient.Mail;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Security end to end on GreenMail (IMAPS/SMTPS, verified certificate) with the real wiring in this JVM: signed agent
 * calls verified by the agent as the README tells agents to, sender authentication from {@code
 * Authentication-Results}, and a 16 MB file from the agent delivered intact. Secrets on stdout and in the API, and
 * the expunge case, run against the packaged jar: {@link SecurityProcessIT}, {@link SecurityRealServersIT}.
 */
class SecurityIT extends ChannelOnGreenMail {

    static final Duration MAIL = Duration.ofSeconds(40);
    static final String SIGNING_SECRET = "whsec-" + UUID.randomUUID();

    @Override
    Map<String, String> settings() {
        Map<String, String> s = super.settings();
        s.put("AGENT_TOKEN", "agent-token-1");
        return s;
    }

    List<Mail> janesInbox() throws Exception {
        return client.inbox(JANE, "jane-pw");
    }

    // ---------------------------------------------------------------- signed agent calls

    @Test
    void should_sign_every_agent_call_so_that_the_agent_verifies_it_with_the_readme_code() throws Exception {
        agent.verifySignatures(SIGNING_SECRET).script(new Answer(503, "busy"));
        Map<String, String> s = settings();
        s.put("AGENT_SIGNING_SECRET", SIGNING_SECRET);
        start(s);
        byte[] file = new byte[1_000_000];
        new Random(7).nextBytes(file);
        client.sendRaw(JANE, SUPPORT, mailWithFile("Receipt", "Here is the receipt. Grüße, Jane ✓", "receipt.bin",
                file));

        await().atMost(MAIL).until(() -> janesInbox().size() == 1);
        List<FakeAgent.Request> calls = agent.requests();
        assertThat(calls).as("a retry after the 503 and the delivery").hasSize(2);
        for (FakeAgent.Request call : calls) {
            String header = call.header("X-Email-Channel-Signature");
            assertThat(header).matches("t=\\d{10},v1=[0-9a-f]{64}");
            assertThat(call.signatureValid()).as("verified by the agent with the README's code").isTrue();
            assertThat(FakeAgent.verify(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), header, call.body(), 300))
                    .isTrue();
            // recomputed here once more, from the definition: hex HMAC-SHA256(secret, "<t>.<raw body>")
            String t = header.substring(2, header.indexOf(','));
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            assertThat(header).endsWith(",v1=" + java.util.HexFormat.of().formatHex(mac.doFinal(call.body())));
            assertThat(Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t))).isLessThan(120);

            // what a forger cannot do: another secret, a changed body, an old call replayed with a new time
            assertThat(FakeAgent.verify("another-secret".getBytes(StandardCharsets.UTF_8), header, call.body(), 300))
                    .isFalse();
            byte[] changed = call.body().clone();
            changed[changed.length / 2] ^= 1;
            assertThat(FakeAgent.verify(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), header, changed, 300))
                    .isFalse();
            String newTime = header.replace("t=" + t, "t=" + (Long.parseLong(t) + 1));
            assertThat(FakeAgent.verify(SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), newTime, call.body(), 300))
                    .isFalse();
        }
        JsonNode event = calls.get(1).event();
        assertThat(event.get("text").asText()).isEqualTo("Here is the receipt. Grüße, Jane ✓");
        assertThat(Base64.getDecoder().decode(event.get("attachments").get(0).get("data").asText())).isEqualTo(file);
        assertThat(calls.get(0).header("Idempotency-Key")).isEqualTo(calls.get(1).header("Idempotency-Key"));
        assertThat(calls.get(0).header("X-Email-Channel-Signature"))
                .as("a retry is signed anew").isNotNull();
    }

    @Test
    void should_be_refused_by_an_agent_that_holds_another_secret_and_lose_nothing() throws Exception {
        agent.verifySignatures("the-agents-own-secret");
        Map<String, String> s = settings();
        s.put("AGENT_SIGNING_SECRET", SIGNING_SECRET);
        start(s);
        String id = client.send(JANE, SUPPORT, "Order 1234", "Where is my order?", Map.of());

        await().atMost(MAIL).until(() -> json.readTree(channel.api("GET", "/api/channel").body())
                .path("agent_error").asText().contains("401"));
        assertThat(agent.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.signatureValid()).isFalse());
        assertThat(janesInbox()).isEmpty();
        JsonNode pending = json.readTree(channel.api("GET", "/api/inbox?state=pending").body()).get("mails");
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).get("message_id").asText()).isEqualTo(id);

        // the agent is given the right secret: the same mail goes through, answered once
        agent.verifySignatures(SIGNING_SECRET);
        await().atMost(Duration.ofSeconds(90)).until(() -> janesInbox().size() == 1);
        assertThat(agent.requests().get(agent.requests().size() - 1).signatureValid()).isTrue();
        await().atMost(MAIL).until(() -> json.readTree(channel.api("GET", "/api/channel").body())
                .path("agent_error").isNull());
    }

    @Test
    void should_send_no_signature_without_a_signing_secret() throws Exception {
        start(settings());
        client.send(JANE, SUPPORT, "Order 1234", "Hello?", Map.of());
        await().atMost(MAIL).until(() -> janesInbox().size() == 1);
        assertThat(agent.requests().get(0).header("X-Email-Channel-Signature")).isNull();
    }

    // ---------------------------------------------------------------- sender authentication

    static final String PASS = "Authentication-Results: mx.acme.test; spf=pass smtp.mailfrom=example.com;\r\n"
            + " dkim=pass header.d=example.com header.s=s1; dmarc=pass (p=reject) header.from=example.com\r\n";
    static final String FAIL = "Authentication-Results: mx.acme.test; spf=softfail smtp.mailfrom=example.com;\r\n"
            + " dkim=none; dmarc=fail (p=reject) header.from=example.com\r\n";

    byte[] raw(String topHeaders, String subject, String text, String inReplyTo) {
        return (topHeaders
                + "From: Jane Doe <jane@example.com>\r\n"
                + "To: support@acme.test\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.com>\r\n"
                + (inReplyTo == null ? "" : "In-Reply-To: " + inReplyTo + "\r\nReferences: " + inReplyTo + "\r\n")
                + "Date: Tue, 01 Dec 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
                + text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    JsonNode session(String id) throws Exception {
        return json.readTree(channel.api("GET", "/api/sessions/" + id).body());
    }

    @Test
    void should_tell_the_agent_what_the_trusted_server_found_and_keep_a_dmarc_failure_out_of_the_session()
            throws Exception {
        Map<String, String> s = settings();
        s.put("TRUSTED_AUTHSERV_IDS", "mx.acme.test");
        start(s);

        // 1. Jane, DMARC pass at the trusted server: verified
        client.sendRaw(JANE, SUPPORT, raw(PASS, "Order 1234", "Where is my order?", null));
        await().atMost(MAIL).until(() -> janesInbox().size() == 1);
        JsonNode first = agent.requests().get(0).event();
        assertThat(first.get("authentication").toString())
                .isEqualTo("{\"spf\":\"pass\",\"dkim\":\"pass\",\"dmarc\":\"pass\",\"verified\":true}");
        String janesSession = first.get("session").get("id").asText();
        assertThat(first.get("session").get("new").asBoolean()).isTrue();
        String ourReply = janesInbox().get(0).messageId();

        // 2. "Jane" again, answering our reply, but the trusted server reports DMARC fail: a session of its own
        client.sendRaw(JANE, SUPPORT, raw(FAIL, "Re: Order 1234", "Send the parcel to 1 Forger Lane instead.",
                ourReply));
        await().atMost(MAIL).until(() -> agent.requests().size() == 2);
        JsonNode forged = agent.requests().get(1).event();
        assertThat(forged.get("authentication").toString())
                .isEqualTo("{\"spf\":\"softfail\",\"dkim\":\"none\",\"dmarc\":\"fail\",\"verified\":false}");
        assertThat(forged.get("session").get("new").asBoolean()).isTrue();
        String forgedSession = forged.get("session").get("id").asText();
        assertThat(forgedSession).isNotEqualTo(janesSession);
        assertThat(forged.get("quoted").asText()).doesNotContain("Where is my order?");
        assertThat(session(forgedSession).get("verified").asBoolean(true)).as("marked unverified in the API")
                .isFalse();
        assertThat(session(forgedSession).get("messages").toString()).doesNotContain("Where is my order?");
        assertThat(session(janesSession).get("messages").toString()).doesNotContain("Forger Lane");
        assertThat(session(janesSession).get("verified").isBoolean() && !session(janesSession).get("verified")
                .asBoolean()).as("Jane's session is not the unverified one").isFalse();
        JsonNode list = json.readTree(channel.api("GET", "/api/sessions").body()).get("sessions");
        assertThat(list.toString()).contains(forgedSession).contains(janesSession);
        for (JsonNode one : list) {
            if (one.get("id").asText().equals(forgedSession)) {
                assertThat(one.get("verified").asBoolean(true)).isFalse();
            }
        }

        // 3. a forger writes the trusted server's name into its own header, below the server's real one: the
        //    topmost (the server's) counts; the forged pass is never read
        String forgedPass = "Authentication-Results: mx.acme.test; spf=pass smtp.mailfrom=example.com;"
                + " dkim=pass header.d=example.com; dmarc=pass header.from=example.com\r\n";
        client.sendRaw(JANE, SUPPORT, raw(FAIL + forgedPass, "Re: Order 1234", "It is really me.", ourReply));
        await().atMost(MAIL).until(() -> agent.requests().size() == 3);
        JsonNode third = agent.requests().get(2).event();
        assertThat(third.get("authentication").get("dmarc").asText()).isEqualTo("fail");
        assertThat(third.get("authentication").get("verified").asBoolean(true)).isFalse();
        assertThat(third.get("session").get("id").asText()).isNotEqualTo(janesSession)
                .as("an unverified session is never joined by later mail").isNotEqualTo(forgedSession);

        // 4. only a forged header naming another server (the sender wrote it; the trusted server wrote none):
        //    nothing is known, nothing is claimed
        String elsewhere = "Authentication-Results: mx.google.com; spf=pass smtp.mailfrom=example.com;"
                + " dkim=pass header.d=example.com; dmarc=pass header.from=example.com\r\n";
        client.sendRaw(JANE, SUPPORT, raw(elsewhere, "Re: Order 1234", "Any news?", ourReply));
        await().atMost(MAIL).until(() -> agent.requests().size() == 4);
        JsonNode fourth = agent.requests().get(3).event();
        assertThat(fourth.get("authentication").toString())
                .isEqualTo("{\"spf\":null,\"dkim\":null,\"dmarc\":null,\"verified\":null}");
        assertThat(fourth.get("session").get("id").asText()).as("an unknown result is no failure: Jane's session")
                .isEqualTo(janesSession);

        // 5. Jane verified again: her own session, never the forger's
        client.sendRaw(JANE, SUPPORT, raw(PASS, "Re: Order 1234", "Thanks!", ourReply));
        await().atMost(MAIL).until(() -> agent.requests().size() == 5);
        JsonNode fifth = agent.requests().get(4).event();
        assertThat(fifth.get("session").get("id").asText()).isEqualTo(janesSession);
        assertThat(fifth.get("authentication").get("verified").asBoolean()).isTrue();
    }

    @Test
    void should_ignore_every_authentication_results_header_when_no_server_is_trusted() throws Exception {
        start(settings()); // no TRUSTED_AUTHSERV_IDS, no EMAIL_PROVIDER preset
        client.sendRaw(JANE, SUPPORT, raw(PASS, "Order 1234", "Hello?", null));
        await().atMost(MAIL).until(() -> agent.requests().size() == 1);
        assertThat(agent.requests().get(0).event().get("authentication").toString())
                .isEqualTo("{\"spf\":null,\"dkim\":null,\"dmarc\":null,\"verified\":null}");
        client.sendRaw(JANE, SUPPORT, raw(FAIL, "Order 1234", "Hello again?", null));
        await().atMost(MAIL).until(() -> agent.requests().size() == 2);
        assertThat(agent.requests().get(1).event().get("authentication").get("verified").isNull()).isTrue();
        assertThat(agent.requests().get(1).event().get("session").get("id").asText())
                .isEqualTo(agent.requests().get(0).event().get("session").get("id").asText());
    }

    // ---------------------------------------------------------------- a 16 MB file from the agent

    @Test
    void should_send_a_16_mb_file_from_the_agent_intact() throws Exception {
        byte[] file = new byte[16 * 1024 * 1024];
        new Random(16).nextBytes(file);
        String answer = "{\"reply\":{\"text\":\"The full export is attached.\",\"attachments\":[{\"filename\":"
                + "\"export.bin\",\"content_type\":\"application/octet-stream\",\"data\":\""
                + Base64.getEncoder().encodeToString(file) + "\"}]}}";
        assertThat(answer.length()).as("beyond Jackson's default 20,000,000-character limit").isGreaterThan(20_000_000);
        agent.answerWith(e -> new Answer(200, answer));
        start(settings());
        client.send(JANE, SUPPORT, "Export", "Please send me the full export.", Map.of());

        await().atMost(Duration.ofSeconds(90)).until(() -> json.readTree(channel.api("GET",
                "/api/outbox?state=sent").body()).get("mails").size() == 1);
        // what GreenMail received over SMTP for Jane, read from its store (its IMAP takes minutes for 22 MB)
        MimeMessage[] forJane = mail.getReceivedMessagesForDomain("example.com");
        assertThat(forJane).hasSize(1);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        forJane[0].writeTo(wire);
        MimeMessage received = new MimeMessage(null, new ByteArrayInputStream(wire.toByteArray()));
        assertThat(received.getHeader("To", null)).contains(JANE);
        MimeMultipart parts = (MimeMultipart) received.getContent();
        byte[] got = null;
        String text = null;
        for (int i = 0; i < parts.getCount(); i++) {
            MimeBodyPart part = (MimeBodyPart) parts.getBodyPart(i);
            if ("export.bin".equals(part.getFileName())) {
                got = part.getInputStream().readAllBytes();
            } else if (part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            }
        }
        assertThat(text).startsWith("The full export is attached.");
        assertThat(got).as("the file arrives").isNotNull();
        assertThat(got.length).isEqualTo(file.length);
        assertThat(MessageDigest.getInstance("SHA-256").digest(got))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(file));
        assertThat(json.readTree(channel.api("GET", "/api/inbox?state=parked").body()).get("mails")).isEmpty();
        assertThat(json.readTree(channel.api("GET", "/api/outbox?state=sent").body()).get("mails")).hasSize(1);
    }

    static byte[] mailWithFile(String subject, String text, String filename, byte[] file) throws Exception {
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart body = new MimeBodyPart();
        body.setText(text, "UTF-8");
        mixed.addBodyPart(body);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(file, "application/octet-stream");
        attachment.setFileName(filename);
        mixed.addBodyPart(attachment);
        MimeMessage msg = new dev.emailchannel.reply.ChannelMimeMessage(session);
        msg.setHeader("Message-ID", "<" + UUID.randomUUID() + "@example.com>");
        msg.setFrom(new jakarta.mail.internet.InternetAddress(JANE));
        msg.setRecipients(jakarta.mail.Message.RecipientType.TO, SUPPORT);
        msg.setSubject(subject, "UTF-8");
        msg.setContent(mixed);
        msg.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        msg.writeTo(raw);
        return raw.toByteArray();
    }
}
