package dev.emailchannel.quote;

import java.util.List;

/**
 * What the customer newly wrote in one email.
 *
 * @param text        the new text only (no quoted or forwarded history, no signature), never null
 * @param removedText what was cut away as history, signature or client footer ("" when nothing)
 * @param keptHtml    the HTML of the new part when the mail had HTML, else null (attachment policy reads its cid: links)
 * @param removedHtml the HTML of the quoted history when the mail had HTML, else null
 * @param forwarded   forwarded mails found inline or attached (empty when none)
 */
public record NewContent(String text, String removedText, String keptHtml, String removedHtml,
        List<ForwardedMessage> forwarded) {

    public NewContent {
        forwarded = List.copyOf(forwarded);
    }
}
