package dev.emailchannel.quote;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a plain-text mail body into what the sender newly wrote and what is quoted history, signature or
 * client footer.
 *
 * <p>Each line is classified once (empty, delimiter, mobile footer, attribution/"original message" marker,
 * header, quote, text; see {@link LineClassifier}); the decisions are then taken on the string of line
 * classes with hand-written linear scans. There is no regular expression over the whole text, so the running
 * time is linear in the size of the body.
 *
 * <p>Rules, in order: everything after a delimiter line ({@code -- }, {@code ____}, {@code ----}) goes; mobile
 * footers go; a reply written below an attribution and its quote is kept; the text up to an attribution line
 * that is followed by the quoted history is kept; header blocks ("From:/Sent:/To:/Subject:", at least three lines)
 * end the new text; trailing quotes go when some text remains. Quotes between answers (inline replies) stay, as
 * does a body that is nothing but a quote.
 */
public final class QuoteStripper {

    /** Kept (new) text and removed text; both stripped, never null. */
    public record Result(String kept, String removed) {
        public boolean removedSomething() {
            return !removed.isEmpty();
        }
    }

    /** Strips quoted history, signatures after a delimiter line and mobile/client footers. */
    public Result strip(String text) {
        return run(text, true);
    }

    /** Strips quoted history only; signatures and footers stay (what talon's {@code extract_from_plain} does). */
    public Result stripQuotesOnly(String text) {
        return run(text, false);
    }

    private Result run(String text, boolean signatures) {
        if (text == null || LineClassifier.isBlank(text)) {
            return new Result("", "");
        }
        List<String> lines = splitLines(text);
        int n = lines.size();
        char[] cls = new char[n];
        boolean inCode = false;
        for (int i = 0; i < n; i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inCode = !inCode;
                cls[i] = LineClassifier.TEXT;
                continue;
            }
            if (inCode) {
                cls[i] = LineClassifier.isBlank(line) ? LineClassifier.EMPTY : LineClassifier.TEXT;
                continue;
            }
            char c = LineClassifier.classify(line);
            if (c == LineClassifier.TEXT || c == LineClassifier.QUOTE) {
                c = joinWrappedAttribution(lines, cls, i, c);
            }
            if (!signatures) {
                if (c == LineClassifier.SIGNATURE) {
                    c = LineClassifier.TEXT;
                } else if (c == LineClassifier.DELIMITER) {
                    c = isLongRule(line) && nextIsHeaderish(lines, i) ? LineClassifier.EMBEDDED : LineClassifier.TEXT;
                }
            }
            cls[i] = c;
        }
        boolean[] keep = decide(cls);
        StringBuilder kept = new StringBuilder();
        StringBuilder removed = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (cls[i] == 'x') {
                continue; // continuation of a joined attribution line
            }
            StringBuilder target = keep[i] ? kept : removed;
            target.append(lines.get(i)).append('\n');
        }
        return new Result(kept.toString().strip(), removed.toString().strip());
    }

    private static boolean isLongRule(String line) {
        String t = line.strip();
        return t.length() >= 5 && (t.charAt(0) == '_' || t.charAt(0) == '-');
    }

    private static boolean nextIsHeaderish(List<String> lines, int i) {
        for (int j = i + 1; j < lines.size() && j < i + 4; j++) {
            String l = lines.get(j);
            if (LineClassifier.isBlank(l)) {
                continue;
            }
            return LineClassifier.isHeaderLine(l) || LineClassifier.isAttribution(l) || LineClassifier.isOriginalMessageMarker(l);
        }
        return false;
    }

    /** "On Tue, 3 Mar 2020 at 10:00, Jane Doe &lt;jane@x.org&gt;\nwrote:" → one attribution line. */
    private static char joinWrappedAttribution(List<String> lines, char[] cls, int i, char c) {
        String first = LineClassifier.stripLead(lines.get(i), true);
        boolean opener = LineClassifier.startsWithOpener(first) || LineClassifier.hasFourDigits(first) && first.length() < 200;
        if (!opener || first.length() > 300) {
            return c;
        }
        StringBuilder joined = new StringBuilder(lines.get(i).stripTrailing());
        for (int k = 1; k <= 3 && i + k < lines.size(); k++) {
            String next = lines.get(i + k);
            if (LineClassifier.isBlank(next) || next.length() > 300) {
                return c;
            }
            joined.append(' ').append(LineClassifier.stripLead(next, true).strip());
            String candidate = joined.toString();
            if (LineClassifier.isAttribution(candidate)) {
                lines.set(i, candidate);
                for (int j = 1; j <= k; j++) {
                    lines.set(i + j, "");
                    cls[i + j] = 'x';
                }
                return LineClassifier.EMBEDDED;
            }
        }
        return c;
    }

    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int len = text.length();
        if (len > 0 && text.charAt(0) == '\ufeff') {
            start = 1;
        }
        for (int i = start; i < len; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < len && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < len) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    /**
     * Decides which lines are kept. Works on the array of line classes; continuation lines ('x') are
     * invisible. Every step is one or two linear passes.
     */
    static boolean[] decide(char[] all) {
        int n = all.length;
        // index map of visible lines
        int[] idx = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (all[i] != 'x') {
                idx[m++] = i;
            }
        }
        char[] p = new char[m];
        for (int k = 0; k < m; k++) {
            p[k] = all[idx[k]];
        }
        boolean[] alive = new boolean[m];
        java.util.Arrays.fill(alive, true);
        int end = m; // exclusive end of the kept range

        // 1. everything from the first delimiter on goes
        for (int k = 0; k < end; k++) {
            if (p[k] == LineClassifier.DELIMITER) {
                end = k;
                break;
            }
        }
        // 2. mobile footers go
        for (int k = 0; k < end; k++) {
            if (p[k] == LineClassifier.SIGNATURE) {
                alive[k] = false;
            }
        }
        // work on a compacted view of the living lines
        int[] v = new int[end];
        int len = 0;
        for (int k = 0; k < end; k++) {
            if (alive[k]) {
                v[len++] = k;
            }
        }
        int begin = 0;
        // 3. reply at the end: b+ q+ [eq]* t [te]*
        {
            int k = 0;
            while (k < len && p[v[k]] == 'b') {
                k++;
            }
            int bs = k;
            while (k < len && p[v[k]] == 'q') {
                k++;
            }
            int qs = k - bs;
            while (k < len && (p[v[k]] == 'e' || p[v[k]] == 'q')) {
                k++;
            }
            if (bs > 0 && qs > 0 && k < len && p[v[k]] == 't') {
                int firstT = k;
                boolean ok = true;
                for (int j = k; j < len; j++) {
                    if (p[v[j]] != 't' && p[v[j]] != 'e') {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    begin = firstT;
                }
            }
        }
        // 4. t e* b [^q]* $  → keep up to (and including) that t
        {
            int lastQ = -1;
            for (int k = begin; k < len; k++) {
                if (p[v[k]] == 'q') {
                    lastQ = k;
                }
            }
            for (int j = Math.max(lastQ + 1, begin); j < len; j++) {
                if (p[v[j]] == 'b') {
                    int k = j - 1;
                    while (k >= begin && p[v[k]] == 'e') {
                        k--;
                    }
                    if (k >= begin && p[v[k]] == 't') {
                        len = k + 1;
                        break;
                    }
                }
            }
        }
        // 5. t e* b [eqbh]* [te]* $ → keep up to that t
        {
            int lastQBH = -1;
            for (int k = begin; k < len; k++) {
                char c = p[v[k]];
                if (c == 'q' || c == 'b' || c == 'h') {
                    lastQBH = k;
                }
            }
            int lastTBefore = begin - 1;
            for (int k = begin; k < lastQBH; k++) {
                if (p[v[k]] == 't') {
                    lastTBefore = k;
                }
            }
            for (int j = lastTBefore + 1; j < len; j++) {
                if (p[v[j]] == 'b') {
                    int k = j - 1;
                    while (k >= begin && p[v[k]] == 'e') {
                        k--;
                    }
                    if (k >= begin && p[v[k]] == 't') {
                        len = k + 1;
                        break;
                    }
                }
            }
        }
        // 6. remaining markers go
        List<Integer> rest = new ArrayList<>();
        for (int k = begin; k < len; k++) {
            if (p[v[k]] != 'b') {
                rest.add(v[k]);
            } else {
                alive[v[k]] = false;
            }
        }
        int r = rest.size();
        char[] q = new char[r];
        for (int k = 0; k < r; k++) {
            q[k] = p[rest.get(k)];
        }
        // 7. header blocks spanning several lines: h+ [hte]+ h+ e → all h
        for (int s = 0; s < r; s++) {
            if (q[s] != 'h') {
                continue;
            }
            int runEnd = s;
            while (runEnd < r && (q[runEnd] == 'h' || q[runEnd] == 't' || q[runEnd] == 'e')) {
                runEnd++;
            }
            int found = -1;
            for (int e = runEnd - 1; e >= s + 3; e--) {
                if (q[e] == 'e' && q[e - 1] == 'h') {
                    found = e;
                    break;
                }
            }
            if (found >= 0) {
                for (int k = s; k <= found; k++) {
                    q[k] = 'h';
                }
                break;
            }
            s = runEnd - 1;
        }
        // 8. t [eq]* h{3,} → keep up to that t
        int rlen = r;
        for (int s = 0; s < r; s++) {
            if (q[s] != 't') {
                continue;
            }
            int k = s + 1;
            while (k < r && (q[k] == 'e' || q[k] == 'q')) {
                k++;
            }
            int h = 0;
            while (k + h < r && q[k + h] == 'h') {
                h++;
            }
            if (h >= 3) {
                rlen = s + 1;
                break;
            }
        }
        // 9. stray header lines go, 10. trailing quotes go when text remains
        List<Integer> keptIdx = new ArrayList<>();
        StringBuilder pat = new StringBuilder();
        for (int k = 0; k < rlen; k++) {
            if (q[k] == 'h') {
                continue;
            }
            keptIdx.add(rest.get(k));
            pat.append(q[k]);
        }
        int plen = pat.length();
        if (pat.indexOf("t") >= 0) {
            while (plen > 0 && (pat.charAt(plen - 1) == 'e' || pat.charAt(plen - 1) == 'q')) {
                plen--;
            }
        }
        boolean[] keep = new boolean[n];
        for (int k = 0; k < plen; k++) {
            keep[idx[keptIdx.get(k)]] = true;
        }
        return keep;
    }
}
