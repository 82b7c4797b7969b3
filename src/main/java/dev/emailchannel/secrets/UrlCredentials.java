package dev.emailchannel.secrets;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The credentials written into a URL, so that they can be masked like any configured secret: the password of the
 * user info ({@code postgresql://user:pw@host}, {@code https://user:pw@agent}), a user info that is a token on its own
 * ({@code https://<token>@agent}), and the values of token-like parameters ({@code ?password=}, {@code ;PASSWORD=},
 * {@code ?access_token=}, {@code &apiKey=}, Camel's {@code password=RAW(...)}). Each value as written and
 * percent-decoded. Works on JDBC URLs ({@code jdbc:} prefix) and Camel endpoint URIs alike; never throws.
 */
public final class UrlCredentials {

    /** Parameter names that hold a credential. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            ".*(pass|pwd|secret|token|key|auth|sig|credential|session|cookie|code).*");
    /** A user info without ':' this long is a token, not a user name ({@code https://ghp_...@host}). */
    static final int TOKEN_USER_INFO_LENGTH = 16;

    private UrlCredentials() {
    }

    public static List<String> in(String url) {
        Set<String> found = new LinkedHashSet<>();
        if (url == null || url.isBlank()) {
            return List.of();
        }
        String u = url.trim();
        int scheme = u.indexOf("//");
        if (scheme >= 0) {
            String rest = u.substring(scheme + 2);
            int end = firstOf(rest, "?#");
            int at = rest.lastIndexOf('@', end - 1);
            if (at > 0 && rest.substring(0, at).indexOf('/') < 0) {
                String userInfo = rest.substring(0, at);
                int colon = userInfo.indexOf(':');
                if (colon >= 0) {
                    add(found, userInfo.substring(colon + 1));
                } else if (userInfo.length() >= TOKEN_USER_INFO_LENGTH) {
                    add(found, userInfo);
                }
            }
        }
        // query parameters (&), and the ;key=value settings of JDBC URLs (H2, SQL Server)
        int query = firstOf(u, "?;");
        if (query < u.length()) {
            String params = u.substring(query + 1);
            int fragment = params.indexOf('#');
            params = fragment >= 0 ? params.substring(0, fragment) : params;
            for (String pair : params.split("[&;?]")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = decode(pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                if (SECRET_NAME.matcher(name).matches()) {
                    add(found, pair.substring(eq + 1));
                }
            }
        }
        return List.copyOf(found);
    }

    private static void add(Set<String> found, String value) {
        if (value.isEmpty()) {
            return;
        }
        found.add(value);
        found.add(decode(value));
        if (value.startsWith("RAW(") && value.endsWith(")")) { // Camel's way to pass a value unencoded
            found.add(value.substring(4, value.length() - 1));
        }
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value; // a lone '%': not encoded
        }
    }

    private static int firstOf(String s, String chars) {
        int first = s.length();
        for (char c : chars.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && i < first) {
                first = i;
            }
        }
        return first;
    }
}
