package dev.emailchannel.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.inbound.RejectedMailException;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.OutgoingMail;
import dev.emailchannel.reply.ReplyTarget;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.status.ChannelMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the agent's answer. 2xx: the email is delivered; a reply in the answer is composed, queued in the outbox in
 * the same transaction that records the delivery, and stored in the session. 5xx: the agent is unavailable, the mail
 * stays unread and is retried. Any other status: the agent refused this email; it is retried a few times, then parked.
 */
public final class AgentResponseProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentResponseProcessor.class);
    /** Loop guard: at most this many replies to one address per window (people do not write that fast). */
    static final int MAX_REPLIES_PER_WINDOW = 10;
    static final java.time.Duration REPLY_WINDOW = java.time.Duration.ofMinutes(10);

    private final ObjectMapper json;
    private final DeliveryLedger ledger;
    private final SessionStore sessions;
    private final ReplyComposer composer;
    private final Mailboxes mailboxes;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public AgentResponseProcessor(ObjectMapper json, DeliveryLedger ledger, SessionStore sessions,
            ReplyComposer composer, Mailboxes mailboxes, ChannelMetrics metrics, Clock clock) {
        this.json = json;
        this.ledger = ledger;
        this.sessions = sessions;
        this.composer = composer;
        this.mailboxes = mailboxes;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String body = exchange.getMessage().getBody(String.class);
        exchange.getMessage().removeHeaders("*");
        Long started = exchange.getVariable(InboundVariables.AGENT_CALL_STARTED, Long.class);
        // the latency is recorded here for answers; a failed call is recorded by the failure processor
        exchange.removeVariable(InboundVariables.AGENT_CALL_STARTED);
        boolean accepted = status == null || (status >= 200 && status < 300);
        if (started != null) {
            metrics.agentCall(mailbox, Duration.ofNanos(System.nanoTime() - started), accepted ? "accepted"
                    : status >= 500 || status == 408 || status == 429 ? "unavailable" : "refused");
        }
        if (status != null && (status >= 500 || status == 408 || status == 429)) {
            throw new AgentUnavailableException("agent answered HTTP " + status);
        }
        if (status != null && (status < 200 || status >= 300)) {
            throw new RejectedMailException("agent refused the email with HTTP " + status + snippet(body), null);
        }
        Optional<AgentReply> reply;
        try {
            reply = AgentReplies.read(json, body);
        } catch (IllegalArgumentException e) {
            throw new RejectedMailException(e.getMessage(), e);
        }

        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        DeliveryLedger.Delivery delivery = exchange.getVariable(InboundVariables.DELIVERY,
                DeliveryLedger.Delivery.class);
        Instant now = clock.instant();
        metrics.delivered(mailbox);
        if (reply.isEmpty()) {
            ledger.delivered(mailbox, delivery.messageKey(), session.id(), null, now);
            LOG.info("{}: {} delivered to the agent (session {}), no reply yet", mailbox,
                    mail.messageId(), session.id());
            return;
        }
        MailboxSettings box = mailboxes.require(mailbox).settings();
        var recipient = mail.replyTo().isEmpty() ? mail.from() : mail.replyTo().get(0);
        int recent = sessions.sentTo(recipient.address(), now.minus(REPLY_WINDOW));
        if (recent >= MAX_REPLIES_PER_WINDOW) {
            // another robot answering our answers: stop the ping-pong, keep the conversation for a person to read
            ledger.delivered(mailbox, delivery.messageKey(), session.id(), null, now);
            LOG.warn("{}: reply to {} for {} not sent: {} emails already sent to this address in the last {} min "
                    + "(mail loop guard)", mailbox, recipient.address(), mail.messageId(), recent,
                    REPLY_WINDOW.toMinutes());
            return;
        }
        OutgoingMail out = composer.reply(box,
                new ReplyTarget(mail.messageId(), mail.references(), mail.subject(), recipient), reply.get());
        Outbox.Draft draft = new Outbox.Draft(session.id(), mailbox, out.messageId(), out.raw());
        Long outboxId = ledger.delivered(mailbox, delivery.messageKey(), session.id(), draft, now);
        sessions.addMessage(out.stored(session.id(), box, reply.get(), now));
        exchange.setVariable(InboundVariables.OUTBOX_ID, outboxId);
        LOG.info("{}: {} delivered to the agent (session {}), reply {} queued", mailbox, mail.messageId(),
                session.id(), out.messageId());
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
