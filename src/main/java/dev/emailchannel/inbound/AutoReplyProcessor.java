package dev.emailchannel.inbound;

import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.session.DeliveryLedger;
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

    private final DeliveryLedger ledger;
    private final ChannelMetrics metrics;
    private final Clock clock;

    public AutoReplyProcessor(DeliveryLedger ledger, ChannelMetrics metrics, Clock clock) {
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        String reason = exchange.getVariable(InboundVariables.AUTO_REPLY, String.class);
        ParsedMail mail = exchange.getVariable(InboundVariables.MAIL, ParsedMail.class);
        SessionRef session = exchange.getVariable(InboundVariables.SESSION, SessionRef.class);
        DeliveryLedger.Delivery delivery = exchange.getVariable(InboundVariables.DELIVERY,
                DeliveryLedger.Delivery.class);
        ledger.skipped(mailbox, delivery.messageKey(), session.id(), reason, clock.instant());
        metrics.autoReplySkipped(mailbox);
        LOG.info("{}: {} from {} not answered: {} (stored in session {})", mailbox, mail.messageId(),
                mail.from().address(), reason, session.id());
    }
}
