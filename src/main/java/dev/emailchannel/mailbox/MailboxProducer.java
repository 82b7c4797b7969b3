package dev.emailchannel.mailbox;

import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.concurrent.Executor;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.support.DefaultProducer;

/**
 * Sends the exchange's {@link MimeMessage} (complete: From, To, Subject, threading headers and Message-ID already set)
 * from the endpoint's mailbox: one SMTP connection per mail, secured as the mailbox decided, the Message-ID kept. A
 * refused sign-in is reported to the mailbox (an OAuth token the server rejected is dropped).
 *
 * <p>A {@link HandOver} in the exchange's variable {@link HandOver#VARIABLE} runs just before the line that completes
 * the mail: the outbox records there that the reply may leave from now on.
 *
 * <p>The producer returns as soon as the server accepted the mail (the 250 after DATA); the polite QUIT runs in the
 * background. Whoever records "sent" does it at once, which keeps the window in which a crash could lead to the mail
 * being sent again as short as SMTP allows.
 */
final class MailboxProducer extends DefaultProducer {

    private final Mailbox mailbox;
    private final Executor closer;

    MailboxProducer(MailboxEndpoint endpoint, Executor closer) {
        super(endpoint);
        this.mailbox = endpoint.mailbox();
        this.closer = closer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        MimeMessage message = exchange.getIn().getBody(MimeMessage.class);
        if (message == null) {
            throw new InvalidPayloadException(exchange, MimeMessage.class);
        }
        HandOver handOver = exchange.getVariable(HandOver.VARIABLE, HandOver.class);
        Transport transport = new HandOverTransport(Session.getInstance(mailbox.smtpProperties()),
                mailbox.smtpSecurity().protocol(), handOver != null ? handOver : () -> { });
        try {
            PasswordAuthentication auth = mailbox.authenticator().getPasswordAuthentication();
            transport.connect(mailbox.settings().smtpHost(), mailbox.settings().smtpPort(), auth.getUserName(),
                    auth.getPassword());
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            message.saveChanges();
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            mailbox.signInFailed(e);
            closeQuietly(transport);
            throw e;
        }
        closer.execute(() -> closeQuietly(transport));
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // the mail was accepted (or the failure already reported): a failed QUIT changes nothing
        }
    }
}
