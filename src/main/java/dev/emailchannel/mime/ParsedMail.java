package dev.emailchannel.mime;

import java.time.Instant;
import java.util.List;

/**
 * One email as the channel understands it, produced by {@link MailParser} from raw RFC 5322 bytes.
 *
 * @param messageId        Message-ID with angle brackets, or null when the message has none
 * @param inReplyTo        In-Reply-To with angle brackets, or null
 * @param references       the Message-IDs of References, in order
 * @param from             first From address, or null when missing or unparseable
 * @param replyTo          Reply-To addresses (empty when absent)
 * @param to               To addresses
 * @param cc               Cc addresses
 * @param subject          decoded subject, "" when missing
 * @param date             Date header, or null
 * @param headers          all top-level headers, decoded, in order
 * @param plainText        the text/plain body of the message itself (not of attached messages), or null
 * @param html             the text/html body, or null
 * @param parts            files and inline images of the message itself
 * @param attachedMessages message/rfc822 parts (attached or forwarded mails), parsed
 * @param problems         what was wrong with the message but could be worked around (for the log)
 */
public record ParsedMail(
        String messageId,
        String inReplyTo,
        List<String> references,
        EmailAddress from,
        List<EmailAddress> replyTo,
        List<EmailAddress> to,
        List<EmailAddress> cc,
        String subject,
        Instant date,
        MailHeaders headers,
        String plainText,
        String html,
        List<MailPart> parts,
        List<ParsedMail> attachedMessages,
        List<String> problems) {

    public ParsedMail {
        references = List.copyOf(references);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        parts = List.copyOf(parts);
        attachedMessages = List.copyOf(attachedMessages);
        problems = List.copyOf(problems);
        subject = subject == null ? "" : subject;
    }
}
