package dev.emailchannel.testing;

import static dev.emailchannel.testing.RealMailServers.ALICE;
import static dev.emailchannel.testing.RealMailServers.BOB;
import static dev.emailchannel.testing.RealMailServers.CAROL;
import static dev.emailchannel.testing.RealMailServers.DAVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.net.ssl.SSLException;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/** Proves the real-server tier: TLS with strict certificate checks, the SMTP ports, passwords, OAuth, the helpers. */
class RealMailServersIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Store imaps(Properties props, String host, int port, String user, String secret) throws MessagingException {
        Store store = Session.getInstance(props).getStore("imaps");
        store.connect(host, port, user, secret);
        return store;
    }

    private static MimeMessage mail(Session session, String from, String to, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("hello from " + from, "UTF-8");
        m.saveChanges();
        return m;
    }

    /** Sends with the given properties/protocol and returns the Message-ID. */
    private static String send(Properties props, String protocol, String user, String secret, String to, String subject)
            throws MessagingException {
        Session session = Session.getInstance(props);
        MimeMessage m = mail(session, user, to, subject);
        try (Transport t = session.getTransport(protocol)) {
            t.connect(user, secret);
            t.sendMessage(m, m.getAllRecipients());
        }
        return m.getMessageID();
    }

    private static boolean causedBySsl(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void imapsSignInWithTrustStoreAndWrongPasswordFails() throws Exception {
        RealMailServers s = RealMailServers.get();
        try (Store store = imaps(s.imapsProperties(), s.host(), s.imapsPort(), ALICE, s.password(ALICE))) {
            assertThat(store.isConnected()).isTrue();
            assertThat(store.getFolder("INBOX").exists()).isTrue();
        }
        assertThatThrownBy(() -> imaps(s.imapsProperties(), s.host(), s.imapsPort(), ALICE, "wrong-secret").close())
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void submissionWithStartTlsRequiredDeliversToBob() throws Exception {
        RealMailServers s = RealMailServers.get();
        Properties p = s.submissionProperties();
        assertThat(p.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
        assertThat(p.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
        String id = send(p, "smtp", ALICE, s.password(ALICE), BOB, "submission " + UUID.randomUUID());
        RealMailServers.StoredMessage got = s.awaitMessage(BOB, id, WAIT);
        assertThat(got.from()).contains(ALICE);
        assertThat(got.seen()).isFalse();
    }

    @Test
    void submissionRejectsWrongPassword() {
        RealMailServers s = RealMailServers.get();
        assertThatThrownBy(() -> send(s.submissionProperties(), "smtp", ALICE, "nope", BOB, "x"))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void implicitTlsSmtpsDelivers() throws Exception {
        RealMailServers s = RealMailServers.get();
        String id = send(s.smtpsProperties(), "smtps", BOB, s.password(BOB), ALICE, "smtps " + UUID.randomUUID());
        assertThat(s.awaitMessage(ALICE, id, WAIT).subject()).startsWith("smtps ");
    }

    @Test
    void withoutTheTrustStoreTheHandshakeFails() {
        RealMailServers s = RealMailServers.get();
        // default JVM trust: the self-signed certificate must not be accepted (no trust-all anywhere)
        Properties imaps = new Properties();
        imaps.put("mail.imaps.ssl.enable", "true");
        imaps.put("mail.imaps.ssl.checkserveridentity", "true");
        imaps.put("mail.imaps.connectiontimeout", "10000");
        imaps.put("mail.imaps.timeout", "10000");
        assertThatThrownBy(() -> imaps(imaps, s.host(), s.imapsPort(), ALICE, s.password(ALICE)).close())
                .isInstanceOf(MessagingException.class)
                .matches(RealMailServersIT::causedBySsl, "caused by an SSLException");

        Properties submission = s.submissionProperties();
        submission.remove("mail.smtp.ssl.socketFactory");
        assertThatThrownBy(() -> send(submission, "smtp", ALICE, s.password(ALICE), BOB, "must not be sent"))
                .isInstanceOf(MessagingException.class)
                .matches(RealMailServersIT::causedBySsl, "caused by an SSLException");

        Properties smtps = s.smtpsProperties();
        smtps.remove("mail.smtps.ssl.socketFactory");
        assertThatThrownBy(() -> send(smtps, "smtps", ALICE, s.password(ALICE), BOB, "must not be sent"))
                .isInstanceOf(MessagingException.class)
                .matches(RealMailServersIT::causedBySsl, "caused by an SSLException");
    }

    @Test
    void hostNameAndIpAddressBothVerify() throws Exception {
        RealMailServers s = RealMailServers.get();
        for (String host : List.of("localhost", "127.0.0.1")) {
            try (Store store = imaps(s.imapsProperties(), host, s.imapsPort(), BOB, s.password(BOB))) {
                assertThat(store.isConnected()).as(host).isTrue();
            }
            Properties p = s.submissionProperties();
            p.put("mail.smtp.host", host);
            String id = send(p, "smtp", BOB, s.password(BOB), CAROL, "via " + host + " " + UUID.randomUUID());
            s.awaitMessage(CAROL, id, WAIT);
        }
    }

    @Test
    void passwordWithSpecialCharactersSignsIn() throws Exception {
        RealMailServers s = RealMailServers.get();
        assertThat(s.password(DAVE)).contains("+", "#", "%", ",", "\\");
        try (Store store = imaps(s.imapsProperties(), s.host(), s.imapsPort(), DAVE, s.password(DAVE))) {
            assertThat(store.isConnected()).isTrue();
        }
        String id = send(s.submissionProperties(), "smtp", DAVE, s.password(DAVE), DAVE, "self " + UUID.randomUUID());
        s.awaitMessage(DAVE, id, WAIT);
    }

    @Test
    void helpersDeliverListFlagAndClear() throws Exception {
        RealMailServers s = RealMailServers.get();
        s.clear(CAROL);
        assertThat(s.count(CAROL)).isZero();

        String id = s.deliverText("Bob <" + BOB + ">", CAROL, "Grüße aus dem Test", "Hallo Carol,\n.\nline with a dot\n");
        String raw = "From: someone@outside.example\r\nTo: alias@example.test\r\nSubject: raw one\r\n"
                + "Message-ID: <raw-" + UUID.randomUUID() + "@outside.example>\r\n\r\n.leading dot\r\nbody\r\n";
        s.deliver(CAROL, raw);
        List<RealMailServers.StoredMessage> all = s.awaitCount(CAROL, 2, WAIT);
        assertThat(s.unseenCount(CAROL)).isEqualTo(2);

        RealMailServers.StoredMessage text = all.stream().filter(m -> id.equals(m.messageId())).findFirst().orElseThrow();
        assertThat(text.subject()).isEqualTo("Grüße aus dem Test");
        assertThat(text.text().replace("\r\n", "\n")).isEqualTo("Hallo Carol,\n.\nline with a dot\n");
        assertThat(text.seen()).isFalse();
        RealMailServers.StoredMessage rawMsg = all.stream().filter(m -> "raw one".equals(m.subject())).findFirst().orElseThrow();
        assertThat(rawMsg.to()).containsExactly("alias@example.test");
        assertThat(rawMsg.rawText()).contains("\r\n.leading dot\r\n");

        // reading did not mark anything; flag one \Seen through IMAP and see it
        try (Store store = s.openStore(CAROL)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            for (Message m : inbox.getMessages()) {
                if ("raw one".equals(m.getSubject())) {
                    m.setFlag(Flags.Flag.SEEN, true);
                }
            }
            inbox.close(false);
        }
        assertThat(s.unseenCount(CAROL)).isEqualTo(1);
        assertThat(s.message(CAROL, rawMsg.messageId()).orElseThrow().seen()).isTrue();
        assertThat(s.message(CAROL, id).orElseThrow().flags()).doesNotContain("\\Seen");

        s.clear(CAROL);
        assertThat(s.count(CAROL)).isZero();
    }

    @Test
    void oauthXoauth2OnImapAndSmtp() throws Exception {
        RealMailServers o = RealMailServers.oauth();
        assertThat(o.oauthMode()).isTrue();
        assertThat(o.imapsPort()).isNotEqualTo(RealMailServers.get().imapsPort());

        Properties imap = o.imapsProperties();
        imap.put("mail.imaps.auth.mechanisms", "XOAUTH2");
        try (Store store = imaps(imap, o.host(), o.imapsPort(), ALICE, o.token(ALICE))) {
            assertThat(store.getFolder("INBOX").exists()).isTrue();
        }
        assertThatThrownBy(() -> imaps(imap, o.host(), o.imapsPort(), ALICE, "wrong-token").close())
                .isInstanceOf(AuthenticationFailedException.class);
        // a valid token of another user does not sign in as alice
        assertThatThrownBy(() -> imaps(imap, o.host(), o.imapsPort(), ALICE, o.token(BOB)).close())
                .isInstanceOf(AuthenticationFailedException.class);

        Properties smtp = o.submissionProperties();
        smtp.put("mail.smtp.auth.mechanisms", "XOAUTH2");
        String id = send(smtp, "smtp", BOB, o.token(BOB), ALICE, "xoauth2 " + UUID.randomUUID());
        o.awaitMessage(ALICE, id, WAIT);
        assertThatThrownBy(() -> send(smtp, "smtp", BOB, "wrong-token", ALICE, "must not be sent"))
                .isInstanceOf(AuthenticationFailedException.class);

        Properties smtps = o.smtpsProperties();
        smtps.put("mail.smtps.auth.mechanisms", "XOAUTH2");
        String id2 = send(smtps, "smtps", CAROL, o.token(CAROL), ALICE, "xoauth2 smtps " + UUID.randomUUID());
        o.awaitMessage(ALICE, id2, WAIT);

        // passwords keep working in OAuth mode (the helpers use them)
        try (Store store = imaps(o.imapsProperties(), o.host(), o.imapsPort(), DAVE, o.password(DAVE))) {
            assertThat(store.isConnected()).isTrue();
        }
    }
}
