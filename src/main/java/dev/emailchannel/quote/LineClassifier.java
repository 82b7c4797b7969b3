package dev.emailchannel.quote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Classifies single lines of a plain-text mail body. Every check works on one line of bounded length
 * (longer lines are never attribution, header or footer lines), so the cost per line is constant and a
 * whole body is classified in linear time. The few regular expressions used are anchored and have no
 * nested quantifiers.
 */
final class LineClassifier {

    static final char EMPTY = 'e';
    static final char DELIMITER = 'd';
    static final char SIGNATURE = 's';
    static final char EMBEDDED = 'b';
    static final char HEADER = 'h';
    static final char QUOTE = 'q';
    static final char TEXT = 't';
    /** A line joined into the attribution line above it (invisible to the decision). */
    static final char JOINED = 'x';

    /** Lines longer than this are plain text or quote, never markers. */
    static final int MAX_MARKER_LINE = 400;

    private LineClassifier() {
    }

    static char classify(String line) {
        if (isBlank(line)) {
            return EMPTY;
        }
        if (line.length() > MAX_MARKER_LINE) {
            return isQuote(line) ? QUOTE : TEXT;
        }
        if (isDelimiter(line)) {
            return DELIMITER;
        }
        if (isMobileFooter(line)) {
            return SIGNATURE;
        }
        if (isAttribution(line) || isOriginalMessageMarker(line)) {
            return EMBEDDED;
        }
        if (isHeaderLine(line)) {
            return HEADER;
        }
        if (isQuote(line)) {
            return QUOTE;
        }
        return TEXT;
    }

    // ---------------------------------------------------------------- basics

    static boolean isBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (!Character.isWhitespace(c) && c != '\u00a0' && c != '\u200b' && c != '\ufeff') {
                return false;
            }
        }
        return true;
    }

    static boolean isQuote(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '>') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return false;
    }

    private static final String DELIMITER_CHARS = "-_,=+~#*\u1427\u2014\u2013";

    static boolean isDelimiter(String line) {
        String t = line.strip();
        if (t.isEmpty()) {
            return false;
        }
        boolean plus = false;
        boolean other = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (DELIMITER_CHARS.indexOf(c) < 0) {
                return false;
            }
            plus |= c == '+';
            other |= c != '+';
        }
        return !(plus && other); // "+-----+" and "----+----" are table borders (psql, MySQL, ASCII tables)
    }

    /** Removes leading blanks, quote marks, bold stars and dashes. */
    static String stripLead(String line, boolean dashes) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '>' || c == '*' || c == '\u00a0' || c == '\ufeff'
                    || (dashes && c == '-')) {
                i++;
            } else {
                break;
            }
        }
        return line.substring(i);
    }

    static String stripTrail(String s) {
        int e = s.length();
        while (e > 0) {
            char c = s.charAt(e - 1);
            if (c == ' ' || c == '\t' || c == '-' || c == '*' || c == '\u00a0') {
                e--;
            } else {
                break;
            }
        }
        return s.substring(0, e);
    }

    // ---------------------------------------------------------------- mobile / client footers

    /**
     * A client footer on a line of its own ("Sent from my iPhone", "Get Outlook for iOS", "iPhoneから送信"). The part
     * after the fixed phrase must be a short device or app name: "Sent from my iPad the photo did not upload" is a
     * sentence the customer wrote. Whether the line stands alone is checked by the caller.
     */
    static boolean isMobileFooter(String line) {
        String t = withoutTrailingLink(stripLead(line, false).strip());
        if (t.length() > 90 || t.isEmpty()) {
            return false;
        }
        char first = t.charAt(0);
        if (first < 0x80 && first != '(' && first != '<' && t.indexOf('[') < 0 && !startsLikeFooter(t)
                && !endsLikeFooter(t) && !t.endsWith(" from mobile")) {
            return false; // neither starts nor ends like any footer: most lines stop here, without a copy
        }
        String l = footerText(t);
        int comma = l.indexOf(',');
        int excuse = excuseAt(l);
        if (excuse >= 0) {
            l = l.substring(0, excuse).strip(); // "Sent from my iPhone, please excuse typos": judge the footer part
        } else if (comma >= 0) {
            return false;
        }
        for (String p : MarkerWords.FOOTER_PREFIXES) {
            if (l.startsWith(p) && l.length() > p.length() - 1) {
                return isDeviceName(l.substring(p.length()));
            }
        }
        if (l.endsWith(" from mobile") && l.indexOf(' ') == l.lastIndexOf(" from mobile")) {
            return true;
        }
        for (String s : MarkerWords.FOOTER_SUFFIXES) {
            if (l.endsWith(s) && (l.startsWith("von ") || namesDevice(l) || !isLatin(s))) {
                // "Diese Nachricht wurde von meinem Android-Mobiltelefon mit K-9 Mail gesendet": the phrase is longer
                return l.length() - s.length() <= 70 && !hasSentenceWord(l.substring(0, l.length() - s.length()));
            }
        }
        return false;
    }

    /** Footer prefixes by their first character, footer suffixes by their last one: a line checks only a few. */
    private static final Map<Character, List<String>> FOOTER_BY_FIRST = index(MarkerWords.FOOTER_PREFIXES, true);
    private static final Map<Character, List<String>> FOOTER_BY_LAST = index(MarkerWords.FOOTER_SUFFIXES, false);

    private static Map<Character, List<String>> index(String[] words, boolean first) {
        Map<Character, List<String>> m = new HashMap<>();
        for (String w : words) {
            String x = !first && w.endsWith(".") ? w.substring(0, w.length() - 1) : w;
            char c = Character.toLowerCase(first ? x.charAt(0) : x.charAt(x.length() - 1));
            m.computeIfAbsent(c, k -> new ArrayList<>()).add(x);
        }
        return m;
    }

    private static boolean startsLikeFooter(String t) {
        List<String> candidates = FOOTER_BY_FIRST.get(Character.toLowerCase(t.charAt(0)));
        if (candidates != null) {
            for (String p : candidates) {
                if (t.regionMatches(true, 0, p, 0, Math.min(p.length(), t.length()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean endsLikeFooter(String t) {
        int e = t.length();
        while (e > 0 && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '!' || t.charAt(e - 1) == ' ')) {
            e--;
        }
        List<String> candidates = e == 0 ? null : FOOTER_BY_LAST.get(Character.toLowerCase(t.charAt(e - 1)));
        if (candidates != null) {
            for (String suffix : candidates) {
                if (e >= suffix.length() && t.regionMatches(true, e - suffix.length(), suffix, 0, suffix.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where ", please excuse typos" (or ". Sorry for …") starts, or -1. */
    private static int excuseAt(String l) {
        if (!(l.contains("excuse") || l.contains("typo") || l.contains("brevity") || l.contains("pardon")
                || l.contains("forgive") || l.contains("sorry"))) {
            return -1;
        }
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (c == ',' || c == '.' || c == ';' || c == '-' && i + 1 < l.length() && l.charAt(i + 1) == ' ') {
                String after = l.substring(i);
                if (after.contains("excuse") || after.contains("typo") || after.contains("brevity") || after.contains("pardon")
                        || after.contains("forgive") || after.contains("sorry")) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Lower case, without brackets, bidi marks, Arabic vowel signs and a final full stop. */
    private static String footerText(String t) {
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '[' || c == ']' || isBidiMark(c) || (c >= '\u064b' && c <= '\u065f')) {
                continue;
            }
            b.append(c);
        }
        String l = b.toString().toLowerCase(Locale.ROOT).strip();
        while (l.endsWith(".") || l.endsWith("!")) {
            l = l.substring(0, l.length() - 1).strip();
        }
        return l;
    }

    /** At most five words and none of the little words a sentence is made of. */
    private static boolean isDeviceName(String rest) {
        String r = rest.strip();
        if (r.isEmpty()) {
            return true;
        }
        return r.split("\\s+").length <= 5 && !hasSentenceWord(r);
    }

    private static boolean hasSentenceWord(String s) {
        for (String w : s.strip().split("\\s+")) {
            if (MarkerWords.SENTENCE_WORDS.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesDevice(String lower) {
        for (String d : MarkerWords.FOOTER_DEVICES) {
            if (lower.contains(d)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLatin(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i)) && Character.UnicodeScript.of(s.charAt(i)) != Character.UnicodeScript.LATIN) {
                return false;
            }
        }
        return true;
    }

    static boolean isBidiMark(char c) {
        return c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u061c';
    }

    /** The line without bidi control marks (Gmail wraps Hebrew, Arabic and Persian attributions in them). */
    static String withoutBidi(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isBidiMark(s.charAt(i))) {
                StringBuilder b = new StringBuilder(s.length());
                for (int j = 0; j < s.length(); j++) {
                    if (!isBidiMark(s.charAt(j))) {
                        b.append(s.charAt(j));
                    }
                }
                return b.toString();
            }
        }
        return s;
    }

    /** "Sent from Yahoo Mail for Android (https://…)" / "Get Outlook for iOS&lt;https://…&gt;": the text without the link. */
    private static String withoutTrailingLink(String t) {
        if (t.length() > MAX_MARKER_LINE || t.length() < 10) {
            return t;
        }
        char last = t.charAt(t.length() - 1);
        int at = last == ')' ? t.lastIndexOf("(http") : last == '>' ? t.lastIndexOf("<http") : t.lastIndexOf("http");
        return at > 0 && t.indexOf(' ', at) < 0 ? t.substring(0, at).strip() : t; // also a link glued to the text
    }

    // ---------------------------------------------------------------- attribution lines ("On ... wrote:")

    static boolean isAttribution(String line) {
        String s = stripLead(withoutBidi(line), true);
        String t = stripTrail(s);
        if (t.isEmpty()) {
            return false;
        }
        char last = t.charAt(t.length() - 1);
        boolean colon = last == ':' || last == '：';
        if (!colon && last != '>' && !startsWithOpener(s) && !Character.isDigit(s.charAt(0)) && !regionStarts(s, "posted by ")) {
            // a line that neither ends like an attribution nor starts like one: only the CJK form remains possible
            return endsWithCjkWrote(t, t.length() < 200);
        }
        String lower = t.toLowerCase(Locale.ROOT);
        String body = colon ? lower.substring(0, lower.length() - 1).stripTrailing() : lower;
        // CJK attributions: "在 2021年10月28日 ... 写道：", "2021年10月28日(木) 12:46 John <j@x>:"
        if (endsWithCjkWrote(body, colon || body.length() < 200)) {
            return true;
        }
        boolean endsWrote = false;
        for (String w : MarkerWords.WROTE) {
            if (body.endsWith(w) && (body.length() == w.length() || !Character.isLetter(body.charAt(body.length() - w.length() - 1)))) {
                endsWrote = true;
                break;
            }
        }
        if (endsWrote) {
            if (startsWithOpener(s)) {
                return true;
            }
            // "Jane Doe <jane@x.org> wrote:", "jane via Forum wrote:", "X <y@z> kirjoitti 28/10/2021 12.46:"
            if (colon && (lower.contains("@") || lower.contains("<") || lower.contains(" via ") || hasFourDigits(lower)
                    || hasDigit(lower) && lower.contains(":") && body.length() < 150
                    || body.split(" ").length <= 4 && namesSomeone(body))) {
                return true;
            }
            return false;
        }
        if (colon) {
            // "Am 18.09.2013 um 16:24 schrieb codinghorror <info@discourse.org>:" / "Op ... schreef X:"
            if ((s.startsWith("Am ") && lower.contains(" schrieb ")) || (s.startsWith("Op ") && lower.contains(" schreef "))
                    || (lower.contains(" skrev ") && hasDigit(lower)) || lower.contains(" napsal") || lower.contains(" napísal")
                    || lower.contains("пользователь ") && lower.contains(" написал")
                    || lower.contains(" tarihinde ") || lower.contains(" ezt írta") || lower.contains(" kirjoitti ")
                    || lower.contains(" escribió") || lower.contains(" a écrit") || lower.contains(" schrieb am ")
                    || (lower.contains(" كتب ") || lower.contains("، كتب")) && hasDigit(lower)
                    || lower.startsWith("wiadomość napisana przez ") && hasDigit(lower)) { // Apple Mail, Polish
                return true;
            }
            // "2015-10-18 0:17 GMT+03:00 Matt <m@x.org>:", "вт, 5 янв. 2016 г. в 23:39, Erlend <e@x.org>:"
            if (body.endsWith(">") && hasFourDigits(body)) {
                int lt = body.lastIndexOf('<');
                return lt >= 0 && body.indexOf('@', lt) > 0;
            }
        } else if (body.endsWith(">") && hasFourDigits(body)) {
            int lt = body.lastIndexOf('<');
            if (lt > 0 && body.indexOf('@', lt) > 0 && body.indexOf('.', body.indexOf('@', lt)) > 0
                    && (startsWithOpener(s) || looksLikeDateStart(body))) {
                return true;
            }
        }
        if (ISO_DATE_SOMEONE.matcher(s).matches()) {
            return true;
        }
        if (lower.startsWith("posted by ") && POSTED_BY.matcher(lower).matches()) {
            return true;
        }
        return false;
    }

    private static boolean endsWithCjkWrote(String body, boolean allowed) {
        if (allowed) {
            for (String w : MarkerWords.WROTE_CJK) {
                if (body.endsWith(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean regionStarts(String s, String lowerPrefix) {
        return s.regionMatches(true, 0, lowerPrefix, 0, lowerPrefix.length());
    }

    /** Words that start a sentence about something, not a name: "Your page says:", "The log wrote:". */
    private static final Set<String> NOT_A_NAME = Set.of("your", "my", "our", "the", "this", "that", "it", "he", "she",
            "they", "we", "you", "i", "his", "her", "their", "its", "a", "an", "which", "what", "who", "everyone",
            "someone", "nobody", "error", "log", "system", "server", "app", "website", "page", "manual", "doc");

    /** "Jane Doe wrote:" names someone; "Your page says:" does not. */
    private static boolean namesSomeone(String body) {
        for (String w : body.split(" ")) {
            if (NOT_A_NAME.contains(w)) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern ISO_DATE_SOMEONE =
            Pattern.compile("20\\d\\d-\\d\\d-\\d\\d \\d{1,2}:\\d\\d GMT[+-]\\d\\d:\\d\\d [\\p{L}\\p{N}_ ]{1,100}");
    private static final Pattern POSTED_BY = Pattern.compile("posted by [^\\n]{1,100}? on \\d{2}/\\d{2}/\\d{4}");

    private static boolean looksLikeDateStart(String body) {
        return body.length() > 4 && Character.isDigit(body.charAt(0));
    }

    /** First characters of the openers: most lines are rejected by one lookup. */
    private static final String OPENER_FIRST_CHARS = firstChars(MarkerWords.OPENERS);

    private static String firstChars(String[] words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            char c = w.charAt(0);
            if (b.indexOf(String.valueOf(c)) < 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean startsWithOpener(String s) {
        if (s.isEmpty() || OPENER_FIRST_CHARS.indexOf(s.charAt(0)) < 0) {
            return false;
        }
        for (String o : MarkerWords.OPENERS) {
            if (s.startsWith(o) && s.length() > o.length() + 1 && Character.isWhitespace(s.charAt(o.length()))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasFourDigits(String s) {
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) { // also Arabic-Indic and Persian digits
                if (++run >= 4) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- "-----Original Message-----" and friends

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT).replace("\u0307", "");
    }

    static boolean isOriginalMessageMarker(String line) {
        String s = stripLead(line, false).strip();
        if (s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        char last = s.charAt(s.length() - 1);
        if (first != '-' && first != '_' && first != '—' && last != ':' && last != '：' && last != 'e' && last != 'E') {
            return false; // neither "----- … -----" nor "…:" nor "reply message": no copy needed
        }
        String lower = lower(s);
        if (lower.startsWith("--") || lower.startsWith("__") || lower.startsWith("—")) {
            String inner = stripTrail(stripLead(lower, true)).strip();
            if (inner.endsWith(":")) {
                inner = inner.substring(0, inner.length() - 1).strip();
            }
            for (String m : MarkerWords.MESSAGE_MARKERS) {
                if (inner.startsWith(m)) {
                    return true;
                }
            }
            return false;
        }
        if (lower.endsWith(":") || lower.endsWith("：")) {
            String inner = lower.substring(0, lower.length() - 1).strip();
            for (String m : MarkerWords.BEGIN_FORWARD) {
                if (inner.equals(m)) {
                    return true;
                }
            }
        }
        return lower.equals("reply message");
    }

    // ---------------------------------------------------------------- "From: / Sent: / To: / Subject:" header lines

    static String headerKey(String line) {
        String s = stripLead(line, false);
        int colon = -1;
        int max = Math.min(s.length(), 32);
        for (int i = 0; i < max; i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '：') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            return null;
        }
        String key = s.substring(0, colon);
        int e = key.length();
        while (e > 0 && (key.charAt(e - 1) == '*' || key.charAt(e - 1) == ' ' || key.charAt(e - 1) == '\t' || key.charAt(e - 1) == '\u00a0')) {
            e--;
        }
        return lower(key.substring(0, e));
    }

    static String headerValue(String line) {
        String s = stripLead(line, false);
        int colon = -1;
        for (int i = 0; i < Math.min(s.length(), 33); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '：') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return "";
        }
        String v = s.substring(colon + 1);
        int i = 0;
        while (i < v.length() && (v.charAt(i) == '*' || Character.isWhitespace(v.charAt(i)))) {
            i++;
        }
        return v.substring(i).strip();
    }

    static boolean isHeaderLine(String line) {
        if (isQuote(line)) {
            return false;
        }
        String key = headerKey(line);
        if (key == null) {
            return false;
        }
        String value = headerValue(line);
        if (MarkerWords.DATE_KEYS.contains(key)) {
            return hasDigit(value);
        }
        if ((MarkerWords.FROM_KEYS.contains(key) || MarkerWords.OTHER_KEYS.contains(key)) && value.indexOf('@') < 0 && value.indexOf('<') < 0
                && value.indexOf('[') < 0 && value.split("\\s+").length > 5) {
            return false; // "From: the dashboard I clicked reset" is prose, not a header
        }
        if (MarkerWords.FROM_KEYS.contains(key) || MarkerWords.SUBJECT_KEYS.contains(key) || MarkerWords.OTHER_KEYS.contains(key)) {
            for (int i = 0; i < value.length(); i++) {
                if (Character.isLetterOrDigit(value.charAt(i))) {
                    return true;
                }
            }
        }
        return false;
    }
}
