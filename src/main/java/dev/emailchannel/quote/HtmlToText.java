package dev.emailchannel.quote;

import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Renders HTML as readable plain text: paragraphs separated by blank lines, line breaks, list items with
 * "- " (or "1. "), links as {@code text (url)}, and optionally blockquotes prefixed with "&gt; ".
 * Iterative (jsoup {@link NodeTraversor}), so deep nesting cannot overflow the stack.
 */
public final class HtmlToText {

    private static final Set<String> BLOCK = Set.of("p", "div", "section", "article", "header", "footer", "main",
            "aside", "nav", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "tr", "blockquote", "pre",
            "address", "center", "dl", "dt", "dd", "form", "fieldset", "figure", "figcaption", "hr", "tbody", "thead",
            "tfoot", "body", "html");
    private static final Set<String> PARAGRAPH = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
            "blockquote", "pre", "dl");
    private static final Set<String> SKIP = Set.of("head", "style", "script", "title", "meta", "link", "template", "noscript");

    private HtmlToText() {
    }

    /** Plain text of a node; blockquotes are not marked. */
    public static String convert(Node root) {
        return convert(root, false);
    }

    /** Plain text of a node; with {@code quoteBlockquotes}, lines inside blockquotes start with "&gt; ". */
    public static String convert(Node root, boolean quoteBlockquotes) {
        Renderer r = new Renderer(quoteBlockquotes);
        r.tight = root instanceof Element el && hasSpacerParagraphs(el);
        NodeTraversor.traverse(r, root);
        r.flushLine();
        return tidy(r.out.toString());
    }

    /**
     * Whether the document writes its blank lines as empty margin-less paragraphs (Word/Outlook: an empty
     * {@code <p class=MsoNormal>} between two written ones). Only then is each such paragraph one line; otherwise
     * paragraphs stay separated by a blank line, as before. Linear in the number of paragraphs.
     */
    static boolean hasSpacerParagraphs(Element root) {
        for (Element p : root.getElementsByTag("p")) {
            if (!Renderer.isTightParagraph(p) || !LineClassifier.isBlank(p.text())) {
                continue;
            }
            Element prev = p.previousElementSibling();
            Element next = p.nextElementSibling();
            if (prev != null && next != null && prev.normalName().equals("p") && next.normalName().equals("p")
                    && Renderer.isTightParagraph(prev) && Renderer.isTightParagraph(next)
                    && !LineClassifier.isBlank(prev.text()) && !LineClassifier.isBlank(next.text())) {
                return true;
            }
        }
        return false;
    }

    private static String tidy(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int newlines = 0;
        for (String line : QuoteStripper.splitLines(s)) {
            String t = stripTrailing(line);
            if (LineClassifier.isBlank(t.replace(">", "")) && t.replace(">", "").length() < t.length()) {
                // quote-only blank line: keep as one ">"
                t = t.strip();
            }
            if (t.isEmpty() || LineClassifier.isBlank(t)) {
                newlines++;
                if (newlines > 1) {
                    continue;
                }
                b.append('\n');
            } else {
                newlines = 0;
                b.append(t).append('\n');
            }
        }
        return b.toString().strip();
    }

    private static String stripTrailing(String s) {
        int e = s.length();
        while (e > 0 && (Character.isWhitespace(s.charAt(e - 1)) || s.charAt(e - 1) == '\u00a0')) {
            e--;
        }
        return s.substring(0, e);
    }

    private static final class Renderer implements NodeVisitor {
        final StringBuilder out = new StringBuilder();
        final StringBuilder line = new StringBuilder();
        final boolean quotes;
        boolean tight; // margin-less paragraphs are single lines (see hasSpacerParagraphs)
        int quoteDepth;
        int skipDepth;
        int preDepth;
        int pendingBreaks; // 1 = newline, 2 = blank line
        final java.util.ArrayDeque<int[]> listCounters = new java.util.ArrayDeque<>();

        Renderer(boolean quotes) {
            this.quotes = quotes;
        }

        @Override
        public void head(Node node, int depth) {
            if (skipDepth > 0) {
                if (node instanceof Element) {
                    skipDepth++;
                }
                return;
            }
            if (node instanceof TextNode t) {
                String text = preDepth > 0 ? t.getWholeText() : collapse(t.getWholeText());
                if (preDepth > 0) {
                    String[] parts = text.split("\n", -1);
                    for (int i = 0; i < parts.length; i++) {
                        if (i > 0) {
                            newline(1);
                            flushPending();
                        }
                        appendText(parts[i]);
                    }
                } else if (!text.isEmpty()) {
                    if (line.length() == 0 && pendingBreaks == 0 && LineClassifier.isBlank(text)) {
                        return;
                    }
                    if ((line.length() == 0 || pendingBreaks > 0) && text.startsWith(" ")) {
                        text = text.substring(1);
                    }
                    if (!text.isEmpty()) {
                        appendText(text.replace('\u00a0', ' ')); // &nbsp; is a space the writer typed: it stays
                    }
                }
                return;
            }
            if (!(node instanceof Element e)) {
                return;
            }
            String tag = e.normalName();
            if (SKIP.contains(tag)) {
                skipDepth = 1;
                return;
            }
            switch (tag) {
                case "br" -> {
                    if (line.length() > 0) {
                        flushLineOnly();
                        pendingBreaks = 0;
                    } else {
                        flushPending();
                        out.append(prefix()).append('\n');
                    }
                }
                case "hr" -> {
                    newline(2);
                }
                case "li" -> {
                    newline(1);
                    int[] c = listCounters.peek();
                    if (c != null && c[0] >= 0) {
                        c[0]++;
                        appendText(c[0] + ". ");
                    } else {
                        appendText("- ");
                    }
                }
                case "ol" -> {
                    newline(2);
                    listCounters.push(new int[] {0});
                }
                case "ul" -> {
                    newline(2);
                    listCounters.push(new int[] {-1});
                }
                case "blockquote" -> {
                    newline(2);
                    if (quotes) {
                        flushPending();
                        quoteDepth++;
                    }
                }
                case "pre" -> {
                    newline(2);
                    preDepth++;
                }
                case "img" -> {
                    // images carry no text; alt text of tiny spacers is noise
                }
                default -> {
                    if (tight && tag.equals("p") && isTightParagraph(e)) {
                        newline(1);
                    } else if (PARAGRAPH.contains(tag)) {
                        newline(2);
                    } else if (BLOCK.contains(tag)) {
                        newline(1);
                    } else if (tag.equals("td") || tag.equals("th")) {
                        if (line.length() > 0 && pendingBreaks == 0) {
                            appendText(" ");
                        }
                    }
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (skipDepth > 0) {
                if (node instanceof Element) {
                    skipDepth--;
                }
                return;
            }
            if (!(node instanceof Element e)) {
                return;
            }
            String tag = e.normalName();
            switch (tag) {
                case "a" -> {
                    String href = e.attr("href").strip();
                    String text = e.text().strip();
                    if (!href.isEmpty() && !href.startsWith("#") && !href.startsWith("cid:")) {
                        String shown = href.startsWith("mailto:") ? href.substring(7) : href;
                        if (!text.isEmpty() && !text.equals(shown) && !text.equals(href) && !shown.contains(text)) {
                            appendText(" (" + shown + ")");
                        }
                    }
                }
                case "ol", "ul" -> {
                    if (!listCounters.isEmpty()) {
                        listCounters.pop();
                    }
                    newline(2);
                }
                case "blockquote" -> {
                    newline(2);
                    if (quotes) {
                        flushLine();
                        quoteDepth = Math.max(0, quoteDepth - 1);
                    }
                }
                case "pre" -> {
                    preDepth = Math.max(0, preDepth - 1);
                    newline(2);
                }
                default -> {
                    if (tight && tag.equals("p") && isTightParagraph(e)) {
                        // one line per paragraph; an empty one is the blank line the writer typed
                        newline(LineClassifier.isBlank(e.text()) ? 2 : 1);
                    } else if (PARAGRAPH.contains(tag)) {
                        newline(2);
                    } else if (BLOCK.contains(tag)) {
                        newline(1);
                    }
                }
            }
        }

        /**
         * Paragraphs without vertical margins stand for single lines: Word/Outlook writes every line as
         * {@code <p class=MsoNormal>} (margin 0 in its style sheet, also as {@code x_MsoNormal} once quoted), and
         * some editors put {@code margin:0} on the paragraph itself.
         */
        static boolean isTightParagraph(Element e) {
            String cls = e.className();
            if (!cls.isEmpty() && (cls.endsWith("MsoNormal") || cls.contains("MsoNormal "))) {
                return true;
            }
            String style = e.attr("style");
            if (style.isEmpty() || style.length() > 500) {
                return false;
            }
            String s = style.toLowerCase(java.util.Locale.ROOT).replace(" ", "");
            for (String decl : s.split(";")) {
                if (decl.equals("margin:0") || decl.equals("margin:0px") || decl.equals("margin:0cm") || decl.equals("margin:0in")
                        || decl.equals("margin:0pt") || decl.equals("margin:0em")) {
                    return true;
                }
            }
            return false;
        }

        private void newline(int kind) {
            if (line.length() > 0) {
                flushLineOnly();
            }
            if (out.length() == 0) {
                return;
            }
            pendingBreaks = Math.max(pendingBreaks, kind);
        }

        private void appendText(String s) {
            flushPending();
            line.append(s);
        }

        private void flushPending() {
            if (pendingBreaks >= 2 && out.length() > 0) {
                out.append(prefix()).append('\n');
            }
            pendingBreaks = 0;
        }

        private void flushLineOnly() {
            if (line.length() > 0) {
                out.append(prefix()).append(line).append('\n');
                line.setLength(0);
            }
        }

        void flushLine() {
            flushLineOnly();
        }

        private String prefix() {
            return quoteDepth == 0 ? "" : "> ".repeat(quoteDepth);
        }

        private static String collapse(String s) {
            StringBuilder b = new StringBuilder(s.length());
            boolean space = false;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f') {
                    if (!space) {
                        b.append(' ');
                        space = true;
                    }
                } else {
                    b.append(c);
                    space = false;
                }
            }
            return b.toString();
        }
    }
}
