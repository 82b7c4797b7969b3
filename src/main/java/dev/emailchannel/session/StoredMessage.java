package dev.emailchannel.session;

import java.time.Instant;
import java.util.List;

/**
 * One email of a session, in or out, as stored.
 *
 * @param direction {@code IN} or {@code OUT}
 * @param references the References header value (space separated), or null
 */
public record StoredMessage(
        long id,
        String sessionId,
        String direction,
        String mailbox,
        String messageId,
        String inReplyTo,
        String references,
        String fromAddress,
        String fromName,
        String replyTo,
        String to,
        String subject,
        String text,
        String autoReplyReason,
        Instant createdAt,
        List<StoredAttachment> attachments) {

    public StoredMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A file of a message; {@code skippedReason} is null when it went to the agent (or out to the customer). */
    public record StoredAttachment(String filename, String contentType, long size, String sha256,
            String skippedReason) {
    }
}
