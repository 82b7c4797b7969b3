package dev.emailchannel.inbound;

import dev.emailchannel.inbox.WorkSignal;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.Tracing;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pickup's one step: stores the fetched mail in the durable inbox (raw, with its metadata, in one transaction) and
 * lets the dispatchers know. When the exchange completes the mail is marked read on the server — it is the channel's
 * from now on. A mail whose UID the inbox already knows (stored, then a crash before it was marked read) is not
 * downloaded again: it is only marked read.
 */
public final class StoreInboundProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StoreInboundProcessor.class);

    private final Inbox inbox;
    private final String connection;
    private final WorkSignal signal;
    private final ChannelMetrics metrics;
    private final Clock clock;

    /** @param connection {@code CHANNEL_NAME}, part of every event id */
    public StoreInboundProcessor(Inbox inbox, String connection, WorkSignal signal, ChannelMetrics metrics,
            Clock clock) {
        this.inbox = inbox;
        this.connection = connection;
        this.signal = signal;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message imap = exchange.getIn(MailMessage.class).getOriginalMessage();
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        // camel-mail would copy every mail header onto the exchange, and obeys one named "delete" or "moveTo"
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(null);

        Long uidValidity = null;
        Long uid = null;
        Folder folder = imap.getFolder();
        if (folder instanceof UIDFolder uids) {
            uidValidity = uids.getUIDValidity();
            uid = uids.getUID(imap);
            if (!inbox.knownUids(mailbox, uidValidity, List.of(uid)).isEmpty()) {
                LOG.info("{}: UID {} is already in the inbox; marking it read", mailbox, uid);
                return;
            }
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(Math.max(imap.getSize(), 1024));
        imap.writeTo(raw);
        Instant receivedAt = imap.getReceivedDate() == null ? null : imap.getReceivedDate().toInstant();
        Inbox.NewMail mail = InboundMails.of(connection, mailbox, raw.toByteArray(), uidValidity, uid, receivedAt)
                .tracedBy(Tracing.current());
        Instant now = clock.instant();
        Inbox.Stored stored = inbox.store(List.of(mail), now).get(0);
        if (stored.isNew()) {
            metrics.fetched(mailbox);
            if (receivedAt != null) {
                metrics.pickupLatency(mailbox, Duration.between(receivedAt, now));
            }
            LOG.info("{}: stored {} from {} in the inbox (#{})", mailbox, describe(mail.messageId()),
                    mail.customer(), stored.id());
            signal.mailStored();
        } else {
            LOG.info("{}: {} is already in the inbox (#{}); marking it read", mailbox, describe(mail.messageId()),
                    stored.id());
        }
    }

    static String describe(String messageId) {
        return messageId == null ? "a message without Message-ID" : messageId;
    }
}
