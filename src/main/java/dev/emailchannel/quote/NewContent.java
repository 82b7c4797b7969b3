package dev.emailchannel.quote;

import java.util.List;

/**
 * What the customer newly wrote in one email.
 *
 * @param text          the customer's own words only: no quoted or forwarded history, no signature; with inline
 *                      answers, the customer's blocks in order separated by a blank line; "" when nothing new was
 *                      written (a reply that only carries an attachment); never null
 * @param removedText   what was cut away as history, signature or client footer ("" when nothing)
 * @param keptHtml      the HTML of the new part when the mail had HTML, else null (attachment policy reads its cid: links)
 * @param removedHtml   the HTML of the quoted history when the mail had HTML, else null
 * @param forwarded     forwarded mails found inline or attached (empty when none)
 * @param inlineAnswers the customer's answers between quoted lines, each with the quote it answers (empty when none)
 * @param quoted        the quoted history as plain text, at most {@link #MAX_QUOTED} characters, for context; never
 *                      part of {@code text}; "" when the mail quotes nothing
 */
public record NewContent(String text, String removedText, String keptHtml, String removedHtml,
        List<ForwardedMessage> forwarded, List<InlineAnswer> inlineAnswers, String quoted) {

    /** Longest {@link #quoted()} text, in characters. */
    public static final int MAX_QUOTED = 4000;

    public NewContent {
        forwarded = List.copyOf(forwarded);
        inlineAnswers = List.copyOf(inlineAnswers);
        quoted = quoted == null ? "" : quoted;
    }

    /** Content without inline answers or quoted history. */
    public NewContent(String text, String removedText, String keptHtml, String removedHtml,
            List<ForwardedMessage> forwarded) {
        this(text, removedText, keptHtml, removedHtml, forwarded, List.of(), "");
    }
}
