package dev.emailchannel.reply;

import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.session.StoredMessage;
import java.time.Instant;

/** A composed email ready for the outbox: its Message-ID, recipient, subject, plain text and RFC 5322 bytes. */
public record OutgoingMail(String messageId, String to, String subject, String text, String inReplyTo,
        String references, byte[] raw) {

    /** This email as its session stores it: sent from {@code box}, with the names and sizes of {@code content}'s files. */
    public StoredMessage stored(String sessionId, MailboxSettings box, AgentReply content, Instant now) {
        return new StoredMessage(0, sessionId, "OUT", box.address().address(), messageId, inReplyTo, references,
                box.address().address(), box.displayName(), null, to, subject, text, null, now,
                content.attachments().stream().map(a -> new StoredMessage.StoredAttachment(a.filename(),
                        a.contentType(), a.data().length, null, null)).toList());
    }
}
