package dev.emailchannel.quote;

import java.util.Locale;
import java.util.Set;

/**
 * The reply and forward prefixes mail clients put before a subject ("Re:", "AW:", "SV:", "Fwd:", "WG:", "转发:", …),
 * one list for the whole channel: reply subjects ({@code dev.emailchannel.reply.Subjects}), forward detection
 * ({@link ForwardedParser}) and header blocks whose Subject names the thread ({@link HeaderBlocks}).
 */
public final class SubjectPrefixes {

    /** Reply prefixes, lower case, without the colon. */
    private static final Set<String> REPLY = Set.of("re", "aw", "sv", "vs", "antw", "antwort", "odp", "rif", "r", "res",
            "ref", "réf", "ynt", "vá", "απ", "отв", "回复", "答复", "回覆", "答覆", "odg", "atb", "vast", "svar", "ats",
            "cevap", "ang", "ynt.", "بخصوص", "رد", "השב", "תשובה", "답장", "회신", "trả lời", "ตอบกลับ", "balas",
            "отг", "відп", "vs.", "odp.", "odpověď", "válasz", "rs");

    /** Forward prefixes, lower case, without the colon. */
    private static final Set<String> FORWARD = Set.of("fwd", "fw", "wg", "tr", "rv", "enc", "doorst", "vs", "vb", "pd",
            "ilt", "i̇lt", "пересл", "fs", "vl", "továbbítás", "továbbítva", "転送", "转发", "轉寄", "przekaż", "tov", "rif",
            "inoltro", "reenv", "wtr", "fwd fw", "videresend", "vidarebefordrat", "i", "redir", "redir.", "doorgestuurd",
            "weitergeleitet", "fwd fwd", "πρθ", "הועבר", "توجيه", "전달", "chuyển tiếp", "ส่งต่อ", "teruskan", "reenv.",
            "пвд", "пересилання");

    private SubjectPrefixes() {
    }

    /** Whether {@code prefix} (the text before the colon, any case, "Re[2]" and "Re(2)" allowed) is a reply prefix. */
    public static boolean isReply(String prefix) {
        return REPLY.contains(normalize(prefix));
    }

    /** Whether {@code prefix} (the text before the colon, any case, "Fwd[2]" allowed) is a forward prefix. */
    public static boolean isForward(String prefix) {
        return FORWARD.contains(normalize(prefix));
    }

    /** Lower case, without a counter such as "[2]" or "(2)". */
    private static String normalize(String prefix) {
        String p = LineClassifier.lower(prefix.strip());
        int bracket = -1;
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) == '[' || p.charAt(i) == '(') {
                bracket = i;
                break;
            }
        }
        if (bracket > 0 && (p.endsWith("]") || p.endsWith(")"))) {
            p = p.substring(0, bracket).strip();
        }
        return p;
    }

    /** The position of the first colon (ASCII or full-width) within the first {@code max} characters, or -1. */
    static int colon(String s, int max) {
        for (int i = 0; i < Math.min(s.length(), max); i++) {
            char c = s.charAt(i);
            if (c == ':' || c == '：') {
                return i;
            }
        }
        return -1;
    }

    /** The subject without any leading reply or forward prefixes ("Re: Fwd: AW: x" gives "x"); null stays null. */
    public static String bare(String subject) {
        if (subject == null) {
            return null;
        }
        String s = subject.strip();
        for (int guard = 0; guard < 10; guard++) {
            int colon = colon(s, 20);
            if (colon > 0 && (isReply(s.substring(0, colon)) || isForward(s.substring(0, colon)))) {
                s = s.substring(colon + 1).strip();
            } else {
                break;
            }
        }
        return s;
    }

    /** Whether two subjects name the same thread once their prefixes are gone (case and spacing ignored). */
    static boolean sameThread(String a, String b) {
        String x = squash(bare(a));
        String y = squash(bare(b));
        return x.length() >= 3 && x.equals(y);
    }

    private static String squash(String s) {
        if (s == null) {
            return "";
        }
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }
}
