package dev.emailchannel.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.inbound.ClaimLostException;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.inbound.RejectedMailException;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.LoopGuard;
import dev.emailchannel.reply.OutgoingMail;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.reply.ReplyTarget;
import dev.emailchannel.secrets.LogSecrets;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.ChannelState;
import dev.emailchannel.status.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the agent's answer. 2xx: the mail is delivered; a reply in the answer is composed and — in the transaction
 * that marks the mail delivered — queued in the outbox and stored in the session, held there when the loop guard
 * says so. 5xx, 408, 429: the agent is unavailable (its {@code Retry-After} is kept). 401, 403, 404 and redirects: the
 * agent's set-up is wrong. Any other status: the agent refused this mail (parked after a few tries).
 */
public final class AgentResponseProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentResponseProcessor.class);

    private final ObjectMapper json;
    private final Inbox inbox;
    private final SessionStore sessions;
    private final Outbox outbox;
    private final ReplyComposer composer;
    private final LoopGuard loopGuard;
    private final Mailboxes mailboxes;
    private final ChannelState state;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public AgentResponseProcessor(ObjectMapper json, Inbox inbox, SessionStore sessions, Outbox outbox,
            ReplyComposer composer, LoopGuard loopGuard, Mailboxes mailboxes, ChannelState state,
            ChannelMetrics metrics, Clock clock) {
        this.json = json;
        this.inbox = inbox;
        this.sessions = sessions;
        this.outbox = outbox;
        this.composer = composer;
        this.loopGuard = loopGuard;
        this.mailboxes = mailboxes;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Inbox.Claim claim = exchange.getVariable(InboundVariables.CLAIM, Inbox.Claim.class);
        String mailbox = claim.mail().mailbox();
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String retryAfter = exchange.getMessage().getHeader("Retry-After", String.class);
        String body = exchange.getMessage().getBody(String.class);
        exchange.getMessage().removeHeaders("*");
        checkStatus(status, retryAfter, body);
        Long started = exchange.getVariable(InboundVariables.AGENT_CALL_STARTED, Long.class);
        exchange.removeVariable(InboundVariables.AGENT_CALL_STARTED);
        if (started != null) {
            metrics.agentCall(mailbox, Duration.ofNanos(System.nanoTime() - started), "accepted");
        }
        state.agentSucceeded();
        Optional<AgentReply> reply;
        try {
            reply = AgentReplies.read(json, body);
        } catch (IllegalArgumentException e) {
            throw new RejectedMailException(e.getMessage(), e);
        }

        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        Instant now = clock.instant();
        if (reply.isEmpty()) {
            if (inbox.delivered(claim, null, null, now).isEmpty()) {
                throw new ClaimLostException(claim);
            }
            metrics.delivered(mailbox);
            LOG.info("{}: {} delivered to the agent (session {}), no reply yet", mailbox, mail.messageId(),
                    session.id());
            return;
        }
        MailboxSettings box = mailboxes.require(mailbox).settings();
        EmailAddress recipient = mail.replyTo().isEmpty() ? mail.from() : mail.replyTo().get(0);
        Optional<String> hold = loopGuard.holdReason(recipient.address(),
                outbox.queuedOrSentTo(recipient.address(), now.minus(loopGuard.window())),
                sessions.latestRounds(mail.from().address(), 8));
        OutgoingMail out = composer.reply(box,
                new ReplyTarget(mail.messageId(), mail.references(), mail.subject(), recipient), reply.get());
        Outbox.Draft draft = new Outbox.Draft(session.id(), mailbox, out.messageId(), out.to(), out.subject(),
                out.raw(), hold.orElse(null), Tracing.current());
        long outboxId = inbox.delivered(claim, draft, out.stored(session.id(), box, reply.get(), now), now)
                .orElseThrow(() -> new ClaimLostException(claim));
        metrics.delivered(mailbox);
        if (hold.isPresent()) {
            metrics.replyHeld(mailbox);
            LOG.warn("{}: reply {} to {} for {} is HELD, not sent: {} (outbox {}; release it with "
                    + "POST /api/outbox/{}/release)", mailbox, out.messageId(), recipient.address(), mail.messageId(),
                    hold.get(), outboxId, outboxId);
            return;
        }
        exchange.setVariable(InboundVariables.OUTBOX_ID, outboxId);
        LOG.info("{}: {} delivered to the agent (session {}), reply {} queued", mailbox, mail.messageId(),
                session.id(), out.messageId());
    }

    /** Throws what a non-2xx answer means; a non-HTTP endpoint (no status) accepted the event. */
    static void checkStatus(Integer status, String retryAfter, String body) throws Exception {
        if (status == null || (status >= 200 && status < 300)) {
            return;
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new AgentUnavailableException("agent answered HTTP " + status, RetryAfter.parse(retryAfter));
        }
        if (status == 401 || status == 403 || status == 404 || (status >= 300 && status < 400)) {
            throw new AgentSetupException("agent answered HTTP " + status + snippet(body));
        }
        throw new RejectedMailException("agent refused the email with HTTP " + status + snippet(body), null);
    }

    /** The start of the agent's answer, for the error: secrets it echoes (the token, say) are masked. */
    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = LogSecrets.mask(body.strip().replaceAll("\\s+", " "));
        return ": " + (oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine);
    }
}
