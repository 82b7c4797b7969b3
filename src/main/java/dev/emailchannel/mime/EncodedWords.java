package dev.emailchannel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient RFC 2047 decoding of header text. Accepts what real mailers send: encoded words inside words, a
 * multi-byte character split over two words, unknown charset labels, bad base64 padding, spaces inside
 * Q-encoded text and a missing final {@code ?=}. Text that is not an encoded word is left as it is.
 */
public final class EncodedWords {

    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]{1,80})\\?([bBqQ])\\?(.*?)(?:\\?=|$)");

    private EncodedWords() {
    }

    /** Decodes every encoded word in {@code text}; null stays null. Never throws. */
    public static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        String pendingCharset = null;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (m.find()) {
            String between = text.substring(last, m.start());
            boolean adjacent = pendingCharset != null && between.isBlank();
            if (!adjacent) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                out.append(between);
            }
            String charset = m.group(1);
            if (pendingCharset != null && !pendingCharset.equalsIgnoreCase(charset)) {
                flush(out, pending, pendingCharset);
            }
            pendingCharset = charset;
            byte[] bytes = "bB".contains(m.group(2)) ? base64(m.group(3)) : q(m.group(3));
            pending.writeBytes(bytes);
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text, last, text.length());
        return out.toString();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, String charset) {
        if (charset == null || pending.size() == 0) {
            pending.reset();
            return;
        }
        byte[] bytes = pending.toByteArray();
        pending.reset();
        Charset cs = Charsets.forLabel(charset);
        out.append(Charsets.decode(bytes, 0, bytes.length, cs));
    }

    static byte[] base64(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = Base64Input.value(text.charAt(i));
            if (v < 0) {
                if (text.charAt(i) == '=') {
                    break;
                }
                continue;
            }
            buffer = ((buffer << 6) | v) & 0xFFFFFF;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out.write((buffer >> bits) & 0xFF);
            }
        }
        return out.toByteArray();
    }

    private static byte[] q(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
                out.write(hex(text.charAt(i + 1)) << 4 | hex(text.charAt(i + 2)));
                i += 2;
            } else {
                // raw 8-bit or non-ASCII characters inside an encoded word: keep them as UTF-8
                byte[] b = String.valueOf(c).getBytes(c < 0x80 ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8);
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    static int hex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }
}
