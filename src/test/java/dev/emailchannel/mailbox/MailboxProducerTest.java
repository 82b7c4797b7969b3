package dev.emailchannel.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.connect.SmtpSecurity;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.reply.ChannelMimeMessage;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code mailbox:} producer on a plain exchange against a real SMTP server (GreenMail on a free port, which greets
 * in clear text and offers no STARTTLS): the complete message goes out as given from the mailbox's runtime, Message-ID
 * kept, nothing of the exchange added; a refused sign-in and an unreachable server fail the send.
 */
class MailboxProducerTest {

    static final String BOX = "support@acme.test";
    static final String JANE = "jane@example.com";

    final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    final CamelContext camel = new DefaultCamelContext();

    MailboxProducerTest() {
        smtp.start();
        smtp.setUser(BOX, BOX, "support-pw");
        smtp.setUser(JANE, JANE, "jane-pw");
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        smtp.stop();
    }

    Mailbox mailbox(int smtpPort, String password) {
        return Mailbox.of(new MailboxSettings(0, new EmailAddress(BOX, "Acme Support"), new Secret(password),
                "127.0.0.1", 993, "127.0.0.1", smtpPort, MailboxSettings.SmtpEncryption.AUTO, "Acme Support",
                "INBOX", "text/plain", null), null);
    }

    /** Not used by sending; the component needs one for its consumers. */
    final dev.emailchannel.pickup.PickupEngine pickup = new dev.emailchannel.pickup.PickupEngine();

    @org.junit.jupiter.api.AfterEach
    void closePickup() {
        pickup.close();
    }

    Producer producer(Mailbox mailbox) throws Exception {
        camel.addComponent(MailboxComponent.SCHEME, new MailboxComponent(new Mailboxes(List.of(mailbox)), pickup,
                new KnownUids() {
                    @Override
                    public java.util.Set<Long> known(String address, long uidValidity, List<Long> uids) {
                        return java.util.Set.of();
                    }

                    @Override
                    public Long highest(String address, long uidValidity) {
                        return null;
                    }
                }, true, PickupEvents.NONE));
        return camel.getEndpoint("mailbox:mailbox-0").createProducer();
    }

    static ChannelMimeMessage reply() throws Exception {
        String raw = "From: Acme Support <support@acme.test>\r\nTo: Jane Doe <jane@example.com>\r\n"
                + "Subject: Re: Order 1234\r\nMessage-ID: <r1@acme.test>\r\nIn-Reply-To: <q1@example.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nIt ships today.\r\n";
        return new ChannelMimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    Exchange sending(Object body) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(body);
        exchange.getIn().setHeader("X-Inbound-Header", "must not leak");
        return exchange;
    }

    @Test
    void should_send_the_message_as_given_from_the_mailbox() throws Exception {
        Mailbox box = mailbox(smtp.getSmtp().getPort(), "support-pw");

        producer(box).process(sending(reply()));

        assertThat(box.smtpSecurity()).as("a clear-text greeting on an unusual port").isEqualTo(
                SmtpSecurity.STARTTLS_WHEN_OFFERED);
        MimeMessage[] received = smtp.getReceivedMessagesForDomain("example.com");
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getMessageID()).as("kept for threading").isEqualTo("<r1@acme.test>");
        assertThat(mail.getHeader("In-Reply-To", null)).isEqualTo("<q1@example.com>");
        assertThat(mail.getSentDate()).as("a Date is added when missing").isNotNull();
        assertThat(mail.getHeader("X-Inbound-Header")).as("nothing of the exchange").isNull();
        assertThat(((String) mail.getContent()).strip()).isEqualTo("It ships today.");
    }

    @Test
    void should_refuse_a_body_that_is_not_a_mail() throws Exception {
        Producer producer = producer(mailbox(smtp.getSmtp().getPort(), "support-pw"));

        assertThatThrownBy(() -> producer.process(sending(42))).isInstanceOf(InvalidPayloadException.class);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void should_fail_the_send_when_the_server_refuses_the_sign_in() throws Exception {
        Producer producer = producer(mailbox(smtp.getSmtp().getPort(), "wrong-pw"));

        assertThatThrownBy(() -> producer.process(sending(reply()))).isInstanceOf(AuthenticationFailedException.class);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void should_fail_the_send_as_transient_when_the_server_cannot_be_reached_to_decide_its_encryption()
            throws Exception {
        int port = smtp.getSmtp().getPort();
        smtp.stop();
        Producer producer = producer(mailbox(port, "support-pw"));

        assertThatThrownBy(() -> producer.process(sending(reply()))).isInstanceOf(SmtpUnreachableException.class)
                .isInstanceOf(IOException.class);
    }
}
