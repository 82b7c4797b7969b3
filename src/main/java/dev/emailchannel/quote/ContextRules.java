package dev.emailchannel.quote;

import static dev.emailchannel.quote.LineClassifier.DELIMITER;
import static dev.emailchannel.quote.LineClassifier.EMBEDDED;
import static dev.emailchannel.quote.LineClassifier.EMPTY;
import static dev.emailchannel.quote.LineClassifier.HEADER;
import static dev.emailchannel.quote.LineClassifier.JOINED;
import static dev.emailchannel.quote.LineClassifier.QUOTE;
import static dev.emailchannel.quote.LineClassifier.SIGNATURE;
import static dev.emailchannel.quote.LineClassifier.TEXT;

import java.util.List;

/**
 * Second look at the line classes, with the neighbouring lines: a line that merely looks like history becomes text
 * again unless its surroundings corroborate it. Losing words the customer wrote is worse than keeping a line of
 * history, so each rule errs on the side of text:
 * <ul>
 *   <li>a footer ("Sent from my iPad") stands on a line of its own, not at the start of a sentence that goes on;</li>
 *   <li>a header block needs corroboration ({@link HeaderBlocks});</li>
 *   <li>an attribution without an address or a full date and time ("On Monday, I wrote:") needs quoted lines
 *       below it;</li>
 *   <li>a REPL session ("&gt;&gt;&gt; print(x)") and a lone "&gt;" line inside a paragraph of a body without any
 *       quote structure are text;</li>
 *   <li>a rule ("-----", "____") is a delimiter only above history or a signature, never as a heading underline.</li>
 * </ul>
 * Each rule is one linear pass.
 */
final class ContextRules {

    private ContextRules() {
    }

    static void apply(List<String> lines, char[] cls, String threadSubject, boolean signatures) {
        footersStandAlone(cls);
        HeaderBlocks.corroborate(lines, cls, threadSubject);
        attributionsNeedHistory(lines, cls);
        replSessionsAreText(lines, cls);
        loneQuoteLinesAreText(cls);
        if (signatures) {
            delimitersNeedSignatureOrHistory(lines, cls);
        }
    }

    /** The next line after {@code i} that is neither blank nor joined, or -1. */
    static int nextNonBlank(char[] cls, int i) {
        for (int j = i + 1; j < cls.length; j++) {
            if (cls[j] != EMPTY && cls[j] != JOINED) {
                return j;
            }
        }
        return -1;
    }

    /** The previous line before {@code i} that is neither blank nor joined, or -1. */
    static int previousNonBlank(char[] cls, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (cls[j] != EMPTY && cls[j] != JOINED) {
                return j;
            }
        }
        return -1;
    }

    /** The line directly after {@code i} (joined lines skipped), or -1. */
    private static int next(char[] cls, int i) {
        int j = i + 1;
        while (j < cls.length && cls[j] == JOINED) {
            j++;
        }
        return j < cls.length ? j : -1;
    }

    /** "Sent from my iPad" directly followed by more text is the start of a sentence, not a footer. */
    private static void footersStandAlone(char[] cls) {
        for (int i = 0; i < cls.length; i++) {
            if (cls[i] == SIGNATURE) {
                int j = next(cls, i);
                if (j >= 0 && cls[j] == TEXT) {
                    cls[i] = TEXT;
                }
            }
        }
    }

    /**
     * An attribution counts when quoted lines, a header block or another marker follow it, or when it names an
     * address (Yahoo and Outlook write the history below it unquoted). "On Monday, I wrote to you:" followed by the
     * customer's own text is text.
     */
    private static void attributionsNeedHistory(List<String> lines, char[] cls) {
        for (int i = 0; i < cls.length; i++) {
            String line = lines.get(i);
            if (cls[i] != EMBEDDED || line.indexOf('@') >= 0 || LineClassifier.isOriginalMessageMarker(line)
                    || LineClassifier.hasFourDigits(line) && HeaderBlocks.dateEvidence(line) >= 2) {
                continue; // an address, or a full date with a time ("2016-03-03 17:21 GMT+01:00 Some One")
            }
            int j = nextNonBlank(cls, i);
            int p = previousNonBlank(cls, i);
            boolean history = j >= 0 && (cls[j] == QUOTE || cls[j] == HEADER || cls[j] == EMBEDDED || cls[j] == DELIMITER)
                    || p >= 0 && cls[p] == EMBEDDED; // a chain of attributions
            if (!history) {
                cls[i] = TEXT;
            }
        }
    }

    /**
     * "&gt;&gt;&gt; import json" next to an unquoted line (the REPL's output or the sender's text) is a Python or
     * node session the sender pasted; a real third-level quote is surrounded by quoted lines. The whole run of
     * "&gt;&gt;&gt;" and "..." lines becomes text.
     */
    private static void replSessionsAreText(List<String> lines, char[] cls) {
        int n = cls.length;
        for (int i = 0; i < n; i++) {
            if (!isReplLine(lines.get(i)) || cls[i] != QUOTE) {
                continue;
            }
            int end = i;
            while (end + 1 < n && (isReplLine(lines.get(end + 1)) || lines.get(end + 1).startsWith("... "))) {
                end++;
            }
            boolean textAbove = i > 0 && cls[i - 1] == TEXT;
            boolean textBelow = end + 1 < n && cls[end + 1] == TEXT;
            if (textAbove || textBelow) {
                for (int k = i; k <= end; k++) {
                    cls[k] = TEXT;
                }
            }
            i = end;
        }
    }

    private static boolean isReplLine(String line) {
        return line.startsWith(">>> ") || line.equals(">>>");
    }

    /**
     * Above the first attribution, in text without a quote of two or more lines, a single "&gt;" line inside a paragraph
     * ("Prices:\n&gt; 100 EUR: express\n&lt; 100 EUR: standard") is the sender's text.
     */
    private static void loneQuoteLinesAreText(char[] cls) {
        int n = 0; // only above the first attribution or header block: inline answers come below one
        while (n < cls.length && cls[n] != EMBEDDED && cls[n] != HEADER) {
            n++;
        }
        for (int i = 0; i + 1 < n; i++) {
            if (cls[i] == QUOTE && cls[i + 1] == QUOTE) {
                return; // the text has a quote structure of its own
            }
        }
        for (int i = 1; i + 1 < n; i++) {
            if (cls[i] == QUOTE && cls[i - 1] == TEXT && cls[i + 1] == TEXT) {
                cls[i] = TEXT;
            }
        }
    }

    /**
     * A delimiter line ends the new text only above history, or above a block that looks like a signature
     * ({@code --} is the usual signature separator and accepts longer blocks, such as disclaimers; other rules
     * accept only a few short lines). A rule directly under a line of text is a heading underline.
     */
    private static void delimitersNeedSignatureOrHistory(List<String> lines, char[] cls) {
        int n = cls.length;
        java.util.Set<String> framing = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            if (cls[i] != DELIMITER) {
                continue;
            }
            if (framing.contains(lines.get(i).strip())) {
                cls[i] = TEXT; // the closing rule of a section the sender framed with two equal rules
                continue;
            }
            int j = nextNonBlank(cls, i);
            if (j < 0 || cls[j] == EMBEDDED || cls[j] == HEADER) {
                continue; // nothing after it, or the history starts below it
            }
            String rule = lines.get(i).strip();
            boolean dashDash = rule.equals("--");
            if (!dashDash && i > 0 && cls[i - 1] == TEXT && !LineClassifier.isBlank(lines.get(i - 1))) {
                cls[i] = TEXT; // "Results\n-------"
                continue;
            }
            int end = i + 1;
            while (end < n && cls[end] != EMBEDDED && cls[end] != HEADER && cls[end] != QUOTE) {
                end++;
            }
            if (!Signatures.looksLikeSignature(lines, cls, i + 1, end, dashDash)) {
                cls[i] = TEXT;
                framing.add(rule);
            }
        }
    }
}
