package dev.emailchannel.inbound;

import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.status.ChannelMetrics;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records that an auto-reply, bounce or the channel's own mail was stored in its session but not sent to the agent. */
public final class AutoReplyProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AutoReplyProcessor.class);

    private final Inbox inbox;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public AutoReplyProcessor(Inbox inbox, ChannelMetrics metrics, Clock clock) {
        this.inbox = inbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Inbox.Claim claim = exchange.getVariable(InboundVariables.CLAIM, Inbox.Claim.class);
        String mailbox = claim.mail().mailbox();
        String reason = exchange.getVariable(InboundVariables.AUTO_REPLY, String.class);
        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        if (!inbox.skipped(claim, reason, clock.instant())) {
            throw new ClaimLostException(claim);
        }
        metrics.autoReplySkipped(mailbox);
        LOG.info("{}: {} from {} not answered: {} (stored in session {})", mailbox, mail.messageId(),
                mail.from().address(), reason, session.id());
    }
}
