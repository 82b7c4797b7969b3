package dev.emailchannel.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.emailchannel.Channel;
import dev.emailchannel.agent.AgentReplies;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.outbound.OutboundMail;
import dev.emailchannel.outbound.Recipients;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.reply.ReplyTarget;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.session.StoredMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session calls of the HTTP API: list, read (messages in order with delivery state), close, and the agent's
 * asynchronous reply. Also closes idle sessions on a timer.
 */
public final class SessionsApi {

    private static final Logger LOG = LoggerFactory.getLogger(SessionsApi.class);

    private final Channel channel;
    private final OutboundMail outbound;
    private final OutboxSender sender;

    public SessionsApi(Channel channel, OutboundMail outbound, OutboxSender sender) {
        this.channel = channel;
        this.outbound = outbound;
        this.sender = sender;
    }

    /** {@code GET /api/sessions?customer=&status=}. */
    public void list(Exchange exchange) {
        ApiCall.handle(exchange, channel.json(), () -> {
            Map<String, String> query = ApiCall.query(exchange);
            String status = query.get("status");
            if (status != null && !status.isBlank() && !List.of(SessionStore.OPEN, SessionStore.CLOSED)
                    .contains(status.trim().toUpperCase(Locale.ROOT))) {
                throw ApiException.badRequest("\"status\" must be OPEN or CLOSED, not '" + status + "'");
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (SessionStore.SessionSummary s : channel.sessions().sessions(query.get("customer"), status)) {
                out.add(summary(s));
            }
            ApiCall.json(exchange, channel.json(), 200, Map.of("sessions", out));
        });
    }

    /** {@code GET /api/sessions/{id}}. */
    public void get(Exchange exchange) {
        ApiCall.handle(exchange, channel.json(), () -> {
            SessionStore.SessionSummary s = session(ApiCall.pathId(exchange));
            ApiCall.json(exchange, channel.json(), 200, view(s));
        });
    }

    /** {@code POST /api/sessions/{id}/close}. */
    public void close(Exchange exchange) {
        ApiCall.handle(exchange, channel.json(), () -> {
            SessionStore.SessionSummary s = session(ApiCall.pathId(exchange));
            if (!channel.sessions().close(s.id(), channel.clock().instant())) {
                throw ApiException.conflict("session " + s.id() + " is already closed");
            }
            LOG.info("Session {} of {} closed over the API", s.id(), s.customer());
            ApiCall.json(exchange, channel.json(), 200, summary(session(s.id())));
        });
    }

    /**
     * {@code POST /api/sessions/{id}/messages}: a threaded reply to the customer's latest message, from the mailbox
     * that received it; in a session without inbound message, a reply to the channel's latest email of the session.
     */
    public void reply(Exchange exchange) {
        ApiCall.handle(exchange, channel.json(), () -> {
            SessionStore.SessionSummary s = session(ApiCall.pathId(exchange));
            JsonNode body = ApiCall.body(exchange, channel.json());
            AgentReply reply = reply(body);
            if (!SessionStore.OPEN.equals(s.status())) {
                throw ApiException.conflict("session " + s.id() + " is closed: start a new conversation with "
                        + "POST /api/messages");
            }
            requireConfigured(channel);
            List<StoredMessage> messages = channel.sessions().messages(s.id());
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
            ApiCall.json(exchange, channel.json(), 202, OutboundApi.queued(channel, queued));
        });
    }

    /** Closes every session idle for longer than {@code SESSION_IDLE_TIMEOUT}; called on a timer. */
    public int closeIdle() {
        int closed = channel.sessions().closeIdle(channel.clock().instant());
        if (closed > 0) {
            LOG.info("Closed {} idle session(s)", closed);
        }
        return closed;
    }

    /** Parses an API reply body ({@code text}, {@code html}, {@code attachments}) with API-style messages. */
    static AgentReply reply(JsonNode body) {
        ApiCall.text(body, "text", "text");
        ApiCall.text(body, "html", "html");
        JsonNode files = body.get("attachments");
        if (files != null && files.isArray()) {
            for (int i = 0; i < files.size(); i++) {
                JsonNode data = files.get(i).get("data");
                if (data != null && data.isTextual() && !data.asText().isEmpty() && !isBase64(data.asText())) {
                    throw ApiException.badRequest("attachments[" + i + "] (" + files.get(i).path("filename").asText()
                            + ") data is not base64");
                }
            }
        }
        AgentReply reply;
        try {
            reply = AgentReplies.parse(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage().replace("reply.attachments", "attachments")
                    .replace("reply has neither", "the message has neither"));
        }
        if (reply.text().isBlank() && reply.html() != null) {
            // HTML only: the plain-text part is the HTML's text, not empty
            reply = new AgentReply(dev.emailchannel.quote.HtmlToText.convert(org.jsoup.Jsoup.parse(reply.html())
                    .body()), reply.html(), reply.attachments());
        }
        for (int i = 0; i < reply.attachments().size(); i++) {
            var a = reply.attachments().get(i);
            try {
                Recipients.noLineBreak("attachments[" + i + "].filename", a.filename());
                Recipients.noLineBreak("attachments[" + i + "].content_type", a.contentType());
                Recipients.noLineBreak("attachments[" + i + "].content_id", a.contentId());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            if (a.contentType() != null && !a.contentType().isBlank()) {
                try {
                    new jakarta.mail.internet.ContentType(a.contentType());
                } catch (jakarta.mail.internet.ParseException e) {
                    throw ApiException.badRequest("\"attachments[" + i + "].content_type\" is not a MIME type: '"
                            + a.contentType() + "'");
                }
            }
        }
        return reply;
    }

    /** Strict base64 (standard alphabet, padding, line breaks allowed); the MIME decoder alone skips junk. */
    static boolean isBase64(String data) {
        String compact = data.replaceAll("[\\r\\n\\t ]", "");
        if (!compact.matches("[A-Za-z0-9+/]*={0,2}") || compact.length() % 4 == 1) {
            return false;
        }
        try {
            java.util.Base64.getDecoder().decode(compact.length() % 4 == 0 ? compact
                    : compact + "==".substring(0, 4 - compact.length() % 4));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static void requireConfigured(Channel channel) {
        if (!channel.configured()) {
            throw new ApiException(503, "the channel is not configured: "
                    + String.join("; ", channel.settingsProblems()));
        }
    }

    private MailboxSettings mailbox(String address, SessionStore.SessionSummary s) {
        try {
            return channel.mailbox(address);
        } catch (IllegalArgumentException e) {
            throw ApiException.conflict("session " + s.id() + " belongs to mailbox " + address
                    + ", which is no longer configured");
        }
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

    private SessionStore.SessionSummary session(String id) {
        return channel.sessions().session(id).orElseThrow(() -> ApiException.notFound("no session " + id));
    }

    static Map<String, Object> summary(SessionStore.SessionSummary s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.id());
        out.put("customer", s.customer());
        out.put("customer_name", s.customerName());
        out.put("mailbox", s.mailbox());
        out.put("origin", s.origin());
        out.put("status", s.status());
        out.put("opened_at", string(s.openedAt()));
        out.put("last_activity_at", string(s.lastActivityAt()));
        out.put("closed_at", string(s.closedAt()));
        return out;
    }

    private Map<String, Object> view(SessionStore.SessionSummary s) {
        Map<String, Object> out = summary(s);
        Map<String, Outbox.Entry> deliveries = new LinkedHashMap<>();
        for (Outbox.Entry e : channel.outbox().bySession(s.id())) {
            deliveries.put(e.messageId(), e);
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (StoredMessage m : channel.sessions().messages(s.id())) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("direction", m.direction());
            v.put("mailbox", m.mailbox());
            v.put("message_id", m.messageId());
            v.put("in_reply_to", m.inReplyTo());
            v.put("references", m.references());
            Map<String, Object> from = new LinkedHashMap<>();
            from.put("address", m.fromAddress());
            from.put("name", m.fromName());
            v.put("from", from);
            v.put("reply_to", m.replyTo());
            v.put("to", m.to());
            v.put("subject", m.subject());
            v.put("text", m.text());
            v.put("auto_reply", m.autoReplyReason() != null);
            v.put("auto_reply_reason", m.autoReplyReason());
            v.put("created_at", string(m.createdAt()));
            List<Map<String, Object>> files = new ArrayList<>();
            for (StoredMessage.StoredAttachment a : m.attachments()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("filename", a.filename());
                f.put("content_type", a.contentType());
                f.put("size", a.size());
                f.put("skipped_reason", a.skippedReason());
                files.add(f);
            }
            v.put("attachments", files);
            if ("OUT".equals(m.direction())) {
                Outbox.Entry e = deliveries.get(m.messageId());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("status", e == null ? null : e.status());
                d.put("attempts", e == null ? null : e.attempts());
                d.put("last_error", e == null ? null : e.lastError());
                v.put("delivery", d);
            }
            messages.add(v);
        }
        out.put("messages", messages);
        return out;
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }
}
