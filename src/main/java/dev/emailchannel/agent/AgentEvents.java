package dev.emailchannel.agent;

import dev.emailchannel.attachment.AcceptedAttachment;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.attachment.SkippedAttachment;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.ForwardedMessage;
import dev.emailchannel.quote.InlineAnswer;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.SessionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the inbound event the agent receives (SPEC §6) as a JSON-ready map, keys in contract order. */
public final class AgentEvents {

    private AgentEvents() {
    }

    /** Everything the event is made of. */
    public record Inbound(String eventId, String connection, SessionRef session, String mailbox, ParsedMail mail,
            NewContent content, AttachmentSelection attachments, Instant receivedAt, String autoReplyReason) {
    }

    public static Map<String, Object> message(Inbound in) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "message");
        event.put("event_id", in.eventId());
        event.put("connection", in.connection());
        event.put("session", Map.of("id", in.session().id(), "new", in.session().isNew()));
        event.put("mailbox", in.mailbox());
        event.put("from", address(in.mail().from()));
        event.put("to", addresses(in.mail().to()));
        event.put("cc", addresses(in.mail().cc()));
        event.put("subject", in.mail().subject());
        event.put("text", in.content().text());
        event.put("message_id", in.mail().messageId());
        event.put("in_reply_to", in.mail().inReplyTo());
        event.put("received_at", in.receivedAt().toString());
        event.put("auto_reply", in.autoReplyReason() != null);
        List<Map<String, Object>> forwarded = new ArrayList<>();
        for (ForwardedMessage f : in.content().forwarded()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", f.from());
            m.put("date", f.date());
            m.put("subject", f.subject());
            m.put("text", f.text());
            forwarded.add(m);
        }
        event.put("forwarded", forwarded);
        List<Map<String, Object>> answers = new ArrayList<>();
        for (InlineAnswer a : in.content().inlineAnswers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("quote", a.quote());
            m.put("answer", a.answer());
            answers.add(m);
        }
        event.put("inline_answers", answers);
        event.put("quoted", in.content().quoted());
        List<Map<String, Object>> files = new ArrayList<>();
        for (AcceptedAttachment a : in.attachments().accepted()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("filename", a.filename());
            m.put("content_type", a.contentType());
            m.put("size", a.size());
            m.put("inline", a.inline());
            m.put("content_id", a.contentId());
            m.put("data", Base64.getEncoder().encodeToString(a.data()));
            files.add(m);
        }
        event.put("attachments", files);
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (SkippedAttachment s : in.attachments().skipped()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("filename", s.filename());
            m.put("size", s.size());
            m.put("reason", s.reason());
            skipped.add(m);
        }
        event.put("skipped_attachments", skipped);
        return event;
    }

    static Map<String, Object> address(EmailAddress a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", a.address());
        m.put("name", a.name());
        return m;
    }

    static List<Map<String, Object>> addresses(List<EmailAddress> list) {
        return list.stream().map(AgentEvents::address).toList();
    }
}
