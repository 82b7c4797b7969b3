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
        List<String> lines = splitAttributionsWithText(splitLines(text));
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
            String alt = alternativeQuote(line);
            if (alt != null) {
                lines.set(i, alt);
                line = alt;
            }
            char c = LineClassifier.classify(line);
            int consumed = 0;
            if (c == LineClassifier.TEXT || c == LineClassifier.QUOTE || c == LineClassifier.HEADER
                    || c == LineClassifier.EMBEDDED && !endsWithColon(line)) {
                consumed = joinWrappedAttribution(lines, cls, i);
                if (consumed > 0) {
                    c = LineClassifier.EMBEDDED;
                }
            }
            if (c == LineClassifier.QUOTE && isShellPrompt(line) && previousIsText(cls, i)) {
                c = LineClassifier.TEXT; // "> npm run build" right below the sender's own text is a prompt
            }
            if (!signatures) {
                if (c == LineClassifier.SIGNATURE) {
                    c = LineClassifier.TEXT;
                } else if (c == LineClassifier.DELIMITER) {
                    c = isLongRule(line) && nextIsHeaderish(lines, i) ? LineClassifier.EMBEDDED : LineClassifier.TEXT;
                }
            }
            cls[i] = c;
            i += consumed;
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

    /**
     * Yahoo Mail for Android writes the first quoted line on the attribution line itself
     * ("On Mon, Mar 3, 2025 at 9:14 AM, X&lt;x@y.org&gt; wrote:   Hi Linda,"): such a line becomes two lines. Only
     * lines with an address, a colon followed by at least two spaces, and an attribution before it. Linear.
     */
    static List<String> splitAttributionsWithText(List<String> lines) {
        List<String> out = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int cut = line.length() <= LineClassifier.MAX_MARKER_LINE && line.indexOf('@') > 0 ? attributionEnd(line) : -1;
            if (cut > 0) {
                if (out == null) {
                    out = new ArrayList<>(lines.subList(0, i));
                }
                out.add(line.substring(0, cut));
                out.add(line.substring(cut).strip());
            } else if (out != null) {
                out.add(line);
            }
        }
        return out == null ? lines : out;
    }

    private static int attributionEnd(String line) {
        for (int i = line.indexOf(':'); i > 0; i = line.indexOf(':', i + 1)) {
            if (i + 3 < line.length() && line.charAt(i + 1) == ' ' && line.charAt(i + 2) == ' '
                    && !LineClassifier.isBlank(line.substring(i + 1)) && line.lastIndexOf('@', i) > 0
                    && !LineClassifier.isQuote(line) && LineClassifier.isAttribution(line.substring(0, i + 1))) {
                return i + 1;
            }
        }
        return -1;
    }

    private static final String[] COMMANDS = {"$ ", "# ", "npm ", "npx ", "mvn ", "gradle ", "git ", "ls", "cd ",
        "sudo ", "docker ", "kubectl ", "curl ", "wget ", "pip ", "python", "java ", "node ", "yarn ", "make", "./",
        "cat ", "echo ", "ssh ", "scp ", "rm ", "cp ", "mv ", "grep ", "tail ", "systemctl ", "journalctl "};

    /** "&gt; npm run build": a single-level quote whose content is a shell command. */
    static boolean isShellPrompt(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '>' || line.length() > 200) {
            return false;
        }
        i++;
        if (i < line.length() && line.charAt(i) == '>') {
            return false;
        }
        String rest = line.substring(i).stripLeading();
        for (String c : COMMANDS) {
            if (rest.startsWith(c) && (rest.length() == c.length() || c.endsWith(" ") || rest.charAt(c.length()) == ' ')) {
                return true;
            }
        }
        return false;
    }

    private static boolean previousIsText(char[] cls, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (cls[k] == LineClassifier.EMPTY || cls[k] == 'x') {
                continue;
            }
            return cls[k] == LineClassifier.TEXT;
        }
        return false;
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

    /**
     * "Usenet" quote styles: "Name&gt; text" and "| text" become "&gt; text". Returns null when the line is not one.
     */
    private static String alternativeQuote(String line) {
        if (line.isEmpty()) {
            return null;
        }
        char c0 = line.charAt(0);
        if (c0 == '|' && line.indexOf('|', 1) < 0) {
            return ">" + line.substring(1);
        }
        if (Character.isLetter(c0)) {
            int i = 0;
            while (i < line.length() && i <= 20 && Character.isLetter(line.charAt(i))) {
                i++;
            }
            if (i < line.length() && i <= 20 && line.charAt(i) == '>' && (i + 1 == line.length() || line.charAt(i + 1) == ' ')) {
                return line.substring(i);
            }
        }
        return null;
    }

    /**
     * Attribution lines wrapped over several lines ("On Tue, 3 Mar 2020 at 10:00, Jane Doe &lt;\njane@x.org&gt; wrote:")
     * are joined into one line. Returns how many following lines were joined (0 when none).
     */
    private static int joinWrappedAttribution(List<String> lines, char[] cls, int i) {
        String line = lines.get(i);
        if (line.length() > 300) {
            return 0;
        }
        String first = LineClassifier.stripLead(line, true);
        boolean opener = LineClassifier.startsWithOpener(first);
        boolean hint = opener || first.indexOf('<') >= 0;
        String trimmed = first.strip();
        boolean sentenceEnd = trimmed.endsWith("!") || trimmed.endsWith("?") || trimmed.endsWith(".")
                && trimmed.length() > 1 && Character.isLetter(trimmed.charAt(trimmed.length() - 2)) && trimmed.indexOf('<') < 0;
        if (!hint || sentenceEnd) {
            return 0;
        }
        int textLines = 0;
        StringBuilder joined = new StringBuilder(line);
        int k = 0;
        for (int j = i + 1; j < lines.size() && j <= i + 5; j++) {
            String next = lines.get(j);
            if (next.length() > 300) {
                return 0;
            }
            if (LineClassifier.isBlank(next)) {
                if (!opener) {
                    return 0;
                }
                continue;
            }
            if (LineClassifier.startsWithOpener(LineClassifier.stripLead(next, true)) || ++textLines > 3) {
                return 0;
            }
            joined.append(' ').append(next);
            k = j - i;
            String candidate = joined.toString();
            if (LineClassifier.isAttribution(candidate)) {
                // "... <a@b.org>" + "wrote:" on the next line: take the longer attribution
                int nx = j + 1;
                while (nx < lines.size() && nx <= i + 6 && LineClassifier.isBlank(lines.get(nx)) && opener) {
                    nx++;
                }
                if (!endsWithColon(candidate) && nx < lines.size() && lines.get(nx).length() < 40 && endsWithColon(lines.get(nx))) {
                    String longer = candidate + " " + lines.get(nx);
                    if (LineClassifier.isAttribution(longer)) {
                        candidate = longer;
                        k = nx - i;
                    }
                }
                lines.set(i, candidate);
                for (int m = 1; m <= k; m++) {
                    lines.set(i + m, "");
                    cls[i + m] = 'x';
                }
                return k;
            }
            if (joined.length() > 400) {
                return 0;
            }
        }
        return 0;
    }

    private static boolean endsWithColon(String line) {
        String t = line.strip();
        return t.endsWith(":") || t.endsWith("：");
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
        // 2b. nothing but attributions and quotes (no text at all): nothing new was written
        {
            boolean anyText = false;
            boolean anyMarker = false;
            for (int k = 0; k < len; k++) {
                char c = p[v[k]];
                anyText |= c == 't' || c == 'h';
                anyMarker |= c == 'b';
            }
            if (!anyText && anyMarker) {
                return new boolean[n];
            }
        }
        // 3. reply at the end: ^(b[^t]+)*b[^t]+t[te]*$ → keep from the first text line
        if (len > 0 && p[v[0]] == 'b') {
            int f = -1;
            for (int k = 0; k < len; k++) {
                if (p[v[k]] == 't') {
                    f = k;
                    break;
                }
            }
            if (f >= 2 && p[v[f - 1]] != 'b') {
                boolean ok = true;
                for (int k = f; k < len; k++) {
                    if (p[v[k]] != 't' && p[v[k]] != 'e') {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    begin = f;
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
            int trailingT = 0;
            for (int k = Math.max(lastQBH + 1, begin); k < len; k++) {
                if (p[v[k]] == 't') {
                    trailingT++;
                }
            }
            for (int j = lastTBefore + 1; j < len && trailingT < 7; j++) {
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
