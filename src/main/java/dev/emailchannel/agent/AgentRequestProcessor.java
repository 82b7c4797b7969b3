package dev.emailchannel.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.SessionRef;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns the email into the agent's JSON event and sets the only headers the agent call carries: Content-Type,
 * Authorization (when {@code AGENT_TOKEN} is set) and Idempotency-Key (= {@code event_id}, stable across retries).
 */
public final class AgentRequestProcessor implements Processor {

    private final AgentEndpoint agent;
    private final ObjectMapper json;

    public AgentRequestProcessor(AgentEndpoint agent, ObjectMapper json) {
        this.agent = agent;
        this.json = json;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Inbox.Claim claim = exchange.getVariable(InboundVariables.CLAIM, Inbox.Claim.class);
        Inbox.Mail stored = claim.mail();
        AgentEvents.Event event = AgentEvents.message(new AgentEvents.Inbound(stored.eventId(), agent.connection(),
                exchange.getVariable(InboundVariables.SESSION, SessionRef.class), stored.mailbox(),
                exchange.getVariable(InboundVariables.MAIL, ParsedMail.class),
                exchange.getVariable(InboundVariables.CONTENT, NewContent.class),
                exchange.getVariable(InboundVariables.ATTACHMENTS, AttachmentSelection.class),
                stored.receivedAt() != null ? stored.receivedAt() : stored.storedAt(),
                exchange.getVariable(InboundVariables.AUTO_REPLY, String.class)));

        var in = exchange.getIn();
        in.removeHeaders("*");
        in.setBody(json.writeValueAsBytes(event));
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader("Idempotency-Key", stored.eventId());
        if (!agent.token().isEmpty()) {
            in.setHeader("Authorization", "Bearer " + agent.token().value());
        }
        exchange.setVariable(InboundVariables.AGENT_URI, agent.endpointUri());
        exchange.setVariable(InboundVariables.AGENT_CALL_STARTED, System.nanoTime());
    }
}
