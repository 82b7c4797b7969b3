package dev.emailchannel.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.session.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The session calls of the HTTP API: list, read (messages in order with delivery state), close; idle sessions close on a timer. */
public final class SessionsApi {

    private static final Logger LOG = LoggerFactory.getLogger(SessionsApi.class);

    /** A session without its messages. */
    @JsonPropertyOrder({"id", "customer", "customer_name", "mailbox", "origin", "status", "opened_at",
        "last_activity_at", "closed_at", "verified"})
    public record SessionView(String id, String customer, @JsonProperty("customer_name") String customerName,
            String mailbox, String origin, String status, @JsonProperty("opened_at") String openedAt,
            @JsonProperty("last_activity_at") String lastActivityAt, @JsonProperty("closed_at") String closedAt,
            Boolean verified) {

        static SessionView of(SessionStore.SessionSummary s) {
            return new SessionView(s.id(), s.customer(), s.customerName(), s.mailbox(), s.origin(), s.status(),
                    string(s.openedAt()), string(s.lastActivityAt()), string(s.closedAt()), s.verified());
        }
    }

    /** {@code GET /api/sessions}: a page, most recently active first. */
    public record SessionList(List<SessionView> sessions, @JsonProperty("next_cursor") String nextCursor) {
    }

    /** {@code GET /api/sessions/{id}}: the session and its messages in order. */
    @JsonPropertyOrder({"id", "customer", "customer_name", "mailbox", "origin", "status", "opened_at",
        "last_activity_at", "closed_at", "verified", "messages"})
    public record SessionDetail(String id, String customer, @JsonProperty("customer_name") String customerName,
            String mailbox, String origin, String status, @JsonProperty("opened_at") String openedAt,
            @JsonProperty("last_activity_at") String lastActivityAt, @JsonProperty("closed_at") String closedAt,
            Boolean verified, List<MessageView> messages) {
    }

    /** One message of a session, in or out; {@code delivery} only for outgoing mail. */
    @JsonPropertyOrder({"direction", "mailbox", "message_id", "in_reply_to", "references", "from", "reply_to", "to",
        "subject", "text", "auto_reply", "auto_reply_reason", "created_at", "attachments", "delivery"})
    public record MessageView(String direction, String mailbox, @JsonProperty("message_id") String messageId,
            @JsonProperty("in_reply_to") String inReplyTo, String references, Sender from,
            @JsonProperty("reply_to") String replyTo, String to, String subject, String text,
            @JsonProperty("auto_reply") boolean autoReply,
            @JsonProperty("auto_reply_reason") String autoReplyReason,
            @JsonProperty("created_at") String createdAt, List<FileView> attachments,
            @JsonInclude(JsonInclude.Include.NON_NULL) Delivery delivery) {
    }

    public record Sender(String address, String name) {
    }

    public record FileView(String filename, @JsonProperty("content_type") String contentType, long size,
            @JsonProperty("skipped_reason") String skippedReason) {
    }

    public record Delivery(String status, Integer attempts, @JsonProperty("last_error") String lastError) {
    }

    private final SessionStore sessions;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    public SessionsApi(SessionStore sessions, Outbox outbox, ObjectMapper json, Clock clock) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /** {@code GET /api/sessions?customer=&status=}. */
    public void list(Exchange exchange) throws Exception {
        Map<String, String> query = ApiCall.query(exchange);
        String status = query.get("status");
        if (status != null && !status.isBlank() && !List.of(SessionStore.OPEN, SessionStore.CLOSED)
                .contains(status.trim().toUpperCase(Locale.ROOT))) {
            throw ApiException.badRequest("\"status\" must be OPEN or CLOSED, not '" + status + "'");
        }
        Page page = Page.of(query);
        Instant afterActivity = null;
        String afterId = null;
        if (page.after() != null) {
            int bar = page.after().indexOf('|');
            try {
                afterActivity = Instant.parse(page.after().substring(0, Math.max(bar, 0)));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("\"cursor\" is not a cursor this API gave out");
            }
            afterId = page.after().substring(bar + 1);
        }
        List<SessionStore.SessionSummary> found = sessions.sessions(query.get("customer"), status, page.limit(),
                afterActivity, afterId);
        SessionStore.SessionSummary last = found.isEmpty() ? null : found.get(found.size() - 1);
        ApiCall.json(exchange, json, 200, new SessionList(found.stream().map(SessionView::of).toList(),
                page.next(found.size(), last == null ? null : last.lastActivityAt() + "|" + last.id())));
    }

    /** {@code GET /api/sessions/{id}}. */
    public void get(Exchange exchange) throws Exception {
        ApiCall.json(exchange, json, 200, detail(session(ApiCall.pathId(exchange))));
    }

    /** {@code POST /api/sessions/{id}/close}. */
    public void close(Exchange exchange) throws Exception {
        SessionStore.SessionSummary s = session(ApiCall.pathId(exchange));
        if (!sessions.close(s.id(), clock.instant())) {
            throw ApiException.conflict("session " + s.id() + " is already closed");
        }
        LOG.info("Session {} of {} closed over the API", s.id(), s.customer());
        ApiCall.json(exchange, json, 200, SessionView.of(session(s.id())));
    }

    /** Closes every session idle for longer than {@code SESSION_IDLE_TIMEOUT}; called on a timer. */
    public int closeIdle() {
        int closed = sessions.closeIdle(clock.instant());
        if (closed > 0) {
            LOG.info("Closed {} idle session(s)", closed);
        }
        return closed;
    }

    private SessionStore.SessionSummary session(String id) {
        return sessions.session(id).orElseThrow(() -> ApiException.notFound("no session " + id));
    }

    private SessionDetail detail(SessionStore.SessionSummary s) {
        Map<String, Outbox.Entry> deliveries = new HashMap<>();
        for (Outbox.Entry e : outbox.bySession(s.id())) {
            deliveries.put(e.messageId(), e);
        }
        List<MessageView> messages = sessions.messages(s.id()).stream().map(m -> message(m, deliveries)).toList();
        return new SessionDetail(s.id(), s.customer(), s.customerName(), s.mailbox(), s.origin(), s.status(),
                string(s.openedAt()), string(s.lastActivityAt()), string(s.closedAt()), s.verified(), messages);
    }

    private static MessageView message(StoredMessage m, Map<String, Outbox.Entry> deliveries) {
        Delivery delivery = null;
        if ("OUT".equals(m.direction())) {
            Outbox.Entry e = deliveries.get(m.messageId());
            delivery = e == null ? new Delivery(null, null, null)
                    : new Delivery(e.status(), e.attempts(), e.lastError());
        }
        return new MessageView(m.direction(), m.mailbox(), m.messageId(), m.inReplyTo(), m.references(),
                new Sender(m.fromAddress(), m.fromName()), m.replyTo(), m.to(), m.subject(), m.text(),
                m.autoReplyReason() != null, m.autoReplyReason(), string(m.createdAt()),
                m.attachments().stream().map(a -> new FileView(a.filename(), a.contentType(), a.size(),
                        a.skippedReason())).toList(), delivery);
    }

    static String string(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
