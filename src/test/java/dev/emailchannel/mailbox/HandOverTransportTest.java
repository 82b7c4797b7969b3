package dev.emailchannel.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.emailchannel.testing.FakeSmtpServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The hand-over runs before the server has the whole mail; when it fails, the server never gets the mail's end. */
class HandOverTransportTest {

    @Test
    void should_run_the_hand_over_before_the_mail_is_complete_and_drop_the_mail_when_it_fails() throws Exception {
        try (FakeSmtpServer smtp = new FakeSmtpServer()) {
            Properties props = new Properties();
            props.put("mail.smtp.connectiontimeout", "10000");
            props.put("mail.smtp.timeout", "10000");
            Session session = Session.getInstance(props);

            List<Integer> takenAtHandOver = new ArrayList<>();
            HandOverTransport sending = new HandOverTransport(session, "smtp",
                    () -> takenAtHandOver.add(smtp.taken().size()));
            sending.connect("127.0.0.1", smtp.port(), null, null);
            MimeMessage first = mail(session, "First");
            sending.sendMessage(first, first.getAllRecipients());
            sending.close();
            assertThat(takenAtHandOver).as("the server did not have the mail yet").containsExactly(0);
            assertThat(smtp.accepted()).hasSize(1);

            HandOverTransport refused = new HandOverTransport(session, "smtp", () -> {
                throw new IllegalStateException("the claim ran out");
            });
            refused.connect("127.0.0.1", smtp.port(), null, null);
            MimeMessage second = mail(session, "Second");
            assertThatThrownBy(() -> refused.sendMessage(second, second.getAllRecipients()))
                    .isInstanceOf(MessagingException.class)
                    .hasStackTraceContaining("not handed over: the claim ran out");
            await().atMost(Duration.ofSeconds(10)).until(() -> smtp.discarded() == 1);
            assertThat(smtp.dataCommands()).as("the second mail's content was on its way").isEqualTo(2);
            assertThat(smtp.taken()).as("but never complete").hasSize(1);
            assertThat(smtp.accepted()).hasSize(1);
        }
    }

    private static MimeMessage mail(Session session, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("support@acme.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("jane@example.com"));
        m.setSubject(subject);
        m.setText("Hello\r\n".repeat(2000));
        m.saveChanges();
        return m;
    }
}
