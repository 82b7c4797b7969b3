package dev.emailchannel.quote;

import dev.emailchannel.mime.ParsedMail;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what the customer newly wrote in a mail: strips quoted history, signatures and client footers, and
 * collects forwarded mails (inline forwards and attached message/rfc822 parts) into
 * {@link NewContent#forwarded()}.
 *
 * <p>Choice of body: when the HTML body carries a client's quote marker (Gmail, Outlook, Apple Mail,
 * Thunderbird, Yahoo, Proton, Zimbra) the HTML decides, as markers are more reliable than text heuristics;
 * otherwise the plain-text body (or the HTML rendered as text) goes through {@link QuoteStripper}.
 *
 * <p>What the agent gets: {@link NewContent#text()} holds only the customer's own blocks (answers written between
 * quoted lines are joined by a blank line, and the pairs go to {@link NewContent#inlineAnswers()}); the quoted
 * history goes to {@link NewContent#quoted()}. A reply that writes nothing new (a quote and an attachment) has an
 * empty text. A body in which nothing is recognised as history is kept whole: never lose the customer's words.
 */
public final class NewContentExtractor {

    private final QuoteStripper stripper = new QuoteStripper();
    private final HtmlQuoteStripper htmlStripper = new HtmlQuoteStripper();
    private final ForwardedParser forwardedParser = new ForwardedParser();

    /** The decision of one of the strippers, before it is turned into what the agent gets. */
    private record Stripped(String kept, String removed, String history, List<QuoteStripper.Block> blocks) {
        static Stripped of(QuoteStripper.Result r) {
            return new Stripped(r.kept(), r.removed(), r.history(), r.blocks());
        }

        static Stripped of(HtmlQuoteStripper.Result r) {
            return new Stripped(r.text(), r.removedText(), r.history(), r.blocks());
        }
    }

    public NewContent extract(ParsedMail mail) {
        String plain = mail.plainText();
        String html = mail.html();
        String subject = mail.subject();
        List<ForwardedMessage> forwarded = new ArrayList<>();
        Stripped s;
        String extraRemoved = "";
        String keptHtml = null;
        String removedHtml = null;

        HtmlQuoteStripper.Result h = html != null && !html.isBlank() ? htmlStripper.strip(html, subject) : null;
        String bodyText = plain != null && !plain.isBlank() ? plain : h != null ? h.fullText() : "";

        ForwardedParser.Result fwd = forwardedParser.parse(bodyText, subject);
        if (fwd.found()) {
            forwarded.add(fwd.message());
            s = Stripped.of(stripper.strip(fwd.note(), subject));
            extraRemoved = fwd.removed();
            if (h != null) {
                keptHtml = h.markerFound() ? h.keptHtml() : html;
                removedHtml = h.markerFound() ? h.removedHtml() : "";
            }
        } else if (h != null && !h.fullText().isBlank() && (h.markerFound() || plain == null || plain.isBlank())) {
            s = Stripped.of(h);
            keptHtml = h.keptHtml();
            removedHtml = h.removedHtml();
        } else {
            s = Stripped.of(stripper.strip(bodyText, subject));
            if (h != null) {
                // the text decided; use the HTML cut found from the text when there is one
                keptHtml = h.keptHtml();
                removedHtml = h.removedHtml();
            }
        }
        for (ParsedMail attached : mail.attachedMessages()) {
            forwarded.add(fromAttached(attached));
        }
        String removedText = (s.removed() + "\n\n" + extraRemoved).strip();

        List<String> own = new ArrayList<>();
        List<String> quotes = new ArrayList<>();
        List<InlineAnswer> answers = new ArrayList<>();
        String lastQuote = null;
        for (QuoteStripper.Block b : s.blocks()) {
            if (b.quote()) {
                quotes.add(b.text());
                lastQuote = b.text();
            } else {
                own.add(b.text().strip());
                if (lastQuote != null) {
                    answers.add(new InlineAnswer(tail(lastQuote, NewContent.MAX_QUOTED), b.text().strip()));
                    lastQuote = null;
                }
            }
        }
        String quoted = cap(String.join("\n\n", quotes) + "\n\n" + s.history());
        String text;
        if (quotes.isEmpty()) {
            text = s.kept();
        } else {
            text = String.join("\n\n", own);
        }
        if (own.isEmpty() && quotes.isEmpty() && s.history().isBlank() && !fwd.found()) {
            // nothing was recognised as history, yet nothing was kept (a body that is only a signature): keep it all
            text = bodyText.strip();
            removedText = "";
        }
        return new NewContent(text, removedText, keptHtml, removedHtml, forwarded, answers, quoted);
    }

    /** At most {@link NewContent#MAX_QUOTED} characters, cut at a line break, with "…" where it was cut. */
    static String cap(String history) {
        String h = history.strip();
        if (h.length() <= NewContent.MAX_QUOTED) {
            return h;
        }
        int cut = h.lastIndexOf('\n', NewContent.MAX_QUOTED - 2);
        if (cut < NewContent.MAX_QUOTED / 2) {
            cut = NewContent.MAX_QUOTED - 2;
        }
        return h.substring(0, cut).stripTrailing() + "\n…";
    }

    /** The last {@code max} characters of a quote (the lines nearest the answer), cut at a line break. */
    private static String tail(String quote, int max) {
        if (quote.length() <= max) {
            return quote;
        }
        int from = quote.indexOf('\n', quote.length() - max + 2);
        return "…\n" + quote.substring(from < 0 ? quote.length() - max + 2 : from + 1);
    }

    private ForwardedMessage fromAttached(ParsedMail m) {
        String from = m.from() == null ? null
                : m.from().name() == null || m.from().name().isBlank() ? m.from().address()
                : m.from().name() + " <" + m.from().address() + ">";
        String date = m.date() == null ? m.headers().first("Date").orElse(null)
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(m.date().atOffset(ZoneOffset.UTC));
        NewContent inner = extract(m);
        return new ForwardedMessage(from, date, m.subject(), inner.text());
    }
}
