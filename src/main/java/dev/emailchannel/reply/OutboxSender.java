package dev.emailchannel.reply;

import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.Problems;
import dev.emailchannel.session.Outbox;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends queued emails through the {@code direct:smtp-send} route: a claimed outbox entry is sent and marked sent; a
 * failed send is retried later with backoff, or marked failed when the server refused it for good (5xx). Never throws:
 * a reply that cannot be sent now stays in the outbox, so the inbound email that caused it can still complete.
 */
public final class OutboxSender {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
    private static final Session PARSE_SESSION = Session.getInstance(new Properties());

    private final Outbox outbox;
    private final Mailboxes mailboxes;
    private final ProducerTemplate producer;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public OutboxSender(Outbox outbox, Mailboxes mailboxes, ProducerTemplate producer, ChannelMetrics metrics,
            Clock clock) {
        this.outbox = outbox;
        this.mailboxes = mailboxes;
        this.producer = producer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Sends every due entry; called on a timer. Returns how many were sent. */
    public int sendDue() {
        if (mailboxes.all().isEmpty()) {
            return 0; // invalid settings: nothing can be sent until they are fixed
        }
        int sent = 0;
        for (long id : outbox.due(clock.instant(), 100)) {
            if (send(id)) {
                sent++;
            }
        }
        return sent;
    }

    /** Sends one entry now if it is due and nobody else is sending it. */
    public boolean send(Long id) {
        if (id == null) {
            return false;
        }
        Instant now = clock.instant();
        var claimed = outbox.claim(id, now);
        if (claimed.isEmpty()) {
            return false;
        }
        Outbox.Entry entry = claimed.get();
        Mailbox box = mailboxes.byAddress(entry.mailbox()).orElse(null);
        if (box == null) {
            outbox.failed(id, entry.mailbox() + " is no longer a mailbox of this connection", true, now);
            LOG.error("{}: outbox entry {} cannot be sent: the mailbox is no longer configured", entry.mailbox(), id);
            return false;
        }
        try {
            ChannelMimeMessage message = new ChannelMimeMessage(PARSE_SESSION, new ByteArrayInputStream(entry.raw()));
            Exchange result = producer.send("direct:smtp-send", ex -> {
                ex.setVariable("mailboxId", box.id());
                ex.getIn().setBody(message);
            });
            if (result.getException() != null) {
                throw result.getException();
            }
            outbox.sent(id, clock.instant());
            metrics.replySent(entry.mailbox());
            LOG.info("{}: sent {} (outbox {})", entry.mailbox(), entry.messageId(), id);
            return true;
        } catch (Exception e) {
            metrics.replyFailed(entry.mailbox());
            boolean permanent = isPermanent(e);
            String reason = Problems.describe(e);
            outbox.failed(id, reason, permanent, clock.instant());
            if (permanent) {
                LOG.error("{}: sending {} failed for good: {}", entry.mailbox(), entry.messageId(), reason);
            } else {
                LOG.warn("{}: sending {} failed, will retry: {}", entry.mailbox(), entry.messageId(), reason);
            }
            return false;
        }
    }

    /** A 5xx answer to the message or its recipients; connection problems and 4xx are temporary. */
    static boolean isPermanent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SendFailedException sfe && sfe.getInvalidAddresses() != null
                    && sfe.getInvalidAddresses().length > 0) {
                return true;
            }
            if (t instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s) {
                return s.getReturnCode() >= 500;
            }
            if (t instanceof org.eclipse.angus.mail.smtp.SMTPAddressFailedException a) {
                return a.getReturnCode() >= 500;
            }
        }
        return false;
    }
}
