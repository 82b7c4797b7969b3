package dev.emailchannel.agent;

import dev.emailchannel.Channel;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.inbound.InboundVariables;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.SessionRef;
import jakarta.mail.Message;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Turns the email into the agent's JSON event and sets the only headers the agent call carries: Content-Type,
 * Authorization (when {@code AGENT_TOKEN} is set) and Idempotency-Key (= {@code event_id}, stable across retries).
 */
public final class AgentRequestProcessor implements Processor {

    /** Options added to a plain http(s) agent URL: answers are inspected, not thrown; bounded waits. */
    static final String HTTP_OPTIONS = "throwExceptionOnFailure=false&connectTimeout=10000"
            + "&connectionRequestTimeout=10000&responseTimeout=60000&soTimeout=60000";

    private final Channel channel;

    public AgentRequestProcessor(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        DeliveryLedger.Delivery delivery = exchange.getVariable(InboundVariables.DELIVERY,
                DeliveryLedger.Delivery.class);
        Message imap = exchange.getVariable(InboundVariables.IMAP_MESSAGE, Message.class);
        Instant received = imap != null && imap.getReceivedDate() != null ? imap.getReceivedDate().toInstant()
                : channel.clock().instant();
        var event = AgentEvents.message(new AgentEvents.Inbound(delivery.eventId(), channel.settings().name(),
                exchange.getVariable(InboundVariables.SESSION, SessionRef.class),
                exchange.getVariable(InboundVariables.MAILBOX, String.class),
                exchange.getVariable(InboundVariables.MAIL, ParsedMail.class),
                exchange.getVariable(InboundVariables.CONTENT, NewContent.class),
                exchange.getVariable(InboundVariables.ATTACHMENTS, AttachmentSelection.class), received,
                exchange.getVariable(InboundVariables.AUTO_REPLY, String.class)));

        var in = exchange.getIn();
        in.removeHeaders("*");
        in.setBody(channel.json().writeValueAsString(event));
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader("Idempotency-Key", delivery.eventId());
        if (!channel.settings().agentToken().isEmpty()) {
            in.setHeader("Authorization", "Bearer " + channel.settings().agentToken().value());
        }
        exchange.setVariable(InboundVariables.AGENT_URI, endpointUri(channel.settings().agentUrl()));
    }

    /** A plain http(s) URL gets the HTTP options; any other Camel endpoint URI is used as given. */
    public static String endpointUri(String agentUrl) {
        if (!agentUrl.startsWith("http://") && !agentUrl.startsWith("https://")) {
            return agentUrl;
        }
        return agentUrl + (agentUrl.contains("?") ? "&" : "?") + HTTP_OPTIONS;
    }
}
