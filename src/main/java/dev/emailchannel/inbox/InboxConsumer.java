package dev.emailchannel.inbox;

import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.status.Tracing;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Runs each claimed inbound mail through the route as one exchange, synchronously on a dispatch worker. The route
 * records the outcome (delivered, skipped, failed) in the inbox; its error handling decides what a failure means.
 */
final class InboxConsumer extends DefaultConsumer {

    private final InboxComponent component;
    private Dispatcher dispatcher;

    InboxConsumer(InboxEndpoint endpoint, Processor processor, InboxComponent component) {
        super(endpoint, processor);
        this.component = component;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        dispatcher = component.dispatcher(this::handle);
        component.signal().register(dispatcher);
        dispatcher.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (dispatcher != null) {
            component.signal().unregister(dispatcher);
            dispatcher.stop(component.stopGrace());
        }
        super.doStop();
    }

    private void handle(Inbox.Claim claim) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.setVariable(InboundVariables.CLAIM, claim);
            exchange.setVariable(InboundVariables.MAILBOX, claim.mail().mailbox());
            if (claim.mail().traceParent() != null) {
                // the dispatch continues the pickup's trace (read by the tracer when the exchange starts)
                exchange.getIn().setHeader(Tracing.TRACEPARENT, claim.mail().traceParent());
            }
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("inbound mail " + claim.id() + " failed", exchange,
                        exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
