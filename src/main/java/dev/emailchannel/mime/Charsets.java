package dev.emailchannel.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient charset handling for mail: labels as mailers really write them ({@code utf8}, {@code latin1},
 * {@code "UTF-8"}, {@code ks_c_5601-1987}, {@code x-unknown}) and text whose label is missing or wrong.
 */
final class Charsets {

    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Labels Java does not know, or knows as a narrower charset than mailers actually use. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("utf8", "UTF-8"),
            Map.entry("unicode-1-1-utf-8", "UTF-8"),
            Map.entry("unicode", "UTF-16"),
            // WHATWG encoding standard: ISO-8859-1 and ASCII labels mean windows-1252 in practice
            Map.entry("iso-8859-1", "windows-1252"),
            Map.entry("iso8859-1", "windows-1252"),
            Map.entry("latin1", "windows-1252"),
            Map.entry("latin-1", "windows-1252"),
            Map.entry("l1", "windows-1252"),
            Map.entry("cp1252", "windows-1252"),
            Map.entry("iso-8859-8-i", "ISO-8859-8"),
            Map.entry("iso-8859-6-i", "ISO-8859-6"),
            Map.entry("ks_c_5601-1987", "x-windows-949"),
            Map.entry("ks_c_5601", "x-windows-949"),
            Map.entry("euc-kr", "x-windows-949"),
            Map.entry("gb2312", "GBK"),
            Map.entry("gb_2312-80", "GBK"),
            Map.entry("x-gbk", "GBK"),
            Map.entry("shift_jis", "windows-31j"),
            Map.entry("shift-jis", "windows-31j"),
            Map.entry("sjis", "windows-31j"),
            Map.entry("x-sjis", "windows-31j"),
            Map.entry("cp932", "windows-31j"),
            Map.entry("cp50220", "ISO-2022-JP"),
            Map.entry("cp50221", "ISO-2022-JP"),
            Map.entry("csiso2022jp", "ISO-2022-JP"),
            Map.entry("tis-620", "x-windows-874"),
            Map.entry("windows-874", "x-windows-874"),
            Map.entry("x-mac-roman", "x-MacRoman"),
            Map.entry("macintosh", "x-MacRoman"));

    private Charsets() {
    }

    /**
     * The charset for a label, or null when the label is missing or unknown (the caller then guesses with
     * {@link #decode(byte[], int, int, Charset)}). US-ASCII also gives null: mail labelled ASCII often is not.
     */
    static Charset forLabel(String label) {
        if (label == null) {
            return null;
        }
        String l = label.trim().replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT);
        int star = l.indexOf('*'); // RFC 2231 language suffix: utf-8*en
        if (star >= 0) {
            l = l.substring(0, star);
        }
        if (l.isEmpty() || l.equals("us-ascii") || l.equals("ascii") || l.equals("x-unknown") || l.equals("unknown")
                || l.equals("default") || l.equals("x-user-defined")) {
            return null;
        }
        String name = ALIASES.getOrDefault(l, l);
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) { // IllegalCharsetName, UnsupportedCharset, IllegalArgument
            if (l.startsWith("utf-8") || l.startsWith("utf8")) {
                return StandardCharsets.UTF_8;
            }
            if (l.matches("(cp|windows-?)125[0-8]")) {
                return forLabel("windows-" + l.replaceAll("\\D", ""));
            }
            return null;
        }
    }

    /**
     * Decodes with the given charset, or, when it is null, as UTF-8 if the bytes are valid UTF-8, else windows-1252.
     * Text labelled UTF-8 that is not valid UTF-8 is also read as windows-1252 (a common mislabelling).
     */
    static String decode(byte[] data, int off, int len, Charset charset) {
        if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
            String s = new String(data, off, len, charset);
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        }
        if (isAscii(data, off, len)) {
            // unlabelled Japanese mail is often 7-bit ISO-2022-JP: ESC $ B / ESC $ @ switch to JIS X 0208
            return new String(data, off, len, hasJisEscape(data, off, len) ? Charset.forName("ISO-2022-JP")
                    : StandardCharsets.US_ASCII);
        }
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, off, len)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            // mostly UTF-8 with a few broken bytes (a cut multi-byte character): keep UTF-8, replace the bad bytes
            return mostlyUtf8(data, off, len) ? new String(data, off, len, StandardCharsets.UTF_8)
                    : new String(data, off, len, WINDOWS_1252);
        }
    }

    /**
     * Decodes raw header bytes: ASCII, else UTF-8 (RFC 6532) when valid, else the legacy charset the message uses
     * elsewhere (old Japanese, Chinese and Russian mailers put raw Shift_JIS, GB2312, KOI8-R into headers), else as
     * {@link #decode} guesses. Returns null when the bytes are neither ASCII nor UTF-8 and no legacy charset is given.
     */
    static String decodeHeader(byte[] data, int off, int len, Charset legacy) {
        if (isAscii(data, off, len) || isUtf8(data, off, len)) {
            return decode(data, off, len, null);
        }
        return legacy == null ? null : new String(data, off, len, legacy);
    }

    private static boolean isUtf8(byte[] data, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** More well-formed UTF-8 multi-byte sequences than stray non-ASCII bytes. */
    private static boolean mostlyUtf8(byte[] data, int off, int len) {
        int valid = 0;
        int invalid = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int b = data[i] & 0xFF;
            if (b < 0x80) {
                continue;
            }
            int n = b >= 0xF0 && b <= 0xF4 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 && b < 0xE0 ? 1 : -1;
            boolean ok = n > 0 && i + n < end;
            for (int k = 1; ok && k <= n; k++) {
                ok = (data[i + k] & 0xC0) == 0x80;
            }
            if (ok) {
                valid++;
                i += n;
            } else {
                invalid++;
            }
        }
        return valid > invalid;
    }

    static String decode(byte[] data, Charset charset) {
        return decode(data, 0, data.length, charset);
    }

    private static boolean hasJisEscape(byte[] data, int off, int len) {
        for (int i = off; i + 2 < off + len; i++) {
            if (data[i] == 0x1B && data[i + 1] == '$' && (data[i + 2] == 'B' || data[i + 2] == '@')) {
                return true;
            }
        }
        return false;
    }

    static boolean isAscii(byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (data[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
