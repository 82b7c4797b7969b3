package dev.emailchannel.mime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Splits the body of a multipart into its parts by boundary lines, tolerating a missing close delimiter. */
final class Multiparts {

    private Multiparts() {
    }

    /**
     * @return {start, end} of each part body (headers included), or null when no delimiter line was found
     */
    static List<int[]> split(byte[] data, int start, int end, String boundary, List<String> problems) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<int[]> parts = new ArrayList<>();
        int partStart = -1;
        boolean closed = false;
        int pos = start;
        while (pos < end) {
            int eol = RawHeaders.lineEnd(data, pos, end);
            int kind = delimiterKind(data, pos, eol, delimiter);
            if (kind != 0) {
                if (partStart >= 0) {
                    parts.add(new int[] {partStart, contentEndBefore(data, partStart, pos)});
                }
                if (kind == 2) {
                    closed = true;
                    partStart = -1;
                    break;
                }
                partStart = Math.min(eol + 1, end);
            }
            pos = eol + 1;
        }
        if (partStart >= 0) {
            parts.add(new int[] {partStart, end});
        }
        if (parts.isEmpty() && !closed) {
            return null;
        }
        if (!closed) {
            problems.add("multipart without closing boundary (message truncated?)");
        }
        return parts;
    }

    /** The line break before a delimiter belongs to the delimiter. */
    private static int contentEndBefore(byte[] data, int partStart, int delimiterLine) {
        int e = delimiterLine;
        if (e > partStart && data[e - 1] == '\n') {
            e--;
            if (e > partStart && data[e - 1] == '\r') {
                e--;
            }
        }
        return e;
    }

    /**
     * 0: not a delimiter, 1: delimiter, 2: close delimiter. As in mime4j, text after the boundary is ignored when
     * a space separates it ("--b  ignored"); a boundary directly followed by other characters is a longer,
     * different boundary (nested parts often use the outer boundary plus a suffix).
     */
    private static int delimiterKind(byte[] data, int pos, int eol, byte[] delimiter) {
        if (eol - pos < delimiter.length) {
            return 0;
        }
        for (int i = 0; i < delimiter.length; i++) {
            if (data[pos + i] != delimiter[i]) {
                return 0;
            }
        }
        int i = pos + delimiter.length;
        if (i + 1 < eol && data[i] == '-' && data[i + 1] == '-') {
            return 2;
        }
        return i == eol || data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ? 1 : 0;
    }

    /** The boundary of the first line that starts with "--" and occurs again later, or null. */
    static String guessBoundary(byte[] data, int start, int end) {
        int pos = start;
        Set<String> seen = new HashSet<>();
        while (pos < end) {
            int eol = RawHeaders.lineEnd(data, pos, end);
            int len = eol - pos;
            if (len > 3 && len < 200 && data[pos] == '-' && data[pos + 1] == '-') {
                String line = new String(data, pos + 2, len - 2, StandardCharsets.ISO_8859_1).strip();
                String candidate = line.endsWith("--") ? line.substring(0, line.length() - 2) : line;
                if (candidate.length() >= 1 && !candidate.contains(" ") && !candidate.matches("-*")) {
                    if (!seen.add(candidate)) {
                        return candidate;
                    }
                }
            }
            pos = eol + 1;
        }
        return null;
    }
}
