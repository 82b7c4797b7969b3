package dev.emailchannel.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.session.Outbox;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/outbox} (outgoing mails with their delivery state) and the operator's actions on one: release a held
 * reply, retry a failed one, cancel one not sent yet.
 */
public final class OutboxApi {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxApi.class);
    private static final List<String> STATES = List.of("pending", "held", "failed", "sent", "cancelled");

    /** One outgoing mail. */
    @JsonPropertyOrder({"id", "session_id", "mailbox", "to", "subject", "message_id", "state", "attempts",
        "next_attempt_at", "last_error", "hold_reason", "created_at", "sent_at"})
    public record MailView(String id, @JsonProperty("session_id") String sessionId, String mailbox, String to,
            String subject, @JsonProperty("message_id") String messageId, String state, int attempts,
            @JsonProperty("next_attempt_at") String nextAttemptAt, @JsonProperty("last_error") String lastError,
            @JsonProperty("hold_reason") String holdReason, @JsonProperty("created_at") String createdAt,
            @JsonProperty("sent_at") String sentAt) {

        static MailView of(Outbox.Entry e) {
            return new MailView(String.valueOf(e.id()), e.sessionId(), e.mailbox(), e.recipient(), e.subject(),
                    e.messageId(), e.status().toLowerCase(Locale.ROOT), e.attempts(),
                    SessionsApi.string(e.nextAttemptAt()), e.lastError(), e.holdReason(),
                    SessionsApi.string(e.createdAt()), SessionsApi.string(e.sentAt()));
        }
    }

    /** A page of outgoing mails. */
    public record MailList(List<MailView> mails, @JsonProperty("next_cursor") String nextCursor) {
    }

    private final Outbox outbox;
    private final OutboxSender sender;
    private final ObjectMapper json;
    private final Clock clock;

    public OutboxApi(Outbox outbox, OutboxSender sender, ObjectMapper json, Clock clock) {
        this.outbox = outbox;
        this.sender = sender;
        this.json = json;
        this.clock = clock;
    }

    /** {@code GET /api/outbox?state=&limit=&cursor=}. */
    public void list(Exchange exchange) throws Exception {
        Map<String, String> query = ApiCall.query(exchange);
        String state = InboxApi.blankToNull(query.get("state"));
        if (state != null && !STATES.contains(state.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("\"state\" must be one of " + STATES + ", not '" + state + "'");
        }
        Page page = Page.of(query);
        List<Outbox.Entry> entries = outbox.list(state == null ? null : state.toUpperCase(Locale.ROOT), page.limit(),
                page.afterId());
        String last = entries.isEmpty() ? null : String.valueOf(entries.get(entries.size() - 1).id());
        ApiCall.json(exchange, json, 200, new MailList(entries.stream().map(MailView::of).toList(),
                page.next(entries.size(), last)));
    }

    /** {@code POST /api/outbox/{id}/release}: a held reply goes out. */
    public void release(Exchange exchange) throws Exception {
        act(exchange, "released", "held", outbox::release, true);
    }

    /** {@code POST /api/outbox/{id}/retry}: a failed mail is tried again. */
    public void retry(Exchange exchange) throws Exception {
        act(exchange, "retried", "failed", outbox::retry, true);
    }

    /** {@code POST /api/outbox/{id}/cancel}: a mail not sent yet is never sent. */
    public void cancel(Exchange exchange) throws Exception {
        act(exchange, "cancelled", "pending, held or failed (and not being sent right now)", outbox::cancel, false);
    }

    @FunctionalInterface
    private interface Action {
        boolean apply(long id, java.time.Instant now);
    }

    private void act(Exchange exchange, String done, String allowed, Action action, boolean sendNow)
            throws Exception {
        long id = ApiCall.numericPathId(exchange);
        Outbox.Entry before = outbox.find(id).orElseThrow(() -> ApiException.notFound("no outbox entry " + id));
        if (!action.apply(id, clock.instant())) {
            throw ApiException.conflict("outbox entry " + id + " is " + before.status().toLowerCase(Locale.ROOT)
                    + ": only an entry that is " + allowed + " can be " + done);
        }
        LOG.info("{}: outbox entry {} ({} to {}) {} over the API", before.mailbox(), id, before.messageId(),
                before.recipient(), done);
        if (sendNow) {
            sender.send(id);
        }
        ApiCall.json(exchange, json, 200, MailView.of(outbox.find(id).orElseThrow()));
    }
}
