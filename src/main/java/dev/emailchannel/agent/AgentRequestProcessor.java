package dev.emailchannel.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.SessionRef;
import jakarta.mail.Message;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns the email into the agent's JSON event and sets the only headers the agent call carries: Content-Type,
 * Authorization (when {@code AGENT_TOKEN} is set) and Idempotency-Key (= {@code event_id}, stable across retries).
 */
public final class AgentRequestProcessor implements Processor {

    private final AgentEndpoint agent;
    private final ObjectMapper json;
    private final Clock clock;

    public AgentRequestProcessor(AgentEndpoint agent, ObjectMapper json, Clock clock) {
        this.agent = agent;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DeliveryLedger.Delivery delivery = exchange.getVariable(InboundVariables.DELIVERY,
                DeliveryLedger.Delivery.class);
        Message imap = exchange.getVariable(InboundVariables.IMAP_MESSAGE, Message.class);
        Instant received = imap != null && imap.getReceivedDate() != null ? imap.getReceivedDate().toInstant()
                : clock.instant();
        AgentEvents.Event event = AgentEvents.message(new AgentEvents.Inbound(delivery.eventId(), agent.connection(),
                exchange.getVariable(InboundVariables.SESSION, SessionRef.class),
                exchange.getVariable(InboundVariables.MAILBOX, String.class),
                exchange.getVariable(InboundVariables.MAIL, ParsedMail.class),
                exchange.getVariable(InboundVariables.CONTENT, NewContent.class),
                exchange.getVariable(InboundVariables.ATTACHMENTS, AttachmentSelection.class), received,
                exchange.getVariable(InboundVariables.AUTO_REPLY, String.class)));

        var in = exchange.getIn();
        in.removeHeaders("*");
        in.setBody(json.writeValueAsBytes(event));
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader("Idempotency-Key", delivery.eventId());
        if (!agent.token().isEmpty()) {
            in.setHeader("Authorization", "Bearer " + agent.token().value());
        }
        exchange.setVariable(InboundVariables.AGENT_URI, agent.endpointUri());
        exchange.setVariable(InboundVariables.AGENT_CALL_STARTED, System.nanoTime());
    }
}
