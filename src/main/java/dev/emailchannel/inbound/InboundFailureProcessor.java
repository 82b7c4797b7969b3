package dev.emailchannel.inbound;

import dev.emailchannel.agent.AgentUnavailableException;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.Problems;
import java.time.Duration;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.StoreException;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a failed inbound exchange means. The exception stays on the exchange, so camel-mail rolls back and the
 * mail stays unread. Transient failures (agent unavailable, network, database) are retried with backoff capped at a
 * minute for as long as they last. A mail that fails on its own (cannot be parsed, refused by the agent, an
 * unexpected error) is retried {@value #MAX_ATTEMPTS} times, then parked: its raw bytes are recorded, it is flagged
 * and marked read on the server, and an operator finds it in the log and the database.
 */
public final class InboundFailureProcessor implements Processor {

    static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(InboundFailureProcessor.class);

    private final DeliveryLedger ledger;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public InboundFailureProcessor(DeliveryLedger ledger, ChannelMetrics metrics, Clock clock) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        Long callStarted = exchange.getVariable(InboundVariables.AGENT_CALL_STARTED, Long.class);
        if (callStarted != null) {
            metrics.agentCall(mailbox, Duration.ofNanos(System.nanoTime() - callStarted),
                    isTransient(cause) ? "unavailable" : "refused");
        }
        DeliveryLedger.Delivery delivery = exchange.getVariable(InboundVariables.DELIVERY,
                DeliveryLedger.Delivery.class);
        if (cause instanceof RetryLaterException || delivery == null) {
            if (delivery == null && cause != null && !(cause instanceof RetryLaterException)) {
                LOG.warn("{}: could not read a mail, it stays unread: {}", mailbox, Problems.describe(cause));
            }
            return;
        }
        String what = ReceiveMailProcessor.describe(exchange.getVariable(InboundVariables.RAW, byte[].class) == null
                ? null : messageId(exchange));
        Instant now = clock.instant();
        String reason = Problems.describe(cause);
        try {
            int attempts = ledger.failed(mailbox, delivery.messageKey(), reason, now);
            if (isTransient(cause)) {
                LOG.warn("{}: {} stays unread, agent or storage unavailable ({}); attempt {}, next in about {} s",
                        mailbox, what, reason, attempts, DeliveryLedger.backoff(attempts).toSeconds());
            } else if (attempts < MAX_ATTEMPTS) {
                LOG.warn("{}: {} failed ({}); attempt {} of {}, it stays unread", mailbox, what, reason, attempts,
                        MAX_ATTEMPTS);
            } else {
                park(exchange, mailbox, delivery, what, reason, now);
            }
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed ({}) and its failure could not be recorded: {}", mailbox, what, reason,
                    Problems.describe(e));
        }
    }

    private void park(Exchange exchange, String mailbox, DeliveryLedger.Delivery delivery, String what,
            String reason, Instant now) {
        byte[] raw = exchange.getVariable(InboundVariables.RAW, byte[].class);
        ledger.park(mailbox, delivery.messageKey(), messageId(exchange), reason, raw, now);
        Message imap = exchange.getVariable(InboundVariables.IMAP_MESSAGE, Message.class);
        try {
            if (imap != null) {
                imap.setFlag(Flags.Flag.FLAGGED, true);
                imap.setFlag(Flags.Flag.SEEN, true);
            }
        } catch (Exception e) {
            LOG.warn("{}: could not flag parked {}: {}", mailbox, what, Problems.describe(e));
        }
        metrics.parked(mailbox);
        LOG.error("{}: parked {} after {} attempts: {} (raw message kept in the database, flagged on the server)",
                mailbox, what, MAX_ATTEMPTS, reason);
    }

    private static String messageId(Exchange exchange) {
        DeliveryLedger.Delivery d = exchange.getVariable(InboundVariables.DELIVERY, DeliveryLedger.Delivery.class);
        var mail = exchange.getVariable(InboundVariables.MAIL, dev.emailchannel.mime.ParsedMail.class);
        if (mail != null) {
            return mail.messageId();
        }
        Message imap = exchange.getVariable(InboundVariables.IMAP_MESSAGE, Message.class);
        try {
            String[] ids = imap == null ? null : imap.getHeader("Message-ID");
            return ids == null || ids.length == 0 ? null : ids[0];
        } catch (Exception e) {
            return d == null ? null : d.messageKey();
        }
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AgentUnavailableException || t instanceof IOException || t instanceof StoreException
                    || t instanceof java.sql.SQLException) {
                return true;
            }
            if (t instanceof RejectedMailException) {
                return false;
            }
        }
        return false;
    }
}
