package dev.emailchannel.reply;

import java.util.Locale;
import java.util.Set;

/** Reply subjects: {@code Re: <original>}, never {@code Re: Re:}, with localized reply prefixes recognised. */
public final class Subjects {

    /**
     * Reply prefixes of common mail clients in many languages (compared lower-case, without the colon). Forward
     * prefixes are not among them: a reply to "Fwd: x" is "Re: Fwd: x", as mail clients write it.
     */
    private static final Set<String> REPLY_PREFIXES = Set.of("re", "aw", "sv", "vs", "antw", "antwort", "odp", "rif",
            "res", "ref", "réf", "ynt", "vá", "απ", "отв", "回复", "答复", "回覆", "答覆", "odg", "atb",
            "vast", "svar", "ats", "cevap");

    private Subjects() {
    }

    /** {@code Re: } plus the subject without its leading reply or forward prefixes. */
    public static String reply(String original) {
        String base = stripPrefixes(original == null ? "" : original);
        return base.isEmpty() ? "Re:" : "Re: " + base;
    }

    static String stripPrefixes(String subject) {
        String s = subject.strip();
        while (true) {
            int colon = indexOfColon(s);
            if (colon <= 0 || colon > 12) {
                return s;
            }
            String prefix = s.substring(0, colon).strip();
            // "Re[2]" and "Re(2)" count as "Re"
            int bracket = indexOfAny(prefix, "[(");
            if (bracket > 0 && (prefix.endsWith("]") || prefix.endsWith(")"))) {
                prefix = prefix.substring(0, bracket);
            }
            if (!REPLY_PREFIXES.contains(prefix.toLowerCase(Locale.ROOT))) {
                return s;
            }
            s = s.substring(colon + 1).strip();
        }
    }

    private static int indexOfColon(String s) {
        int ascii = s.indexOf(':');
        int wide = s.indexOf('：');
        if (ascii < 0) {
            return wide;
        }
        return wide < 0 ? ascii : Math.min(ascii, wide);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
