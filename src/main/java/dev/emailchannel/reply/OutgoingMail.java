package dev.emailchannel.reply;

/** A composed email ready for the outbox: its Message-ID, recipient, subject, plain text and RFC 5322 bytes. */
public record OutgoingMail(String messageId, String to, String subject, String text, String inReplyTo,
        String references, byte[] raw) {
}
