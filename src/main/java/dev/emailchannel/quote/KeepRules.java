package dev.emailchannel.quote;

import static dev.emailchannel.quote.LineClassifier.DELIMITER;
import static dev.emailchannel.quote.LineClassifier.EMBEDDED;
import static dev.emailchannel.quote.LineClassifier.EMPTY;
import static dev.emailchannel.quote.LineClassifier.HEADER;
import static dev.emailchannel.quote.LineClassifier.JOINED;
import static dev.emailchannel.quote.LineClassifier.QUOTE;
import static dev.emailchannel.quote.LineClassifier.SIGNATURE;
import static dev.emailchannel.quote.LineClassifier.TEXT;

/**
 * Decides which lines of a body are kept, on the string of line classes alone (see {@link LineClassifier}). By the
 * time it runs, {@link ContextRules} has turned every marker without corroboration back into text, so each rule
 * here can trust the classes it reads. Every step is one or two linear passes.
 *
 * <p>The steps follow the approach of Discourse's email_reply_trimmer (MIT), re-implemented: (1) everything from
 * the first signature or history delimiter goes; (2) footers go; (3) a body of nothing but history keeps nothing;
 * (4) a reply written below the history keeps only what follows it; (5) the text ends before the first attribution
 * that starts the history; (6) remaining attribution lines go; (7) a corroborated header block ends the text;
 * (8) trailing quotes go when some text remains.
 */
final class KeepRules {

    /** Bottom-posted text longer than this (in lines) after the last quote is not a signature below the history. */
    private static final int MAX_TEXT_AFTER_HISTORY = 7;

    private KeepRules() {
    }

    /** @return per line, whether it is kept */
    static boolean[] decide(char[] all) {
        int[] visible = visibleLines(all);
        char[] c = new char[visible.length];
        for (int k = 0; k < visible.length; k++) {
            c[k] = all[visible[k]];
        }
        int end = firstIndexOf(c, DELIMITER, 0, c.length);
        int[] live = withoutFooters(c, end);
        boolean[] keep = new boolean[all.length];
        if (onlyHistory(c, live)) {
            return keep;
        }
        int begin = replyBelowHistory(c, live);
        int stop = endBeforeAttribution(c, live, begin);
        stop = endBeforeLastHistory(c, live, begin, stop);
        int[] rest = withoutAttributions(c, live, begin, stop);
        int restEnd = endBeforeHeaderBlock(c, rest);
        int keptEnd = withoutTrailingQuotes(c, rest, restEnd);
        for (int k = 0; k < keptEnd; k++) {
            keep[visible[rest[k]]] = true;
        }
        return keep;
    }

    /** Indexes of the lines that are not continuations of a joined attribution line. */
    private static int[] visibleLines(char[] all) {
        int m = 0;
        for (char c : all) {
            if (c != JOINED) {
                m++;
            }
        }
        int[] idx = new int[m];
        int k = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != JOINED) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    private static int firstIndexOf(char[] c, char cls, int from, int to) {
        for (int k = from; k < to; k++) {
            if (c[k] == cls) {
                return k;
            }
        }
        return to;
    }

    /** Step 2: positions before {@code end} that are not client footers. */
    private static int[] withoutFooters(char[] c, int end) {
        int n = 0;
        for (int k = 0; k < end; k++) {
            if (c[k] != SIGNATURE) {
                n++;
            }
        }
        int[] live = new int[n];
        int j = 0;
        for (int k = 0; k < end; k++) {
            if (c[k] != SIGNATURE) {
                live[j++] = k;
            }
        }
        return live;
    }

    /** Step 3: attributions and quotes but no text at all: nothing new was written. */
    private static boolean onlyHistory(char[] c, int[] live) {
        boolean anyText = false;
        boolean anyMarker = false;
        for (int k : live) {
            anyText |= c[k] == TEXT || c[k] == HEADER;
            anyMarker |= c[k] == EMBEDDED;
        }
        return !anyText && anyMarker;
    }

    /**
     * Step 4: {@code ^(b[^t]+)+ t[te]*$}, a reply written below the quoted history: keep from its first text line.
     * Returns the first live position kept (0 when the rule does not apply).
     */
    private static int replyBelowHistory(char[] c, int[] live) {
        if (live.length == 0 || c[live[0]] != EMBEDDED) {
            return 0;
        }
        int f = -1;
        for (int k = 0; k < live.length; k++) {
            if (c[live[k]] == TEXT) {
                f = k;
                break;
            }
        }
        if (f < 2 || c[live[f - 1]] == EMBEDDED) {
            return 0;
        }
        for (int k = f; k < live.length; k++) {
            if (c[live[k]] != TEXT && c[live[k]] != EMPTY) {
                return 0;
            }
        }
        return f;
    }

    /** The last text position before {@code j}, skipping blank lines; -1 when the line before is not text. */
    private static int textBefore(char[] c, int[] live, int begin, int j) {
        int k = j - 1;
        while (k >= begin && c[live[k]] == EMPTY) {
            k--;
        }
        return k >= begin && c[live[k]] == TEXT ? k : -1;
    }

    /**
     * Step 5a: {@code t e* b [^q]*$}, text followed by an attribution after which nothing is quoted: the text ends
     * there (the history below is unquoted, as Yahoo and Outlook write it).
     */
    private static int endBeforeAttribution(char[] c, int[] live, int begin) {
        int lastQuote = -1;
        for (int k = begin; k < live.length; k++) {
            if (c[live[k]] == QUOTE) {
                lastQuote = k;
            }
        }
        for (int j = Math.max(lastQuote + 1, begin); j < live.length; j++) {
            if (c[live[j]] == EMBEDDED) {
                int t = textBefore(c, live, begin, j);
                if (t >= 0) {
                    return t + 1;
                }
            }
        }
        return live.length;
    }

    /**
     * Step 5b: {@code t e* b [eqbh]* [te]*$}, text followed by an attribution whose history runs to the end (at most
     * a short block of text after it, such as a signature below the quote): the text ends before that attribution.
     * Attributions followed by inline answers are left alone.
     */
    private static int endBeforeLastHistory(char[] c, int[] live, int begin, int stop) {
        int lastHistory = -1;
        for (int k = begin; k < stop; k++) {
            char x = c[live[k]];
            if (x == QUOTE || x == EMBEDDED || x == HEADER) {
                lastHistory = k;
            }
        }
        int lastTextBefore = begin - 1;
        for (int k = begin; k < lastHistory; k++) {
            if (c[live[k]] == TEXT) {
                lastTextBefore = k;
            }
        }
        int trailingText = 0;
        for (int k = Math.max(lastHistory + 1, begin); k < stop; k++) {
            if (c[live[k]] == TEXT) {
                trailingText++;
            }
        }
        for (int j = lastTextBefore + 1; j < stop && trailingText < MAX_TEXT_AFTER_HISTORY; j++) {
            if (c[live[j]] == EMBEDDED) {
                int t = textBefore(c, live, begin, j);
                if (t >= 0) {
                    return t + 1;
                }
            }
        }
        return stop;
    }

    /** Step 6: the live positions in [begin, stop) without the remaining attribution lines. */
    private static int[] withoutAttributions(char[] c, int[] live, int begin, int stop) {
        int n = 0;
        for (int k = begin; k < stop; k++) {
            if (c[live[k]] != EMBEDDED) {
                n++;
            }
        }
        int[] rest = new int[n];
        int j = 0;
        for (int k = begin; k < stop; k++) {
            if (c[live[k]] != EMBEDDED) {
                rest[j++] = live[k];
            }
        }
        return rest;
    }

    /**
     * Step 7: a header block ("From:/Sent:/To:/Subject:") that {@link ContextRules} found corroborated starts the
     * history: the text ends before it.
     */
    private static int endBeforeHeaderBlock(char[] c, int[] rest) {
        for (int k = 0; k < rest.length; k++) {
            if (c[rest[k]] == HEADER) {
                return k;
            }
        }
        return rest.length;
    }

    /** Step 8: trailing quotes and blank lines go when some text remains. */
    private static int withoutTrailingQuotes(char[] c, int[] rest, int end) {
        boolean anyText = false;
        for (int k = 0; k < end; k++) {
            anyText |= c[rest[k]] == TEXT;
        }
        int e = end;
        if (anyText) {
            while (e > 0 && (c[rest[e - 1]] == EMPTY || c[rest[e - 1]] == QUOTE)) {
                e--;
            }
        }
        return e;
    }
}
