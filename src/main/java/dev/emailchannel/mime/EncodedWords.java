package dev.emailchannel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Lenient RFC 2047 decoding of header text. Accepts what real mailers send: encoded words inside words, a
 * multi-byte character split over two words, unknown charset labels, bad base64 padding, spaces inside
 * Q-encoded text and a missing final {@code ?=}. Text that is not an encoded word is left as it is.
 */
public final class EncodedWords {

    private EncodedWords() {
    }

    /** Decodes every encoded word in {@code text}; null stays null. Never throws; linear in the length of text. */
    public static String decode(String text) {
        if (text == null || !text.contains("=?")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        String pendingCharset = null; // charset of the bytes in pending; null after plain text
        int last = 0;
        int closeAt = -1; // the next "?=" after the current word start, found once and reused: linear time
        int pos = text.indexOf("=?");
        while (pos >= 0) {
            int q1 = text.indexOf('?', pos + 2); // =?charset?X?text?=
            boolean word = q1 > pos + 2 && q1 - pos - 2 <= 80 && q1 + 2 < text.length() && text.charAt(q1 + 2) == '?'
                    && "bBqQ".indexOf(text.charAt(q1 + 1)) >= 0 && noWhitespace(text, pos + 2, q1);
            if (!word) {
                pos = text.indexOf("=?", pos + 2);
                continue;
            }
            int textStart = q1 + 3;
            if (closeAt >= 0 && closeAt < textStart) {
                closeAt = text.indexOf("?=", textStart);
            } else if (closeAt == -1) {
                closeAt = text.indexOf("?=", textStart);
            }
            if (closeAt < 0) {
                closeAt = -2; // unterminated: this word runs to the end of the text
            }
            int textEnd = closeAt == -2 ? text.length() : closeAt;
            int wordEnd = closeAt == -2 ? text.length() : closeAt + 2;
            String between = text.substring(last, pos);
            String charset = text.substring(pos + 2, q1);
            boolean adjacent = pendingCharset != null && between.isBlank(); // whitespace between words is dropped
            if (!adjacent || !pendingCharset.equalsIgnoreCase(charset)) {
                flush(out, pending, pendingCharset);
                if (!adjacent) {
                    out.append(between);
                }
            }
            pendingCharset = charset;
            String encoded = text.substring(textStart, textEnd);
            pending.writeBytes("bB".indexOf(text.charAt(q1 + 1)) >= 0 ? base64(encoded) : q(encoded));
            last = wordEnd;
            pos = wordEnd >= text.length() ? -1 : text.indexOf("=?", wordEnd);
            if (closeAt == -2) {
                break;
            }
        }
        flush(out, pending, pendingCharset);
        out.append(text, last, text.length());
        return out.toString();
    }

    private static boolean noWhitespace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
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
