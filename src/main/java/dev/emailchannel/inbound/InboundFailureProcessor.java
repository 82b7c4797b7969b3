package dev.emailchannel.inbound;

import dev.emailchannel.session.Inbox;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.ChannelState;
import dev.emailchannel.status.Problems;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a failed dispatch in the inbox (the dispatch route's error handling). Transient failures (agent or database
 * unavailable) keep the mail pending with backoff capped at a minute, for as long as they last; the agent's own set-up
 * errors too, and the channel shows them; a mail that fails on its own is parked at its third failure. Every other
 * mail keeps flowing meanwhile.
 */
public final class InboundFailureProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(InboundFailureProcessor.class);

    private final Inbox inbox;
    private final ChannelState state;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public InboundFailureProcessor(Inbox inbox, ChannelState state, ChannelMetrics metrics, Clock clock) {
        this.inbox = inbox;
        this.state = state;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Inbox.Claim claim = exchange.getVariable(InboundVariables.CLAIM, Inbox.Claim.class);
        String mailbox = claim.mail().mailbox();
        String what = StoreInboundProcessor.describe(claim.mail().messageId()) + " (#" + claim.id() + ")";
        String reason = Problems.describe(cause);
        Optional<Inbox.Failure> kind = Failures.classify(cause);
        Long callStarted = exchange.getVariable(InboundVariables.AGENT_CALL_STARTED, Long.class);
        if (callStarted != null) {
            metrics.agentCall(mailbox, Duration.ofNanos(System.nanoTime() - callStarted),
                    kind.orElse(Inbox.Failure.TRANSIENT) == Inbox.Failure.MAIL ? "refused" : "unavailable");
        }
        if (kind.isEmpty()) {
            LOG.warn("{}: {}: {}", mailbox, what, reason);
            return;
        }
        Instant now = clock.instant();
        Duration wait = Failures.backoff(kind.get(), claim.mail().attempts(), cause);
        Optional<Inbox.Mail> after;
        try {
            after = inbox.failed(claim, kind.get(), reason, now.plus(wait), now);
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed ({}) and the failure could not be recorded: {}; its claim runs out and it is "
                    + "tried again", mailbox, what, reason, Problems.describe(e));
            return;
        }
        if (after.isEmpty()) {
            LOG.warn("{}: {} failed ({}), but another dispatcher has it now", mailbox, what, reason);
            return;
        }
        switch (kind.get()) {
            case TRANSIENT -> LOG.warn("{}: {} waits: agent or storage unavailable ({}); try {}, next in about {} s",
                    mailbox, what, reason, after.get().attempts(), wait.toSeconds());
            case AGENT_SETUP -> {
                state.agentFailed(reason);
                LOG.error("{}: {} waits: the agent's set-up is wrong ({}); fix AGENT_URL/AGENT_TOKEN or the agent; "
                        + "next try in about {} s", mailbox, what, reason, wait.toSeconds());
            }
            case MAIL -> {
                if (Inbox.PARKED.equals(after.get().state())) {
                    metrics.parked(mailbox);
                    LOG.error("{}: parked {} after {} failures: {} (raw mail kept in the inbox; "
                            + "POST /api/inbox/{}/retry puts it back)", mailbox, what, after.get().failures(), reason,
                            claim.id());
                } else {
                    LOG.warn("{}: {} failed ({}); failure {} of {}, next try in about {} s", mailbox, what, reason,
                            after.get().failures(), Inbox.MAX_FAILURES, wait.toSeconds());
                }
            }
            default -> throw new IllegalStateException(kind.get().name());
        }
    }
}
