package dev.emailchannel.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.emailchannel.attachment.AcceptedAttachment;
import dev.emailchannel.attachment.AttachmentSelection;
import dev.emailchannel.attachment.FileContent;
import dev.emailchannel.attachment.SkippedAttachment;
import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.ForwardedMessage;
import dev.emailchannel.quote.InlineAnswer;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.session.SessionRef;
import dev.emailchannel.trust.SenderAuthentication;
import java.time.Instant;
import java.util.List;

/**
 * The inbound event the agent receives (SPEC §6), as records Jackson writes in contract order with snake_case names.
 * Attachment data is written as base64 streamed from the file's decoded content ({@link FileContentSerializer}): the
 * event holds no copy of a file, decoded or encoded.
 */
public final class AgentEvents {

    private AgentEvents() {
    }

    /** Everything the event is made of. */
    public record Inbound(String eventId, String connection, SessionRef session, String mailbox, ParsedMail mail,
            NewContent content, AttachmentSelection attachments, Instant receivedAt, String autoReplyReason,
            SenderAuthentication authentication) {

        public Inbound(String eventId, String connection, SessionRef session, String mailbox, ParsedMail mail,
                NewContent content, AttachmentSelection attachments, Instant receivedAt, String autoReplyReason) {
            this(eventId, connection, session, mailbox, mail, content, attachments, receivedAt, autoReplyReason,
                    SenderAuthentication.UNKNOWN);
        }
    }

    /** The JSON event. */
    @JsonPropertyOrder({"type", "event_id", "connection", "session", "mailbox", "from", "to", "cc", "subject", "text",
        "message_id", "in_reply_to", "received_at", "auto_reply", "authentication", "forwarded", "inline_answers",
        "quoted",
        "attachments", "skipped_attachments"})
    public record Event(
            String type,
            @JsonProperty("event_id") String eventId,
            String connection,
            Session session,
            String mailbox,
            Address from,
            List<Address> to,
            List<Address> cc,
            String subject,
            String text,
            @JsonProperty("message_id") String messageId,
            @JsonProperty("in_reply_to") String inReplyTo,
            @JsonProperty("received_at") String receivedAt,
            @JsonProperty("auto_reply") boolean autoReply,
            SenderAuthentication authentication,
            List<Forwarded> forwarded,
            @JsonProperty("inline_answers") List<InlineAnswer> inlineAnswers,
            String quoted,
            List<Attachment> attachments,
            @JsonProperty("skipped_attachments") List<Skipped> skippedAttachments) {
    }

    public record Session(String id, @JsonProperty("new") boolean isNew) {
    }

    public record Address(String address, String name) {

        static Address of(EmailAddress a) {
            return new Address(a.address(), a.name());
        }
    }

    public record Forwarded(String from, String date, String subject, String text) {
    }

    @JsonPropertyOrder({"filename", "content_type", "size", "inline", "content_id", "data"})
    public record Attachment(String filename, @JsonProperty("content_type") String contentType, long size,
            boolean inline, @JsonProperty("content_id") String contentId,
            @JsonSerialize(using = FileContentSerializer.class) FileContent data) {
    }

    public record Skipped(String filename, long size, String reason) {
    }

    public static Event message(Inbound in) {
        ParsedMail mail = in.mail();
        return new Event("message", in.eventId(), in.connection(),
                new Session(in.session().id(), in.session().isNew()), in.mailbox(), Address.of(mail.from()),
                addresses(mail.to()), addresses(mail.cc()), mail.subject(), in.content().text(), mail.messageId(),
                mail.inReplyTo(), in.receivedAt().toString(), in.autoReplyReason() != null,
                in.authentication() == null ? SenderAuthentication.UNKNOWN : in.authentication(),
                in.content().forwarded().stream().map(AgentEvents::forwarded).toList(),
                in.content().inlineAnswers(), in.content().quoted(),
                in.attachments().accepted().stream().map(AgentEvents::attachment).toList(),
                in.attachments().skipped().stream().map(AgentEvents::skipped).toList());
    }

    private static List<Address> addresses(List<EmailAddress> list) {
        return list.stream().map(Address::of).toList();
    }

    private static Forwarded forwarded(ForwardedMessage f) {
        return new Forwarded(f.from(), f.date(), f.subject(), f.text());
    }

    private static Attachment attachment(AcceptedAttachment a) {
        return new Attachment(a.filename(), a.contentType(), a.size(), a.inline(), a.contentId(), a.data());
    }

    private static Skipped skipped(SkippedAttachment s) {
        return new Skipped(s.filename(), s.size(), s.reason());
    }
}
