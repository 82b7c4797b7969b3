package dev.emailchannel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.outbound.OutboundMail;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.reply.ReplyTarget;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.session.StoredMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/sessions/{id}/messages}, the agent's asynchronous reply: a threaded reply to the customer's latest
 * message, from the mailbox that received it; in a session without inbound message, a reply to the channel's latest
 * email of the session.
 */
public final class RepliesApi {

    private static final Logger LOG = LoggerFactory.getLogger(RepliesApi.class);

    private final SessionStore sessions;
    private final OutboundMail outbound;
    private final OutboxSender sender;
    private final Outbox outbox;
    private final Mailboxes mailboxes;
    private final LoadedSettings loaded;
    private final ObjectMapper json;

    public RepliesApi(SessionStore sessions, OutboundMail outbound, OutboxSender sender, Outbox outbox,
            Mailboxes mailboxes, LoadedSettings loaded, ObjectMapper json) {
        this.sessions = sessions;
        this.outbound = outbound;
        this.sender = sender;
        this.outbox = outbox;
        this.mailboxes = mailboxes;
        this.loaded = loaded;
        this.json = json;
    }

    public void reply(Exchange exchange) throws Exception {
        String id = ApiCall.pathId(exchange);
        SessionStore.SessionSummary s = sessions.session(id).orElseThrow(() -> ApiException.notFound("no session "
                + id));
        JsonNode body = ApiCall.body(exchange, json);
        AgentReply reply = ApiMessages.parse(body);
        if (!SessionStore.OPEN.equals(s.status())) {
            throw ApiException.conflict("session " + s.id() + " is closed: start a new conversation with "
                    + "POST /api/messages");
        }
        ApiMessages.requireConfigured(loaded);
        List<StoredMessage> messages = sessions.messages(s.id());
        Optional<StoredMessage> inbound = latest(messages, "IN");
        OutboundMail.Queued queued;
        if (inbound.isPresent()) {
            StoredMessage m = inbound.get();
            queued = outbound.reply(s.id(), mailbox(m.mailbox(), s), new ReplyTarget(m.messageId(),
                    references(m.references()), m.subject(), recipient(m)), reply);
        } else {
            StoredMessage last = latest(messages, "OUT").orElseThrow(() -> ApiException.conflict(
                    "session " + s.id() + " has no message to reply to"));
            queued = outbound.reply(s.id(), mailbox(last.mailbox(), s), new ReplyTarget(last.messageId(),
                    references(last.references()), last.subject(), new EmailAddress(s.customer(),
                            s.customerName())), reply);
        }
        sender.send(queued.outboxId());
        LOG.info("Session {}: reply {} to {} queued over the API", s.id(), queued.messageId(), queued.to());
        ApiCall.json(exchange, json, 202, OutboundApi.QueuedView.of(queued, outbox));
    }

    private MailboxSettings mailbox(String address, SessionStore.SessionSummary s) {
        return mailboxes.byAddress(address).orElseThrow(() -> ApiException.conflict("session " + s.id()
                + " belongs to mailbox " + address + ", which is no longer configured")).settings();
    }

    /** The latest message in that direction, customer messages before auto-replies. */
    private static Optional<StoredMessage> latest(List<StoredMessage> messages, String direction) {
        StoredMessage any = null;
        for (int i = messages.size() - 1; i >= 0; i--) {
            StoredMessage m = messages.get(i);
            if (!direction.equals(m.direction())) {
                continue;
            }
            if (m.autoReplyReason() == null) {
                return Optional.of(m);
            }
            if (any == null) {
                any = m;
            }
        }
        return Optional.ofNullable(any);
    }

    private static EmailAddress recipient(StoredMessage m) {
        if (m.replyTo() != null && !m.replyTo().isBlank()) {
            return EmailAddress.of(m.replyTo().split(",")[0].trim());
        }
        return new EmailAddress(m.fromAddress(), m.fromName());
    }

    private static List<String> references(String value) {
        return value == null || value.isBlank() ? List.of()
                : Arrays.stream(value.trim().split("\\s+")).filter(r -> !r.isEmpty()).toList();
    }
}
