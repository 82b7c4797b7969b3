package dev.emailchannel.quote;

import static dev.emailchannel.quote.LineClassifier.DELIMITER;
import static dev.emailchannel.quote.LineClassifier.EMBEDDED;
import static dev.emailchannel.quote.LineClassifier.HEADER;
import static dev.emailchannel.quote.LineClassifier.JOINED;
import static dev.emailchannel.quote.LineClassifier.QUOTE;
import static dev.emailchannel.quote.LineClassifier.TEXT;

import java.util.List;

/**
 * Header blocks ("From: … / Sent: … / To: … / Subject: …") that Outlook, GMX and others write above the quoted
 * history. A block counts as history only with corroboration, because customers type such lines too (a trip "From:
 * Berlin / To: Munich", a pasted form with a "Subject:" line, an address list with "Cc:"):
 * <ul>
 *   <li>it has a From field and a Subject or a Date/Sent field;</li>
 *   <li>and enough evidence ({@link #EVIDENCE_NEEDED} points): three kinds of field (1), an address in From (2),
 *       a Date/Sent value with a time (1), a year (1) and a weekday or month name (1), a Subject that names the
 *       thread (2), a separator line or "Original Message" marker above it (2), quoted lines below it (1).</li>
 * </ul>
 * A corroborated block becomes HEADER lines (the text ends above it); every other header-like line is TEXT.
 */
final class HeaderBlocks {

    static final int EVIDENCE_NEEDED = 3;
    /** A wrapped To/Cc value between two fields is at most this long. */
    private static final int MAX_WRAPPED_VALUE = 200;

    private HeaderBlocks() {
    }

    static void corroborate(List<String> lines, char[] cls, String threadSubject) {
        int n = cls.length;
        for (int i = 0; i < n; i++) {
            if (cls[i] != HEADER) {
                continue;
            }
            int last = blockEnd(lines, cls, i);
            char verdict = isHistory(lines, cls, i, last, threadSubject) ? HEADER : TEXT;
            for (int k = i; k <= last; k++) {
                if (cls[k] == HEADER || cls[k] == TEXT) {
                    cls[k] = verdict;
                }
            }
            i = last;
        }
    }

    /** The last line of the block starting at {@code first}: header lines and single wrapped value lines between them. */
    private static int blockEnd(List<String> lines, char[] cls, int first) {
        int last = first;
        int j = first + 1;
        while (j < cls.length) {
            if (cls[j] == JOINED) {
                j++;
            } else if (cls[j] == HEADER) {
                last = j++;
            } else if (cls[j] == TEXT && j + 1 < cls.length && cls[j + 1] == HEADER
                    && lines.get(j).length() <= MAX_WRAPPED_VALUE) {
                j++; // "To: a <a@x.org>; b" + "<b@x.org>" + "Subject: …"
            } else {
                break;
            }
        }
        return last;
    }

    private static boolean isHistory(List<String> lines, char[] cls, int first, int last, String threadSubject) {
        HeaderFields f = new HeaderFields();
        for (int k = first; k <= last; k++) {
            if (cls[k] == HEADER) {
                f.take(LineClassifier.headerKey(lines.get(k)), LineClassifier.headerValue(lines.get(k)));
            }
        }
        String from = f.from;
        String date = f.date;
        String subject = f.subject;
        boolean other = f.other;
        if (from == null || subject == null && date == null) {
            return false;
        }
        int evidence = 0;
        int kinds = 1 + (date != null ? 1 : 0) + (subject != null ? 1 : 0) + (other ? 1 : 0);
        if (kinds >= 3) {
            evidence++;
        }
        if (from.indexOf('@') >= 0) {
            evidence += 2;
        }
        if (date != null) {
            evidence += dateEvidence(date);
        }
        if (subject != null && threadSubject != null && SubjectPrefixes.sameThread(subject, threadSubject)) {
            evidence += 2;
        }
        int above = ContextRules.previousNonBlank(cls, first);
        if (above >= 0 && (cls[above] == DELIMITER || cls[above] == EMBEDDED && LineClassifier.isOriginalMessageMarker(lines.get(above)))) {
            evidence += 2;
        }
        int below = ContextRules.nextNonBlank(cls, last);
        if (below >= 0 && cls[below] == QUOTE) {
            evidence++;
        }
        return evidence >= EVIDENCE_NEEDED;
    }

    /** A time (1), a year (1) and a weekday or month written as a word (1): what mail clients write, not people. */
    static int dateEvidence(String value) {
        int points = 0;
        if (hasTime(value)) {
            points++;
        }
        if (LineClassifier.hasFourDigits(value) || hasShortDate(value)) {
            points++;
        }
        if (hasWord(value)) {
            points++;
        }
        return points;
    }

    /** "10:15", "9.05" after a space or at the start (not part of "3.3.2025"). */
    private static boolean hasTime(String v) {
        for (int i = 1; i + 2 < v.length(); i++) {
            char sep = v.charAt(i);
            if ((sep == ':' || sep == '.') && Character.isDigit(v.charAt(i - 1)) && Character.isDigit(v.charAt(i + 1))
                    && Character.isDigit(v.charAt(i + 2)) && (i + 3 == v.length() || !Character.isDigit(v.charAt(i + 3)))) {
                int s = i - 1;
                if (s > 0 && Character.isDigit(v.charAt(s - 1))) {
                    s--;
                }
                boolean startsToken = s == 0 || !Character.isDigit(v.charAt(s - 1)) && v.charAt(s - 1) != '.' && v.charAt(s - 1) != '/';
                boolean endsToken = i + 3 == v.length() || v.charAt(i + 3) != '.' && v.charAt(i + 3) != '/';
                if (startsToken && endsToken) {
                    return true;
                }
            }
        }
        return false;
    }

    /** "3.3.25", "03/03/25". */
    private static boolean hasShortDate(String v) {
        int groups = 0;
        int run = 0;
        for (int i = 0; i <= v.length(); i++) {
            char c = i < v.length() ? v.charAt(i) : ' ';
            if (Character.isDigit(c)) {
                run++;
            } else {
                if (run > 0 && run <= 4 && (c == '.' || c == '/' || c == '-') && i + 1 < v.length() && Character.isDigit(v.charAt(i + 1))) {
                    groups++;
                } else if (run > 0 && groups >= 2) {
                    return true;
                } else {
                    groups = 0;
                }
                run = 0;
            }
        }
        return false;
    }

    /** A word of three letters or more that is not a time zone or AM/PM marker. */
    private static boolean hasWord(String v) {
        int run = 0;
        int start = 0;
        for (int i = 0; i <= v.length(); i++) {
            char c = i < v.length() ? v.charAt(i) : ' ';
            if (Character.isLetter(c)) {
                if (run == 0) {
                    start = i;
                }
                run++;
            } else {
                if (run >= 3 || run >= 1 && !isLatinLetter(v.charAt(start))) {
                    String w = LineClassifier.lower(v.substring(start, i));
                    if (!w.equals("gmt") && !w.equals("utc") && !w.equals("uhr") && !w.equals("cet") && !w.equals("cest")
                            && !w.equals("est") && !w.equals("pst") && !w.equals("edt") && !w.equals("pdt")) {
                        return true;
                    }
                }
                run = 0;
            }
        }
        return false;
    }

    private static boolean isLatinLetter(char c) {
        return c < 0x250;
    }

}
