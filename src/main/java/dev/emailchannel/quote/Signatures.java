package dev.emailchannel.quote;

import java.util.List;

/** Whether the lines below a delimiter look like a signature (name, title, phone, links) rather than more text. */
final class Signatures {

    /** Below "--": at most this many lines (a signature with a legal disclaimer). */
    private static final int MAX_LINES_AFTER_DASH_DASH = 25;
    /** Below another rule ("-----", "____"): at most this many short lines. */
    private static final int MAX_LINES_AFTER_RULE = 6;
    private static final int MAX_SHORT_LINE = 80;

    private Signatures() {
    }

    /**
     * @param from     first line after the delimiter
     * @param to       end (exclusive): the start of the history or the end of the body
     * @param dashDash whether the delimiter is the usual signature separator "--"
     */
    static boolean looksLikeSignature(List<String> lines, char[] cls, int from, int to, boolean dashDash) {
        int count = 0;
        for (int k = from; k < to; k++) {
            if (cls[k] == LineClassifier.EMPTY || cls[k] == LineClassifier.JOINED || cls[k] == LineClassifier.DELIMITER) {
                continue;
            }
            String t = lines.get(k).strip();
            count++;
            if (t.endsWith("?") || t.endsWith("？")) {
                return false; // a question is never part of a signature
            }
            if (!dashDash && (t.length() > MAX_SHORT_LINE || t.endsWith(":") || isProse(t))) {
                return false;
            }
        }
        return count <= (dashDash ? MAX_LINES_AFTER_DASH_DASH : MAX_LINES_AFTER_RULE);
    }

    /** A sentence: six words or more ending with a full stop, comma or exclamation mark. */
    private static boolean isProse(String t) {
        if (!(t.endsWith(".") || t.endsWith(",") || t.endsWith("!") || t.endsWith("。"))) {
            return false;
        }
        int words = 1;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ' ') {
                words++;
            }
        }
        return words >= 6;
    }
}
