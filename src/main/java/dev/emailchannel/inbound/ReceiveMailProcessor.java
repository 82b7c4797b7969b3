package dev.emailchannel.inbound;

import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.status.ChannelMetrics;
import java.time.Duration;
import jakarta.mail.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step after the IMAP consumer: takes the raw bytes of the polled mail, drops every mail header from the
 * exchange (they would leak into HTTP and SMTP, and camel-mail obeys a header named {@code delete} or {@code moveTo}),
 * and looks the mail up in the delivery ledger: a mail that was handled before only needs to be marked read, a mail
 * whose retry backoff has not run out is left unread for a later poll.
 */
public final class ReceiveMailProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveMailProcessor.class);

    private final DeliveryLedger ledger;
    private final String connection;
    private final ChannelMetrics metrics;
    private final Clock clock;

    /** @param connection {@code CHANNEL_NAME}, part of every event id */
    public ReceiveMailProcessor(DeliveryLedger ledger, String connection, ChannelMetrics metrics, Clock clock) {
        this.ledger = ledger;
        this.connection = connection;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message imap = exchange.getIn(MailMessage.class).getOriginalMessage();
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setBody(null);
        exchange.setVariable(InboundVariables.IMAP_MESSAGE, imap);

        ByteArrayOutputStream raw = new ByteArrayOutputStream(Math.max(imap.getSize(), 1024));
        imap.writeTo(raw);
        byte[] bytes = raw.toByteArray();
        exchange.setVariable(InboundVariables.RAW, bytes);

        String[] ids = imap.getHeader("Message-ID");
        String messageId = ids == null || ids.length == 0 ? null : ids[0].trim();
        String key = messageKey(messageId, bytes);
        String eventId = UUID.nameUUIDFromBytes((connection + "|" + mailbox + "|" + key)
                .getBytes(StandardCharsets.UTF_8)).toString();
        Instant now = clock.instant();
        DeliveryLedger.Delivery delivery = ledger.begin(mailbox, key, eventId, messageId, now);
        exchange.setVariable(InboundVariables.DELIVERY, delivery);
        if (delivery.attempts() == 0 && !delivery.finished()) {
            metrics.fetched(mailbox);
            if (imap.getReceivedDate() != null) {
                metrics.pickupLatency(mailbox, Duration.between(imap.getReceivedDate().toInstant(), now));
            }
        }
        if (delivery.finished()) {
            LOG.info("{}: {} was already {} before; marking it read", mailbox, describe(messageId),
                    delivery.state().toLowerCase());
            exchange.setVariable(InboundVariables.ALREADY_DONE, true);
        } else if (!delivery.due(now)) {
            throw new RetryLaterException(mailbox + ": " + describe(messageId) + " waits until "
                    + delivery.nextAttemptAt());
        } else {
            exchange.setVariable(InboundVariables.ALREADY_DONE, false);
        }
    }

    /** Message-ID when the mail has one, otherwise a hash of its content; hashed to a fixed length. */
    static String messageKey(String messageId, byte[] raw) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (messageId != null && !messageId.isEmpty()) {
            sha.update(("id:" + messageId).getBytes(StandardCharsets.UTF_8));
        } else {
            sha.update("raw:".getBytes(StandardCharsets.UTF_8));
            sha.update(raw);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String describe(String messageId) {
        return messageId == null ? "a message without Message-ID" : messageId;
    }
}
