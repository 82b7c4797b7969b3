package dev.emailchannel.trust;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the value of an {@code Authentication-Results} header field (RFC 8601 §2.2):
 * {@code authserv-id [version] ( "; none" / *( ";" method[/version]=result [reason=value] *(ptype.property=value) ) )},
 * with comments (nested, with quoted pairs), quoted strings and folded lines anywhere between tokens.
 *
 * <p>Lenient where real servers deviate from the grammar, strict nowhere it matters for trust: a header without an
 * authserv-id (Microsoft 365 starts with {@code spf=...}) gets the id "", stray elements between semicolons
 * (Outlook.com's {@code ; hotmail.com;}) and properties without a ptype ({@code action=none}) are kept or skipped
 * instead of failing the header, and a comment glued to a result ({@code dmarc=pass(p=NONE)}) ends the result.
 * Never throws; the worst input gives an {@link AuthenticationResults} without results.
 */
public final class AuthenticationResultsParser {

    /** Header values longer than this are cut: no real header comes close, and the parse stays cheap. */
    static final int MAX_LENGTH = 64 * 1024;

    private final String in;
    private int pos;

    private AuthenticationResultsParser(String value) {
        String v = value == null ? "" : value;
        this.in = v.length() > MAX_LENGTH ? v.substring(0, MAX_LENGTH) : v;
    }

    public static AuthenticationResults parse(String value) {
        return new AuthenticationResultsParser(value).header();
    }

    private AuthenticationResults header() {
        skipCfws();
        String authservId = "";
        int start = pos;
        String first = value(false);
        skipCfws();
        if (first.isEmpty() || peek() == '=' || peek() == '/') {
            pos = start; // no authserv-id: the header starts with its first result (Microsoft 365)
        } else {
            authservId = first.toLowerCase(Locale.ROOT);
            digits(); // authres-version, ignored: version 1 is the only one
            skipCfws();
        }
        List<AuthenticationResults.Result> results = new ArrayList<>();
        boolean firstElement = authservId.isEmpty();
        while (pos < in.length()) {
            if (!firstElement) {
                if (peek() != ';') {
                    skipElement(); // junk after a result: resynchronise on the next ';'
                    continue;
                }
                pos++;
                skipCfws();
            }
            firstElement = false;
            if (pos >= in.length()) {
                break; // a trailing ';' (Yahoo)
            }
            AuthenticationResults.Result result = resinfo();
            if (result != null) {
                results.add(result);
            }
            skipCfws();
        }
        return new AuthenticationResults(authservId, results);
    }

    /** {@code method[/version] = result [reason=value] *propspec}; null for an element that is not a result. */
    private AuthenticationResults.Result resinfo() {
        String method = keyword();
        skipCfws();
        if (peek() == '/') {
            pos++;
            skipCfws();
            digits();
            skipCfws();
        }
        if (method.isEmpty() || peek() != '=') {
            skipElement(); // "none", or a stray element such as Outlook.com's "hotmail.com"
            return null;
        }
        pos++;
        skipCfws();
        String result = keyword();
        if (result.isEmpty()) {
            skipElement();
            return null;
        }
        String reason = null;
        Map<String, String> properties = new LinkedHashMap<>();
        while (true) {
            skipCfws();
            if (pos >= in.length() || peek() == ';') {
                break;
            }
            int start = pos;
            String name = value(false);
            skipCfws();
            if (name.isEmpty() || peek() != '=') {
                if (pos == start) {
                    pos++; // a character no rule takes: step over it
                }
                continue;
            }
            pos++;
            skipCfws();
            String v = value(true);
            String key = name.toLowerCase(Locale.ROOT);
            if (key.equals("reason")) {
                reason = reason == null ? v : reason;
            } else {
                properties.putIfAbsent(key, v);
            }
        }
        return new AuthenticationResults.Result(method.toLowerCase(Locale.ROOT), result.toLowerCase(Locale.ROOT),
                reason, properties);
    }

    /** RFC 5321 Keyword (letters, digits, '-'), also '_' and '.' seen in the wild. */
    private String keyword() {
        int start = pos;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.') {
                pos++;
            } else {
                break;
            }
        }
        return in.substring(start, pos);
    }

    /**
     * A quoted string (unquoted) or a run of characters up to white space, ';', '(' or '"'. A property value may
     * contain '=' (a base64 {@code header.b}); any other value stops at '=' (it precedes one).
     */
    private String value(boolean allowEquals) {
        if (peek() == '"') {
            return quotedString();
        }
        int start = pos;
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (Character.isWhitespace(c) || c == ';' || c == '(' || c == '"' || c == '/' && !allowEquals
                    || c == '=' && !allowEquals) {
                break;
            }
            pos++;
        }
        return in.substring(start, pos);
    }

    private String quotedString() {
        StringBuilder out = new StringBuilder();
        pos++; // opening quote
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && pos < in.length()) {
                c = in.charAt(pos++);
            }
            if (c != '\r' && c != '\n') {
                out.append(c);
            }
        }
        return out.toString(); // unterminated: what was there
    }

    private void digits() {
        while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
            pos++;
        }
    }

    /** Skips white space (folding included) and comments, which nest and may hold quoted pairs. */
    private void skipCfws() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '(') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        int depth = 0;
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == '\\') {
                pos = Math.min(pos + 1, in.length()); // a quoted pair; a backslash at the very end quotes nothing
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
    }

    /** Skips to the next ';' that is outside comments and quoted strings. */
    private void skipElement() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c == ';') {
                return;
            } else if (c == '(') {
                skipComment();
            } else if (c == '"') {
                quotedString();
            } else {
                pos++;
            }
        }
    }

    private char peek() {
        return pos < in.length() ? in.charAt(pos) : '\0';
    }
}
