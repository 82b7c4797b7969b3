package dev.emailchannel.reply;

import dev.emailchannel.quote.SubjectPrefixes;

/** Reply subjects: {@code Re: <original>}, never {@code Re: Re:}, with localized reply prefixes recognised. */
public final class Subjects {

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
            // localized prefixes ("AW", "SV", "Odp", "Re[2]"): one list shared with the quote stripper
            if (!SubjectPrefixes.isReply(s.substring(0, colon))) {
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
}
