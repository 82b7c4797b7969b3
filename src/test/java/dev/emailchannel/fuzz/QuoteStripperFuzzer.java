package dev.emailchannel.fuzz;

import dev.emailchannel.mime.MailHeaders;
import dev.emailchannel.mime.ParsedMail;
import dev.emailchannel.quote.NewContent;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.quote.QuoteStripper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer fuzz target: any text through {@link QuoteStripper#strip}, {@link QuoteStripper#stripQuotesOnly} and
 * {@link NewContentExtractor#extract} (as the plain-text body, or as the HTML body when the first byte is odd). A
 * finding is any exception, or a broken promise: a null result, or a non-blank plain body of which nothing reaches
 * the agent: a blank text, no quoted history and no forwarded mail ("when in doubt, keep the customer's text"). A
 * reply that is only a quote has a blank text; its history is in {@link NewContent#quoted()}.
 */
public final class QuoteStripperFuzzer {

    private static final QuoteStripper STRIPPER = new QuoteStripper();
    private static final NewContentExtractor EXTRACTOR = new NewContentExtractor();

    private QuoteStripperFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        boolean html = (data[0] & 1) == 1;
        String text = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
        QuoteStripper.Result r = STRIPPER.strip(text);
        QuoteStripper.Result q = STRIPPER.stripQuotesOnly(text);
        if (r.kept() == null || r.removed() == null || q.kept() == null || q.removed() == null) {
            throw new IllegalStateException("a null result");
        }
        ParsedMail mail = new ParsedMail(null, null, List.of(), null, List.of(), List.of(), List.of(), "Re: fuzz",
                null, new MailHeaders(List.of()), html ? null : text, html ? text : null, List.of(), List.of(),
                List.of());
        NewContent content = EXTRACTOR.extract(mail);
        if (!html && !text.isBlank() && content.text().isBlank() && content.quoted().isBlank()
                && content.forwarded().isEmpty()) {
            throw new IllegalStateException("the customer's text was lost: nothing kept of a non-blank body");
        }
    }
}
