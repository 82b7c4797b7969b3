package dev.emailchannel.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.outbound.Campaign;
import dev.emailchannel.outbound.OutboundMail;
import dev.emailchannel.outbound.Recipients;
import dev.emailchannel.reply.AgentReply;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.session.ApiRequests;
import dev.emailchannel.session.Outbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound calls of the HTTP API: a one-off email ({@code POST /api/messages}, "Start conversation" in 360 View)
 * and a campaign ({@code POST /api/campaigns}). Each email opens or joins the customer's session and goes out from the
 * customer's sticky mailbox, or the next one in rotation. The whole request is checked before anything is queued.
 */
public final class OutboundApi {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundApi.class);

    /** The answer for a queued email: session, mailbox, Message-ID and delivery state after the first attempt. */
    public record QueuedView(@JsonProperty("session_id") String sessionId, String mailbox,
            @JsonProperty("message_id") String messageId, String to, String status,
            @JsonProperty("last_error") String lastError) {

        static QueuedView of(OutboundMail.Queued q, Outbox outbox) {
            Outbox.Entry e = outbox.find(q.outboxId()).orElse(null);
            return new QueuedView(q.sessionId(), q.mailbox(), q.messageId(), q.to(), e == null ? null : e.status(),
                    e == null ? null : e.lastError());
        }
    }

    /** {@code POST /api/campaigns}: how many emails were queued, and each. */
    public record CampaignView(int count, List<QueuedView> messages) {
    }

    private final OutboundMail outbound;
    private final OutboxSender sender;
    private final Outbox outbox;
    private final IdempotentRequests idempotent;
    private final LoadedSettings loaded;
    private final ObjectMapper json;

    /** One background thread, in order, that ends when idle: campaigns are sent one after the other. */
    private final java.util.concurrent.ThreadPoolExecutor campaignSender = new java.util.concurrent.ThreadPoolExecutor(
            1, 1, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "campaign-sender");
                t.setDaemon(true);
                return t;
            });

    {
        campaignSender.allowCoreThreadTimeOut(true);
    }

    public OutboundApi(OutboundMail outbound, OutboxSender sender, Outbox outbox, ApiRequests requests,
            LoadedSettings loaded, ObjectMapper json, Clock clock) {
        this.outbound = outbound;
        this.sender = sender;
        this.outbox = outbox;
        this.idempotent = new IdempotentRequests(requests, json, clock);
        this.loaded = loaded;
        this.json = json;
    }

    /** {@code POST /api/messages}: {@code {"to", "name"?, "subject", "text"/"html", "attachments"?}}. */
    public void message(Exchange exchange) throws Exception {
        JsonNode body = ApiCall.body(exchange, json);
        EmailAddress to = checked(() -> Recipients.address("to", ApiCall.text(body, "to", "to"),
                ApiCall.text(body, "name", "name")));
        String subject = subject(body);
        AgentReply content = ApiMessages.parse(body);
        ApiMessages.requireConfigured(loaded);
        IdempotentRequests.Outcome outcome = idempotent.queue(exchange, "messages",
                also -> outbound.send(List.of(new OutboundMail.NewEmail(to, subject, content)), also));
        OutboundMail.Queued queued = outcome.queued().get(0);
        if (outcome.repeated()) {
            LOG.info("Outbound email {} to {}: request repeated with the same Idempotency-Key, nothing queued again",
                    queued.messageId(), queued.to());
        } else {
            sender.send(queued.outboxId());
            LOG.info("Outbound email {} to {} from {} queued over the API (session {})", queued.messageId(),
                    queued.to(), queued.mailbox(), queued.sessionId());
        }
        ApiCall.json(exchange, json, 202, QueuedView.of(queued, outbox));
    }

    /**
     * {@code POST /api/campaigns}: {@code {"subject", "text", "html"?, "attachments"?, "participants": [{"address",
     * "name"?, "vars": {…}}]}} with {@code {{ var }}} placeholders in subject, text and html.
     */
    public void campaign(Exchange exchange) throws Exception {
        JsonNode body = ApiCall.body(exchange, json);
        String subject = subject(body);
        AgentReply template = ApiMessages.parse(body);
        JsonNode list = body.get("participants");
        if (list == null || list.isNull()) {
            throw ApiException.badRequest("missing \"participants\"");
        }
        if (!list.isArray()) {
            throw ApiException.badRequest("\"participants\" must be a list");
        }
        List<Campaign.Participant> participants = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            participants.add(participant(list.get(i), i));
        }
        List<Campaign.Personalised> emails = checked(() -> Campaign.personalise(subject, template.text(),
                template.html(), participants));
        ApiMessages.requireConfigured(loaded);
        List<OutboundMail.NewEmail> newEmails = emails.stream().map(p -> new OutboundMail.NewEmail(p.to(),
                p.subject(), new AgentReply(p.text(), p.html(), template.attachments()))).toList();
        // all or nothing: every email of the campaign is queued in one transaction
        IdempotentRequests.Outcome outcome = idempotent.queue(exchange, "campaigns",
                also -> outbound.send(newEmails, also));
        List<OutboundMail.Queued> queued = outcome.queued();
        if (outcome.repeated()) {
            LOG.info("Campaign \"{}\": request repeated with the same Idempotency-Key, nothing queued again", subject);
        } else {
            LOG.info("Campaign \"{}\": {} email(s) queued over the API", subject, queued.size());
            // sent in the background, in order; what cannot be sent now stays in the outbox for the outbox timer
            List<Long> ids = queued.stream().map(OutboundMail.Queued::outboxId).toList();
            campaignSender.execute(() -> ids.forEach(sender::send));
        }
        List<QueuedView> out = queued.stream().map(q -> QueuedView.of(q, outbox)).toList();
        ApiCall.json(exchange, json, 202, new CampaignView(out.size(), out));
    }

    private static String subject(JsonNode body) {
        String subject = ApiCall.text(body, "subject", "subject");
        if (subject == null || subject.isBlank()) {
            throw ApiException.badRequest("missing \"subject\"");
        }
        checked(() -> {
            Recipients.noLineBreak("subject", subject);
            return null;
        });
        return subject;
    }

    private static Campaign.Participant participant(JsonNode node, int i) {
        String at = "participants[" + i + "]";
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("\"" + at + "\" must be an object with \"address\"");
        }
        String address = ApiCall.text(node, "address", at + ".address");
        String name = ApiCall.text(node, "name", at + ".name");
        Map<String, String> vars = new LinkedHashMap<>();
        JsonNode v = node.get("vars");
        if (v != null && !v.isNull()) {
            if (!v.isObject()) {
                throw ApiException.badRequest("\"" + at + ".vars\" must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode value = e.getValue();
                if (value.isContainerNode()) {
                    throw ApiException.badRequest("\"" + at + ".vars." + e.getKey()
                            + "\" must be a string, number or boolean");
                }
                vars.put(e.getKey(), value.isNull() ? "" : value.asText());
            }
        }
        return new Campaign.Participant(address, name, vars);
    }

    private static <T> T checked(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
