package dev.emailchannel.quote;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Removes quoted history from an HTML mail body using the markers mail clients leave (Gmail
 * {@code gmail_quote}, Outlook {@code divRplyFwdMsg}/{@code appendonsend}/border-top separators, Apple Mail and
 * Thunderbird {@code blockquote type=cite}, Yahoo {@code yahoo_quoted}, Proton {@code protonmail_quote}, Zimbra
 * {@code zwchr}, …, including the prefixed copies clients make when they quote a quote: {@code x_}, {@code ydp…},
 * {@code yiv…}). Without a marker the body is rendered as text and handed to {@link QuoteStripper}; the HTML is
 * then cut at the element where the removed text starts.
 */
public final class HtmlQuoteStripper {

    /**
     * @param text        the new text, rendered from the kept HTML (quotes, signature, footers stripped); inline
     *                    quotes the sender answered stay, marked with "&gt; " (see {@code blocks}); "" when the sender
     *                    wrote nothing new
     * @param removedText the removed history, signature and footers as text
     * @param keptHtml    the HTML document without the history
     * @param removedHtml the HTML of the history ("" when nothing was removed)
     * @param marker      which marker decided the cut ("" when none; "text" when found through the text)
     * @param fullText    the whole body rendered as text (blockquotes marked with "&gt; ")
     * @param history     the quoted history only, as plain text without quote marks ("" when none)
     * @param blocks      the kept text as the sender's own blocks and the quotes they answered, in order
     */
    public record Result(String text, String removedText, String keptHtml, String removedHtml, String marker,
            String fullText, String history, List<QuoteStripper.Block> blocks) {
        public boolean markerFound() {
            return !marker.isEmpty() && !marker.equals("text");
        }
    }

    private static final String CUT_ATTR = "data-ec-cut";
    private final QuoteStripper stripper = new QuoteStripper();

    /** Marker kinds: CONTAINER holds the quote; AFTER means everything from here on is history. */
    private enum Kind { CONTAINER, AFTER }

    public Result strip(String html) {
        return strip(html, null);
    }

    /** As {@link #strip(String)}, with the mail's subject for the text rules (see {@link QuoteStripper#strip(String, String)}). */
    public Result strip(String html, String threadSubject) {
        Document doc = Jsoup.parse(html == null ? "" : html);
        doc.outputSettings().prettyPrint(false);
        Map<Element, Kind> markers = findMarkers(doc);
        Element first = null;
        for (Element e : doc.getAllElements()) {
            if (markers.containsKey(e)) {
                first = e;
                break;
            }
        }
        if (first != null) {
            if (markers.get(first) == Kind.CONTAINER && hasTextAfter(doc, first, markers)) {
                String fullText = HtmlToText.convert(doc.body(), true);
                // inline answers between quotes: decide on the text, keep the whole HTML
                QuoteStripper.Result r = stripper.strip(fullText, threadSubject);
                return new Result(r.kept(), r.removed(), doc.outerHtml(), "", "inline", fullText, r.history(), r.blocks());
            }
            String name = describe(first);
            Element cut = extendBackwards(first);
            return split(doc, cut, name, null, threadSubject);
        }
        String fullText = HtmlToText.convert(doc.body(), true);
        // no marker: decide on the text, then find where the removed part starts in the HTML
        QuoteStripper.Result r = stripper.strip(fullText, threadSubject);
        if (r.removedSomething()) {
            Element at = findTextStart(doc, firstMarkerLine(r.removed()));
            if (at != null && at != doc.body()) {
                Result s = split(doc, at, "text", fullText, threadSubject);
                return new Result(r.kept(), r.removed(), s.keptHtml(), s.removedHtml(), "text", fullText, r.history(),
                        r.blocks());
            }
        }
        return new Result(r.kept(), r.removed(), doc.outerHtml(), "", "", fullText, r.history(), r.blocks());
    }

    private Result split(Document doc, Element cut, String name, String fullText, String threadSubject) {
        cut.attr(CUT_ATTR, "1");
        Document removed = doc.clone();
        Document kept = doc; // the parsed document is ours: cut it in place
        cut.removeAttr(CUT_ATTR);
        cut.attr(CUT_ATTR, "1");
        Element k = kept.selectFirst("[" + CUT_ATTR + "]");
        Element r = removed.selectFirst("[" + CUT_ATTR + "]");
        // kept: drop the cut element and everything after it
        Node node = k;
        while (node != null && node != kept.body() && node.parent() != null) {
            Node next = node.nextSibling();
            while (next != null) {
                Node after = next.nextSibling();
                next.remove();
                next = after;
            }
            node = node.parent();
        }
        k.remove();
        // removed: drop everything before the cut element
        node = r;
        while (node != null && node != removed.body() && node.parent() != null) {
            Node prev = node.previousSibling();
            while (prev != null) {
                Node before = prev.previousSibling();
                prev.remove();
                prev = before;
            }
            node = node.parent();
        }
        r.removeAttr(CUT_ATTR);
        String keptText = HtmlToText.convert(kept.body(), true);
        QuoteStripper.Result t = stripper.strip(keptText, threadSubject);
        String removedText = HtmlToText.convert(removed.body(), false);
        String allRemoved = (t.removed() + "\n\n" + removedText).strip();
        String history = (t.history() + "\n\n" + removedText).strip();
        String full = fullText != null ? fullText : (keptText + "\n\n" + removedText).strip();
        return new Result(t.kept(), allRemoved, kept.outerHtml(), removed.body().html(), name, full, history, t.blocks());
    }

    // ------------------------------------------------------------------ markers

    private static Map<Element, Kind> findMarkers(Document doc) {
        Map<Element, Kind> found = new IdentityHashMap<>();
        for (Element e : doc.body().getAllElements()) {
            Kind k = kindOf(e);
            if (k != null) {
                found.put(e, k);
            }
        }
        return found;
    }

    private static boolean classEndsWith(Element e, String suffix) {
        String cls = e.className();
        if (cls.isEmpty()) {
            return false;
        }
        for (String c : cls.split("\\s+")) {
            if (c.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    static Kind kindOf(Element e) {
        String tag = e.normalName();
        String id = e.id();
        if (classEndsWith(e, "gmail_quote_container") || classEndsWith(e, "gmail_quote")) {
            return Kind.CONTAINER;
        }
        if (classEndsWith(e, "gmail_attr")) {
            return Kind.CONTAINER;
        }
        if (tag.equals("blockquote") && e.attr("type").equalsIgnoreCase("cite")) {
            return Kind.CONTAINER;
        }
        if (classEndsWith(e, "moz-cite-prefix")) {
            return Kind.CONTAINER;
        }
        if (classEndsWith(e, "moz-forward-container")) {
            return Kind.CONTAINER;
        }
        if (classEndsWith(e, "yahoo_quoted") || id.contains("yahoo_quoted")) {
            return Kind.CONTAINER;
        }
        if (classEndsWith(e, "protonmail_quote")) {
            return Kind.CONTAINER;
        }
        if (e.attr("data-marker").equals("__QUOTED_TEXT__")) {
            return Kind.CONTAINER;
        }
        if (!id.isEmpty() && (id.endsWith("divRplyFwdMsg") || id.endsWith("appendonsend") || id.endsWith("zwchr")
                || id.endsWith("OLK_SRC_BODY_SECTION") || id.endsWith("mail-editor-reference-message-container")
                || id.endsWith("divRpF") || id.endsWith("reply-intro"))) {
            return Kind.AFTER;
        }
        if (e.attr("data-marker").equals("__DIVIDER__") || e.attr("data-marker").equals("__HEADERS__")) {
            return Kind.AFTER;
        }
        if (classEndsWith(e, "OutlookMessageHeader") || classEndsWith(e, "mail-editor-reference-message-container")) {
            return Kind.AFTER;
        }
        String style = e.attr("style");
        if (!style.isEmpty() && style.length() < 500) {
            String s = style.toLowerCase(Locale.ROOT).replace(" ", "");
            if (s.contains("border-top:solid#e1e1e1") || s.contains("border-top:solid#b5c4df")
                    || (s.contains("border-top:") && (s.contains("#e1e1e1") || s.contains("#b5c4df")) && s.contains("padding"))) {
                return Kind.AFTER;
            }
        }
        if (tag.equals("blockquote") && (e.hasAttr("data-ymail-quoted") || style.toLowerCase(Locale.ROOT).contains("border-left")
                && e.previousElementSibling() != null && LineClassifier.isAttribution(shortText(e.previousElementSibling(), 400)))) {
            return Kind.CONTAINER;
        }
        if (tag.equals("blockquote") && startsWithAttribution(e)) {
            return Kind.CONTAINER; // Yahoo Mail for Android: "On …, X <x@y> wrote:" is the quote's first line
        }
        if (tag.equals("hr") && followedByHeaders(e)) {
            return Kind.AFTER;
        }
        return null;
    }

    /** Whether the element's text starts with an attribution line ("On …, X wrote:"). Looks at 300 characters. */
    private static boolean startsWithAttribution(Element e) {
        String text = shortText(e, 300).strip();
        for (int i = text.indexOf(':'); i > 0 && i < text.length(); i = text.indexOf(':', i + 1)) {
            if (i + 1 < text.length() && !Character.isWhitespace(text.charAt(i + 1))) {
                continue; // "9:14"
            }
            if (LineClassifier.isAttribution(text.substring(0, i + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean followedByHeaders(Element hr) {
        Element next = hr.nextElementSibling();
        if (next == null) {
            return false;
        }
        String text = shortText(next, 400);
        return ForwardedParser.isFromHeader(text) || LineClassifier.isOriginalMessageMarker(text)
                || text.toLowerCase(Locale.ROOT).startsWith("from:");
    }

    /** The first {@code max} characters of an element's text, without walking the whole subtree. */
    static String shortText(Element e, int max) {
        StringBuilder b = new StringBuilder();
        NodeTraversor.filter(new org.jsoup.select.NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    b.append(t.text());
                } else if (node instanceof Element el && (el.normalName().equals("br") || el.isBlock()) && b.length() > 0) {
                    b.append(' ');
                }
                return b.length() >= max ? FilterResult.STOP : FilterResult.CONTINUE;
            }
        }, e);
        String s = b.toString().replace('\u00a0', ' ');
        return s.length() > max ? s.substring(0, max) : s;
    }

    private static String describe(Element e) {
        String cls = e.className();
        return e.normalName() + (e.id().isEmpty() ? "" : "#" + e.id()) + (cls.isEmpty() ? "" : "." + cls.replace(' ', '.'));
    }

    /** Moves the cut up to an attribution line or separator directly above the marker. */
    private static Element extendBackwards(Element marker) {
        Element cut = marker;
        for (int guard = 0; guard < 6; guard++) {
            Element prev = cut.previousElementSibling();
            // only whitespace text between them
            Node between = cut.previousSibling();
            boolean onlySpace = true;
            while (between != null && between != prev) {
                if (between instanceof TextNode t && !t.isBlank()) {
                    onlySpace = false;
                    break;
                }
                between = between.previousSibling();
            }
            if (prev == null || !onlySpace) {
                // Apple Mail/iOS: the attribution is often the marker's parent's previous text ("On …, X wrote:<br>")
                break;
            }
            String text = shortText(prev, 401).strip();
            String tag = prev.normalName();
            if (tag.equals("hr") || (tag.equals("br") && cut != marker)
                    || (text.length() < 400 && (LineClassifier.isAttribution(text) || LineClassifier.isOriginalMessageMarker(text)
                    || (!text.isEmpty() && LineClassifier.isDelimiter(text) && text.length() >= 5)))) {
                cut = prev;
                continue;
            }
            break;
        }
        return cut;
    }

    /**
     * Whether the sender wrote something after (or, for Gmail, between the quotes inside) the first quote marker:
     * then the mail has inline answers and must be decided on the text with its quotes marked.
     */
    private static boolean hasTextAfter(Document doc, Element first, Map<Element, Kind> markers) {
        boolean countInside = first.normalName().equals("div")
                && (classEndsWith(first, "gmail_quote") || classEndsWith(first, "gmail_quote_container"));
        final boolean[] passed = {false};
        final boolean[] found = {false};
        final int[] depth = {0};
        final boolean[] inFirst = {false};
        final boolean[] sawNestedQuote = {false};
        NodeTraversor.filter(new org.jsoup.select.NodeFilter() {
            @Override
            public FilterResult head(Node node, int d) {
                if (node instanceof Element el && markers.containsKey(el)) {
                    if (el == first) {
                        passed[0] = true;
                        inFirst[0] = true;
                        if (!countInside) {
                            depth[0]++;
                        }
                        return FilterResult.CONTINUE;
                    }
                    if (passed[0] && markers.get(el) == Kind.AFTER) {
                        return FilterResult.STOP; // from here on everything is history
                    }
                    depth[0]++;
                    return FilterResult.CONTINUE;
                }
                if (passed[0] && depth[0] == 0 && (!inFirst[0] || sawNestedQuote[0]) && node instanceof TextNode t
                        && !t.isBlank()) {
                    String s = t.text().strip();
                    if (s.length() > 1 && !LineClassifier.isMobileFooter(s) && !LineClassifier.isDelimiter(s)
                            && !LineClassifier.isAttribution(s) && !LineClassifier.isBlank(s)) {
                        found[0] = true;
                        return FilterResult.STOP;
                    }
                }
                return FilterResult.CONTINUE;
            }

            @Override
            public FilterResult tail(Node node, int d) {
                if (node instanceof Element el && markers.containsKey(el)) {
                    if (el == first) {
                        inFirst[0] = false;
                        if (countInside) {
                            return FilterResult.CONTINUE;
                        }
                    } else if (inFirst[0] && el.normalName().equals("blockquote")) {
                        sawNestedQuote[0] = true;
                    }
                    depth[0]--;
                }
                return FilterResult.CONTINUE;
            }
        }, doc.body());
        return found[0];
    }

    private static String firstMarkerLine(String removed) {
        for (String line : QuoteStripper.splitLines(removed)) {
            String t = line.strip();
            if (!t.isEmpty()) {
                return t;
            }
        }
        return "";
    }

    /** The outermost element whose text starts with the given line (not the body itself). Linear. */
    private static Element findTextStart(Document doc, String line) {
        String probe = normalize(line.length() > 40 ? line.substring(0, 40) : line);
        if (probe.isEmpty()) {
            return null;
        }
        StringBuilder all = new StringBuilder();
        List<TextNode> nodes = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        NodeTraversor.traverse((node, depth) -> {
            if (node instanceof TextNode t && !t.isBlank()) {
                nodes.add(t);
                offsets.add(all.length());
                all.append(normalize(t.getWholeText()));
            }
        }, doc.body());
        int at = all.indexOf(probe);
        if (at < 0) {
            return null;
        }
        int idx = 0;
        while (idx + 1 < offsets.size() && offsets.get(idx + 1) <= at) {
            idx++;
        }
        TextNode t = nodes.get(idx);
        Element e = t.parent();
        // climb while this text is the first text of the parent
        while (e != null && e.parent() != null && e.parent() != doc.body() && firstText(e.parent()) == t) {
            e = e.parent();
        }
        return e;
    }

    private static TextNode firstText(Element e) {
        final TextNode[] found = new TextNode[1];
        NodeTraversor.filter(new org.jsoup.select.NodeFilter() {
            @Override
            public FilterResult head(Node node, int depth) {
                if (node instanceof TextNode t && !t.isBlank()) {
                    found[0] = t;
                    return FilterResult.STOP;
                }
                return FilterResult.CONTINUE;
            }
        }, e);
        return found[0];
    }

    private static String normalize(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c) && c != '\u00a0' && c != '>' && c != '*') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
