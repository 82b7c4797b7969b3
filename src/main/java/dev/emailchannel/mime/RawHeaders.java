package dev.emailchannel.mime;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a header block from raw bytes: unfolds continuation lines and decodes each field as UTF-8 when it is
 * valid UTF-8 (RFC 6532), else with the legacy charset given, else as windows-1252. Encoded words are left for the caller. Stops at the empty line, or
 * at the first line that is neither a field nor a continuation (that line then belongs to the body).
 */
final class RawHeaders {

    final List<MailHeaders.Header> fields = new ArrayList<>();
    /** Offset of the first body byte. */
    int bodyStart;
    /** A line that was not a header field ended the header block early. */
    boolean endedByGarbage;
    /** Some field held 8-bit bytes that are not UTF-8 (decoded with the legacy charset, or guessed). */
    boolean legacyBytes;
    private Charset legacy;

    static RawHeaders read(byte[] data, int start, int end) {
        return read(data, start, end, null);
    }

    /** @param legacy the charset for 8-bit header bytes that are not UTF-8, or null to guess */
    static RawHeaders read(byte[] data, int start, int end, Charset legacy) {
        RawHeaders h = new RawHeaders();
        h.legacy = legacy;
        int pos = start;
        String name = null;
        StringBuilder value = null;
        while (pos < end) {
            int eol = lineEnd(data, pos, end);
            int next = eol < end ? eol + 1 : end;
            int contentEnd = eol > pos && data[eol - 1] == '\r' ? eol - 1 : eol;
            if (contentEnd == pos || isBlank(data, pos, contentEnd) && !headerContinuesAt(data, next, end)) {
                // the empty line; or a whitespace-only one (a common mailer bug) unless the header goes on after it
                h.add(name, value);
                h.bodyStart = next;
                return h;
            }
            byte first = data[pos];
            if ((first == ' ' || first == '\t') && name != null) {
                String more = h.text(data, pos, contentEnd - pos).strip();
                if (!more.isEmpty()) {
                    value.append(value.isEmpty() ? "" : " ").append(more);
                }
            } else {
                int colon = fieldNameEnd(data, pos, contentEnd);
                if (colon < 0) {
                    h.add(name, value);
                    h.bodyStart = pos;
                    h.endedByGarbage = true;
                    return h;
                }
                h.add(name, value);
                name = new String(data, pos, colon - pos, java.nio.charset.StandardCharsets.US_ASCII).strip();
                value = new StringBuilder(h.text(data, colon + 1, contentEnd - colon - 1).strip());
            }
            pos = next;
        }
        h.add(name, value);
        h.bodyStart = end;
        return h;
    }

    private String text(byte[] data, int off, int len) {
        String s = Charsets.decodeHeader(data, off, len, legacy);
        if (s == null) {
            legacyBytes = true;
            return Charsets.decode(data, off, len, null);
        }
        return s;
    }

    /** True when the line at {@code pos} looks like a header field ("Name: value"). */
    static boolean isField(byte[] data, int pos, int end) {
        int eol = lineEnd(data, pos, end);
        return fieldNameEnd(data, pos, eol) > 0;
    }

    private void add(String name, StringBuilder value) {
        if (name != null) {
            fields.add(new MailHeaders.Header(name, value.toString()));
        }
    }

    /** Position of the colon after a field name, or -1 when the line is not a field. */
    private static int fieldNameEnd(byte[] data, int pos, int end) {
        int i = pos;
        while (i < end && i - pos < 100) {
            byte b = data[i];
            if (b == ':') {
                return i > pos ? i : -1;
            }
            if (b == ' ' || b == '\t') { // "Subject : x" is tolerated, "Dear John: x" is not
                int j = i;
                while (j < end && (data[j] == ' ' || data[j] == '\t')) {
                    j++;
                }
                return j < end && data[j] == ':' && j > pos && data[pos] != ' ' ? j : -1;
            }
            if (b < 33 || b > 126) {
                return -1;
            }
            i++;
        }
        return -1;
    }

    /** RFC 5322 obsolete syntax allows whitespace-only lines inside a folded field. */
    private static boolean headerContinuesAt(byte[] data, int pos, int end) {
        return pos < end && (data[pos] == ' ' || data[pos] == '\t' || isField(data, pos, end));
    }

    private static boolean isBlank(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != ' ' && data[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    static int lineEnd(byte[] data, int pos, int end) {
        for (int i = pos; i < end; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return end;
    }
}
