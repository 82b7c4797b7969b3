package dev.emailchannel.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds a message forwarded inline in a plain-text body ("---------- Forwarded message ---------",
 * "Begin forwarded message:", localized Outlook header blocks, …) and splits the body into the note written
 * above the forward and the forwarded message (sender, date, subject, text). Line-based and linear.
 */
public final class ForwardedParser {

    /**
     * @param found   whether a forwarded message was found
     * @param note    what the sender wrote above the forward (stripped, "" when nothing); the whole text when not found
     * @param message the forwarded message, or null when not found
     * @param removed the forwarded block as it stood in the text ("" when not found)
     */
    public record Result(boolean found, String note, ForwardedMessage message, String removed) {
    }

    /** True when the subject starts with a forward prefix such as "Fwd:", "WG:", "TR:", "RV:". */
    public static boolean isForwardSubject(String subject) {
        if (subject == null) {
            return false;
        }
        String s = subject.strip();
        int colon = SubjectPrefixes.colon(s, 20);
        return colon > 0 && SubjectPrefixes.isForward(s.substring(0, colon));
    }

    /**
     * "VS:" forwards in Danish and Norwegian ("videresendt") but answers in Finnish ("vastaus"): a Finnish header
     * block or attribution below it makes it a reply.
     */
    private static boolean finnishReply(String subject, String text) {
        String s = subject.strip();
        int colon = SubjectPrefixes.colon(s, 20);
        if (colon <= 0 || !s.substring(0, colon).strip().equalsIgnoreCase("vs")) {
            return false;
        }
        String head = LineClassifier.lower(text.length() > 20_000 ? text.substring(0, 20_000) : text);
        return head.contains("lähettäjä:") || head.contains(" kirjoitti");
    }

    /**
     * Looks for an inline forward.
     *
     * @param text    plain-text body
     * @param subject subject of the carrying mail, or null when unknown (then header blocks count as forwards, and
     *                forwards below a reply attribution are still looked for); with a known subject that is not a
     *                forward ("Re: …", ""), a forward quoted below an attribution line is history, not a forward
     */
    public Result parse(String text, String subject) {
        if (text == null || text.isBlank()) {
            return new Result(false, text == null ? "" : text.strip(), null, "");
        }
        List<String> lines = QuoteStripper.splitLines(text);
        boolean fwdSubject = isForwardSubject(subject) && !finnishReply(subject, text);
        int n = lines.size();
        for (int i = 0; i < n; i++) {
            String line = lines.get(i);
            if (line.length() > 2000) {
                continue;
            }
            Kind kind = startKind(line, lines, i, subject, fwdSubject);
            if (kind != null) {
                Result r = extract(lines, i, kind, subject);
                if (r != null) {
                    return r;
                }
            }
            if (subject != null && !fwdSubject && LineClassifier.isAttribution(line)) {
                // below a reply attribution everything is quoted history, also an old forward inside it
                break;
            }
        }
        return new Result(false, text.strip(), null, "");
    }

    private enum Kind { SEPARATOR, HEADERS, ATTRIBUTION }

    private static Kind startKind(String line, List<String> lines, int i, String subject, boolean fwdSubject) {
        String lead = LineClassifier.stripLead(line, false).strip();
        if (lead.isEmpty()) {
            return null;
        }
        if (isForwardSeparator(line)) {
            String lower = lead.toLowerCase(Locale.ROOT);
            boolean original = lower.contains("original") || lower.contains("ursprüngliche") || lower.contains("origine")
                    || lower.contains("исходное") || lower.contains("původní") || lower.contains("alkuperäinen")
                    || lower.contains("oryginalna") || lower.contains("元のメッセージ") || lower.contains("原始")
                    || lower.contains("oprindelig") || lower.contains("opprinnelig") || lower.contains("ursprungligt")
                    || lower.contains("oorspronkelijk") || lower.contains("eredeti") || lower.contains("izvorna")
                    || lower.contains("pôvodná") || lower.contains("початкове") || lower.contains("özgün")
                    || lower.contains("оригінальн") || lower.contains("оригинальн") || lower.contains("origineel")
                    || lower.contains("orijinal") || lower.contains("вихідне");
            if (!original || fwdSubject || subject == null) {
                return Kind.SEPARATOR;
            }
            return null;
        }
        if (isFromHeader(line) && headerFollows(lines, i)) {
            if (fwdSubject || subject == null) {
                return Kind.HEADERS;
            }
            // an Outlook block directly after a "____" rule in a reply is history, not a forward
            return null;
        }
        if (fwdSubject && LineClassifier.isAttribution(line)) {
            return Kind.ATTRIBUTION;
        }
        return null;
    }

    static boolean isForwardSeparator(String line) {
        if (LineClassifier.isOriginalMessageMarker(line)) {
            return true;
        }
        String lead = LineClassifier.stripLead(line, false).strip();
        String lower = LineClassifier.lower(lead);
        if (lower.startsWith("--") || lower.startsWith("—")) {
            // Yahoo puts the header fields on the marker line itself
            String inner = LineClassifier.stripLead(lower, true);
            for (String m : MarkerWords.MESSAGE_MARKERS) {
                if (inner.startsWith(m)) {
                    return true;
                }
            }
            // "-------- Something --------" with a forward word inside
            int close = inner.indexOf("--");
            String word = close > 0 ? inner.substring(0, close).strip() : "";
            return !word.isEmpty() && word.length() < 60 && (word.contains("forward") || word.contains("fwd"));
        }
        return lower.equals("forwarded message:");
    }

    /** "Some Key: value" with a short key of letters, spaces and parentheses (unknown localized header). */
    private static boolean looksLikeHeader(String line) {
        String key = LineClassifier.headerKey(line);
        if (key == null || key.isEmpty() || key.length() > 25) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(Character.isLetter(c) || c == ' ' || c == '(' || c == ')' || c == '-' || c == '/' || c == '.')) {
                return false;
            }
        }
        return !LineClassifier.headerValue(line).isEmpty();
    }

    static boolean isFromHeader(String line) {
        String key = LineClassifier.headerKey(line);
        return key != null && MarkerWords.FROM_KEYS.contains(key) && !LineClassifier.headerValue(line).isEmpty();
    }

    private static boolean isAnyHeader(String line) {
        String key = LineClassifier.headerKey(line);
        return key != null && (MarkerWords.FROM_KEYS.contains(key) || MarkerWords.SUBJECT_KEYS.contains(key)
                || MarkerWords.DATE_KEYS.contains(key) || MarkerWords.OTHER_KEYS.contains(key));
    }

    private static boolean headerFollows(List<String> lines, int i) {
        for (int j = i + 1; j < lines.size() && j <= i + 3; j++) {
            if (isAnyHeader(lines.get(j))) {
                return true;
            }
        }
        return false;
    }

    private Result extract(List<String> lines, int start, Kind kind, String carrierSubject) {
        int n = lines.size();
        while (kind == Kind.HEADERS && start > 0 && isAnyHeader(lines.get(start - 1))) {
            start--; // "Gesendet: …" above "Von: …" (GMX, Web.de) belongs to the forwarded header block
        }
        HeaderFields fields = new HeaderFields();
        boolean quoted = LineClassifier.isQuote(lines.get(start));
        int bodyStart;
        if (kind == Kind.ATTRIBUTION) {
            fields.from = attributionSender(lines.get(start));
            fields.subject = SubjectPrefixes.bare(carrierSubject);
            bodyStart = start + 1;
        } else {
            int j = start;
            if (kind == Kind.SEPARATOR) {
                String rest = afterMarker(lines.get(start));
                if (!rest.isBlank()) {
                    String[] f = inlineHeaders(rest);
                    fields.from = f[0];
                    fields.date = f[1];
                    fields.subject = f[2];
                }
                j = start + 1;
                while (j < n && isBlankOrQuoteMark(lines.get(j))) {
                    j++;
                }
            }
            String lastKey = null;
            while (j < n) {
                String l = lines.get(j);
                if (isBlankOrQuoteMark(l)) {
                    break;
                }
                String key = isAnyHeader(l) ? LineClassifier.headerKey(l) : null;
                if (key == null && lastKey != null && looksLikeHeader(l)) {
                    key = LineClassifier.headerKey(l);
                }
                if (key == null && (l.contains(":") || l.contains("：")) && lastKey == null && j - start > 3) {
                    break;
                }
                if (key == null) {
                    // a wrapped value (long To/Cc lists), or the end of a header block without a blank line
                    if (lastKey != null && (MarkerWords.OTHER_KEYS.contains(lastKey)) && j + 1 < n && !isBlankOrQuoteMark(lines.get(j + 1))
                            && isAnyHeader(lines.get(j + 1))) {
                        j++;
                        continue;
                    }
                    if (lastKey == null && kind == Kind.SEPARATOR) {
                        // marker directly followed by text: no header block
                        break;
                    }
                    break;
                }
                fields.take(key, LineClassifier.headerValue(l));
                lastKey = key;
                j++;
            }
            if (kind == Kind.HEADERS && fields.from == null) {
                return null;
            }
            for (int h = start + 1; h < j; h++) {
                if (LineClassifier.isQuote(lines.get(h)) && !LineClassifier.isBlank(lines.get(h).replace(">", ""))) {
                    quoted = true;
                    break;
                }
            }
            bodyStart = j;
        }
        List<String> body = new ArrayList<>();
        for (int k = bodyStart; k < n; k++) {
            body.add(lines.get(k));
        }
        if (quoted || allQuoted(body)) {
            body = unquote(body);
        }
        for (int b = 0; b < body.size(); b++) {
            if (LineClassifier.isBlank(body.get(b))) {
                body.set(b, "");
            }
        }
        body = dedent(body);
        String bodyText = String.join("\n", body).strip();
        StringBuilder note = new StringBuilder();
        int noteEnd = start;
        // a "____" rule directly above an Outlook header block belongs to the forward
        int k = noteEnd - 1;
        while (k >= 0 && LineClassifier.isBlank(lines.get(k))) {
            k--;
        }
        if (k >= 0 && LineClassifier.isDelimiter(lines.get(k)) && lines.get(k).strip().length() >= 5) {
            noteEnd = k;
        }
        for (int m = 0; m < noteEnd; m++) {
            note.append(lines.get(m)).append('\n');
        }
        StringBuilder removed = new StringBuilder();
        for (int m = noteEnd; m < n; m++) {
            removed.append(lines.get(m)).append('\n');
        }
        ForwardedMessage msg = new ForwardedMessage(clean(fields.from), clean(fields.date), clean(fields.subject), bodyText);
        return new Result(true, note.toString().strip(), msg, removed.toString().strip());
    }

    private static String clean(String v) {
        if (v == null) {
            return null;
        }
        String s = v.strip();
        return s.isEmpty() ? null : s;
    }

    private static boolean isBlankOrQuoteMark(String l) {
        String t = l.strip();
        if (t.isEmpty()) {
            return true;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) != '>' && !Character.isWhitespace(t.charAt(i))) {
                return LineClassifier.isBlank(t);
            }
        }
        return true;
    }

    /** Text after the closing dashes of a "----- Forwarded Message -----" marker (Yahoo puts headers there). */
    private static String afterMarker(String line) {
        String s = LineClassifier.stripLead(line, true);
        int i = 0;
        // skip the marker words up to the next run of dashes
        int dash = s.indexOf("--");
        if (dash < 0) {
            return "";
        }
        i = dash;
        while (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == ' ')) {
            i++;
        }
        return s.substring(i);
    }

    /** Splits "From: a <b>To: c Sent: d Subject: e" into {from, date, subject}. */
    static String[] inlineHeaders(String text) {
        List<int[]> hits = new ArrayList<>(); // start, valueStart, kind(0 from,1 date,2 subject,3 other)
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() != text.length()) {
            lower = text; // length-changing case mapping: fall back to exact-case search
        }
        addHits(text, lower, MarkerWords.FROM_KEYS, 0, hits);
        addHits(text, lower, MarkerWords.DATE_KEYS, 1, hits);
        addHits(text, lower, MarkerWords.SUBJECT_KEYS, 2, hits);
        addHits(text, lower, MarkerWords.OTHER_KEYS, 3, hits);
        hits.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        // drop hits inside another hit's key
        List<int[]> clean = new ArrayList<>();
        for (int[] h : hits) {
            if (!clean.isEmpty() && h[0] < clean.get(clean.size() - 1)[1]) {
                int[] prev = clean.get(clean.size() - 1);
                if (h[1] - h[0] > prev[1] - prev[0] && h[0] <= prev[0]) {
                    clean.set(clean.size() - 1, h);
                }
                continue;
            }
            clean.add(h);
        }
        String[] out = new String[3];
        for (int k = 0; k < clean.size(); k++) {
            int[] h = clean.get(k);
            int end = k + 1 < clean.size() ? clean.get(k + 1)[0] : text.length();
            if (h[2] < 3 && out[h[2]] == null) {
                out[h[2]] = text.substring(h[1], Math.max(h[1], end)).strip();
            }
        }
        return out;
    }

    private static void addHits(String text, String lower, java.util.Set<String> keys, int kind, List<int[]> hits) {
        for (String key : keys) {
            if (key.length() < 2) {
                continue;
            }
            int from = 0;
            while (true) {
                int at = lower.indexOf(key, from);
                if (at < 0) {
                    break;
                }
                from = at + 1;
                // key must start with a capital letter in the original (yahoo glues "CETTemat:")
                char first = text.charAt(at);
                if (Character.isLetter(first) && !Character.isUpperCase(first) && at > 0 && Character.isLetter(text.charAt(at - 1))) {
                    continue;
                }
                int e = at + key.length();
                while (e < text.length() && (text.charAt(e) == ' ' || text.charAt(e) == '\u00a0')) {
                    e++;
                }
                if (kind == 2 && e < text.length() && e > at + key.length() && Character.isUpperCase(first)
                        && text.charAt(e) != ':' && text.charAt(e) != '：') {
                    hits.add(new int[] {at, e, kind}); // Yahoo sometimes drops the colon after the subject key
                    continue;
                }
                if (e < text.length() && (text.charAt(e) == ':' || text.charAt(e) == '：')) {
                    if (at > 0 && Character.isLetter(text.charAt(at - 1)) && !Character.isUpperCase(first)) {
                        continue;
                    }
                    hits.add(new int[] {at, e + 1, kind});
                }
            }
        }
    }

    private static String attributionSender(String line) {
        String s = LineClassifier.stripLead(line, true).strip();
        int lt = s.lastIndexOf('<');
        int gt = s.indexOf('>', Math.max(lt, 0));
        if (lt >= 0 && gt > lt) {
            String addr = s.substring(lt + 1, gt);
            int q1 = s.lastIndexOf('"', lt);
            int q0 = q1 > 0 ? s.lastIndexOf('"', q1 - 1) : -1;
            if (q0 >= 0) {
                return s.substring(q0 + 1, q1) + " <" + addr + ">";
            }
            return addr;
        }
        return s;
    }

    private static boolean allQuoted(List<String> body) {
        boolean any = false;
        for (String l : body) {
            if (LineClassifier.isBlank(l)) {
                continue;
            }
            if (!LineClassifier.isQuote(l)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    static List<String> unquote(List<String> body) {
        List<String> out = new ArrayList<>(body.size());
        for (String l : body) {
            int i = 0;
            while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t') && i < 3) {
                i++;
            }
            if (i < l.length() && l.charAt(i) == '>') {
                i++;
                if (i < l.length() && l.charAt(i) == ' ') {
                    i++;
                }
                out.add(l.substring(i));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    static List<String> dedent(List<String> body) {
        int min = Integer.MAX_VALUE;
        for (String l : body) {
            if (LineClassifier.isBlank(l)) {
                continue;
            }
            int i = 0;
            while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == '\t')) {
                i++;
            }
            min = Math.min(min, i);
        }
        if (min == 0 || min == Integer.MAX_VALUE) {
            return body;
        }
        List<String> out = new ArrayList<>(body.size());
        for (String l : body) {
            out.add(l.length() >= min ? l.substring(min) : l.strip());
        }
        return out;
    }
}
