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
 */
public final class NewContentExtractor {

    private final QuoteStripper stripper = new QuoteStripper();
    private final HtmlQuoteStripper htmlStripper = new HtmlQuoteStripper();
    private final ForwardedParser forwardedParser = new ForwardedParser();

    public NewContent extract(ParsedMail mail) {
        String plain = mail.plainText();
        String html = mail.html();
        List<ForwardedMessage> forwarded = new ArrayList<>();
        String text;
        String removedText;
        String keptHtml = null;
        String removedHtml = null;

        HtmlQuoteStripper.Result h = html != null && !html.isBlank() ? htmlStripper.strip(html) : null;
        String bodyText = plain != null && !plain.isBlank() ? plain : h != null ? h.fullText() : "";

        ForwardedParser.Result fwd = forwardedParser.parse(bodyText, mail.subject());
        if (fwd.found()) {
            forwarded.add(fwd.message());
            QuoteStripper.Result note = stripper.strip(fwd.note());
            text = note.kept();
            removedText = (note.removed() + "\n\n" + fwd.removed()).strip();
            if (h != null) {
                keptHtml = h.markerFound() ? h.keptHtml() : html;
                removedHtml = h.markerFound() ? h.removedHtml() : "";
            }
        } else if (h != null && !h.text().isBlank() && (h.markerFound() || plain == null || plain.isBlank())) {
            text = h.text();
            removedText = h.removedText();
            keptHtml = h.keptHtml();
            removedHtml = h.removedHtml();
        } else {
            QuoteStripper.Result r = stripper.strip(bodyText);
            text = r.kept();
            removedText = r.removed();
            if (h != null) {
                // the text decided; use the HTML cut found from the text when there is one
                keptHtml = h.keptHtml();
                removedHtml = h.removedHtml();
            }
        }
        if (text.isBlank() && !bodyText.isBlank() && !fwd.found()) {
            // never lose what the customer wrote: a reply that is only a quote yields the quote
            text = bodyText.strip();
            removedText = "";
        }
        for (ParsedMail attached : mail.attachedMessages()) {
            forwarded.add(fromAttached(attached));
        }
        return new NewContent(text, removedText == null ? "" : removedText, keptHtml, removedHtml, forwarded);
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
