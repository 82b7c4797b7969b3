package dev.emailchannel.reply;

import dev.emailchannel.mime.EmailAddress;
import java.util.List;

/**
 * The customer message a reply answers.
 *
 * @param messageId  its Message-ID (with angle brackets), or null when it had none
 * @param references its References, in order
 * @param recipient  its Reply-To, or its From when it had no Reply-To
 */
public record ReplyTarget(String messageId, List<String> references, String subject, EmailAddress recipient) {

    public ReplyTarget {
        references = references == null ? List.of() : List.copyOf(references);
    }
}
