package dev.emailchannel.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.inbox.WorkSignal;
import dev.emailchannel.session.Inbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /api/inbox} (inbound mails with their state) and {@code POST /api/inbox/{id}/retry}. */
public final class InboxApi {

    private static final Logger LOG = LoggerFactory.getLogger(InboxApi.class);
    private static final List<String> STATES = List.of("pending", "parked", "delivered", "skipped");

    /** One inbound mail. */
    @JsonPropertyOrder({"id", "mailbox", "customer", "from", "subject", "message_id", "state", "attempts", "failures",
        "next_attempt_at", "last_error", "received_at", "stored_at", "session_id", "in_flight"})
    public record MailView(String id, String mailbox, String customer, String from, String subject,
            @JsonProperty("message_id") String messageId, String state, int attempts, int failures,
            @JsonProperty("next_attempt_at") String nextAttemptAt, @JsonProperty("last_error") String lastError,
            @JsonProperty("received_at") String receivedAt, @JsonProperty("stored_at") String storedAt,
            @JsonProperty("session_id") String sessionId, @JsonProperty("in_flight") boolean inFlight) {

        static MailView of(Inbox.Mail m, Instant now) {
            return new MailView(String.valueOf(m.id()), m.mailbox(), m.customer(), m.fromHeader(), m.subject(),
                    m.messageId(), m.state().toLowerCase(Locale.ROOT), m.attempts(), m.failures(),
                    SessionsApi.string(m.nextAttemptAt()), m.lastError(), SessionsApi.string(m.receivedAt()),
                    SessionsApi.string(m.storedAt()), m.sessionId(),
                    Inbox.PENDING.equals(m.state()) && m.leaseUntil() != null && m.leaseUntil().isAfter(now));
        }
    }

    /** A page of inbound mails. */
    public record MailList(List<MailView> mails, @JsonProperty("next_cursor") String nextCursor) {
    }

    private final Inbox inbox;
    private final WorkSignal signal;
    private final ObjectMapper json;
    private final Clock clock;

    public InboxApi(Inbox inbox, WorkSignal signal, ObjectMapper json, Clock clock) {
        this.inbox = inbox;
        this.signal = signal;
        this.json = json;
        this.clock = clock;
    }

    /** {@code GET /api/inbox?state=&mailbox=&customer=&limit=&cursor=}. */
    public void list(Exchange exchange) throws Exception {
        Map<String, String> query = ApiCall.query(exchange);
        String state = blankToNull(query.get("state"));
        if (state != null && !STATES.contains(state.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("\"state\" must be one of " + STATES + ", not '" + state + "'");
        }
        String customer = blankToNull(query.get("customer"));
        Page page = Page.of(query);
        List<Inbox.Mail> mails = inbox.list(new Inbox.Filter(state == null ? null : state.toUpperCase(Locale.ROOT),
                blankToNull(query.get("mailbox")), customer == null ? null : customer.toLowerCase(Locale.ROOT)),
                page.limit(), page.afterId());
        Instant now = clock.instant();
        String last = mails.isEmpty() ? null : String.valueOf(mails.get(mails.size() - 1).id());
        ApiCall.json(exchange, json, 200, new MailList(mails.stream().map(m -> MailView.of(m, now)).toList(),
                page.next(mails.size(), last)));
    }

    /** {@code POST /api/inbox/{id}/retry}: a parked mail back to pending. */
    public void retry(Exchange exchange) throws Exception {
        long id = ApiCall.numericPathId(exchange);
        Inbox.Mail mail = inbox.find(id).orElseThrow(() -> ApiException.notFound("no inbound mail " + id));
        if (!inbox.retry(id, clock.instant())) {
            throw ApiException.conflict("inbound mail " + id + " is " + mail.state().toLowerCase(Locale.ROOT)
                    + ", not parked: only a parked mail can be retried");
        }
        LOG.info("{}: parked mail {} (#{}) put back to pending over the API", mail.mailbox(), mail.messageId(), id);
        signal.mailStored();
        ApiCall.json(exchange, json, 200, MailView.of(inbox.find(id).orElseThrow(), clock.instant()));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
