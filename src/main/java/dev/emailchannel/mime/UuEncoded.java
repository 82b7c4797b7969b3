package dev.emailchannel.mime;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Uuencoded files ("begin 644 name" … "end") that old mailers and scripts put into a plain-text body: each block
 * becomes a file and leaves the text. Decoding is Jakarta Mail's ({@code MimeUtility.decode(…, "uuencode")}).
 */
final class UuEncoded {

    /** One block: the file name and the encoded lines from "begin" to "end". */
    record Block(String name, byte[] encoded) implements MailPart.Content {
        @Override
        public InputStream open() throws IOException {
            return decode(new ByteArrayInputStream(encoded));
        }
    }

    /** The text without its uuencoded blocks, and the blocks. */
    record Extracted(String text, List<Block> blocks) {
    }

    private UuEncoded() {
    }

    /** Decodes leniently: damaged data ends the file where it becomes unreadable, as for the other encodings. */
    static InputStream decode(InputStream encoded) throws IOException {
        InputStream in;
        try {
            in = MimeUtility.decode(encoded, "uuencode");
        } catch (MessagingException e) {
            throw new IOException("cannot decode uuencoded content: " + e.getMessage(), e);
        }
        return new FilterInputStream(in) {
            @Override
            public int read() {
                try {
                    return super.read();
                } catch (IOException e) {
                    return -1;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    return -1;
                }
            }
        };
    }

    /** Linear in the text; a "begin" line without its "end" is left as text. */
    static Extracted extract(String text) {
        if (!text.contains("begin ")) {
            return new Extracted(text, List.of());
        }
        List<Block> blocks = new ArrayList<>();
        StringBuilder kept = new StringBuilder(text.length());
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int eol = text.indexOf('\n', pos);
            int lineEnd = eol < 0 ? n : eol;
            String name = beginName(text.substring(pos, lineEnd));
            int blockEnd = name == null ? -1 : endOfBlock(text, eol < 0 ? n : eol + 1);
            if (blockEnd < 0) {
                kept.append(text, pos, eol < 0 ? n : eol + 1);
                pos = eol < 0 ? n : eol + 1;
                continue;
            }
            blocks.add(new Block(name, text.substring(pos, blockEnd).getBytes(StandardCharsets.ISO_8859_1)));
            pos = blockEnd;
        }
        return new Extracted(kept.toString(), blocks);
    }

    /** "begin 644 report.pdf" gives "report.pdf"; null for any other line. */
    private static String beginName(String line) {
        String l = line.strip();
        if (!l.startsWith("begin ") || l.length() > 300) {
            return null;
        }
        String[] f = l.split(" ", 3);
        if (f.length < 3 || !f[1].matches("[0-7]{3,4}") || f[2].isBlank()) {
            return null;
        }
        return f[2].strip();
    }

    /** The position after the "end" line of a block whose body starts at {@code from}, or -1. */
    private static int endOfBlock(String text, int from) {
        int pos = from;
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            int lineEnd = eol < 0 ? text.length() : eol;
            String line = text.substring(pos, lineEnd).strip();
            if (line.equals("end")) {
                return eol < 0 ? text.length() : eol + 1;
            }
            if (!line.isEmpty() && !isUuLine(line)) {
                return -1; // prose inside: not an encoded block
            }
            pos = lineEnd + 1;
        }
        return -1;
    }

    /** A uuencoded line: characters from space to underscore and backquote only, its length told by its first one. */
    private static boolean isUuLine(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < ' ' || c > '`') {
                return false;
            }
        }
        return true;
    }
}
