package dev.emailchannel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A structured header value such as {@code Content-Type} or {@code Content-Disposition}: the lower-case main
 * value and its parameters. RFC 2231 continuations and charsets ({@code filename*0*=utf-8''...}) are decoded;
 * RFC 2047 encoded words in file names are left to the caller (never decode them in a boundary). Lenient:
 * unquoted spaces, missing semicolons and stray quotes do not lose the rest of the header.
 */
record HeaderParams(String value, Map<String, String> params) {

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+");

    static final HeaderParams EMPTY = new HeaderParams("", Map.of());

    String param(String name) {
        return params.get(name);
    }

    static HeaderParams parse(String header) {
        if (header == null || header.isBlank()) {
            return EMPTY;
        }
        String h = LINE_BREAKS.matcher(header).replaceAll(" ");
        int semi = indexOfUnquoted(h, ';', 0);
        String first = (semi < 0 ? h : h.substring(0, semi)).trim();
        String value = first.toLowerCase(Locale.ROOT);
        // "text/plain charset=utf-8" (missing semicolon): keep the first token as the value
        int space = first.indexOf(' ');
        String rest = semi < 0 ? "" : h.substring(semi + 1);
        if (space > 0 && first.indexOf('=') > space) {
            rest = first.substring(space + 1) + ";" + rest;
            value = value.substring(0, space);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        int i = 0;
        int n = rest.length();
        while (i < n) {
            while (i < n && (rest.charAt(i) == ';' || Character.isWhitespace(rest.charAt(i)))) {
                i++;
            }
            int eq = rest.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            int segmentEnd = indexOfUnquoted(rest, ';', i);
            if (segmentEnd >= 0 && segmentEnd < eq) { // "; junk;" without '=': skip it, keep the next parameter
                i = segmentEnd;
                continue;
            }
            String name = rest.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && Character.isWhitespace(rest.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && rest.charAt(i) == '"') {
                i++;
                while (i < n && rest.charAt(i) != '"') {
                    char c = rest.charAt(i);
                    if (c == '\\' && i + 1 < n) {
                        // Windows paths in unescaped file names: keep the backslash unless it escapes a quote or a backslash
                        char next = rest.charAt(i + 1);
                        if (next == '"' || next == '\\') {
                            c = next;
                            i++;
                        }
                    }
                    v.append(c);
                    i++;
                }
                i++; // closing quote (or end)
                int end = indexOfUnquoted(rest, ';', Math.min(i, n));
                i = end < 0 ? n : end;
            } else {
                int end = indexOfUnquoted(rest, ';', i);
                if (end < 0) {
                    end = n;
                }
                v.append(rest, i, end);
                i = end;
                String s = v.toString().trim();
                v.setLength(0);
                v.append(s);
            }
            if (!name.isEmpty() && name.indexOf(' ') < 0 && !raw.containsKey(name)) {
                raw.put(name, v.toString());
            }
        }
        return new HeaderParams(value, combine(raw));
    }

    private static int indexOfUnquoted(String s, char c, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char x = s.charAt(i);
            if (x == '"') {
                quoted = !quoted;
            } else if (x == '\\' && quoted) {
                i++;
            } else if (x == c && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 2231: joins name*0, name*1*... and decodes name*=charset'lang'percent-encoded values. */
    private static Map<String, String> combine(Map<String, String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, String[]>> sections = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String name = e.getKey();
            int star = name.indexOf('*');
            if (star < 0) {
                out.putIfAbsent(name, e.getValue());
                continue;
            }
            String base = name.substring(0, star);
            String suffix = name.substring(star + 1);
            boolean encoded = suffix.endsWith("*") || suffix.isEmpty();
            String number = suffix.endsWith("*") ? suffix.substring(0, suffix.length() - 1) : suffix;
            int index;
            try {
                index = number.isEmpty() ? 0 : Integer.parseInt(number);
            } catch (NumberFormatException ex) {
                continue;
            }
            sections.computeIfAbsent(base, k -> new TreeMap<>())
                    .putIfAbsent(index, new String[] {e.getValue(), encoded ? "*" : ""});
        }
        for (Map.Entry<String, TreeMap<Integer, String[]>> e : sections.entrySet()) {
            Charset charset = null;
            boolean first = true;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (String[] section : e.getValue().values()) {
                String v = section[0];
                boolean encoded = !section[1].isEmpty();
                if (encoded && first) {
                    int q1 = v.indexOf('\'');
                    int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
                    if (q2 > 0) {
                        charset = Charsets.forLabel(v.substring(0, q1));
                        v = v.substring(q2 + 1);
                    }
                }
                first = false;
                if (encoded) {
                    percentDecode(v, bytes);
                } else {
                    bytes.writeBytes(v.getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] b = bytes.toByteArray();
            // an RFC 2231 value wins over a plain (often mangled or encoded-word) one of the same name
            out.put(e.getKey(), Charsets.decode(b, 0, b.length, charset));
        }
        return out;
    }

    private static void percentDecode(String v, ByteArrayOutputStream out) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 2 < v.length() && EncodedWords.hex(v.charAt(i + 1)) >= 0 && EncodedWords.hex(v.charAt(i + 2)) >= 0) {
                out.write(EncodedWords.hex(v.charAt(i + 1)) << 4 | EncodedWords.hex(v.charAt(i + 2)));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
