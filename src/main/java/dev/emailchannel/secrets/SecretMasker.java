package dev.emailchannel.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replaces secrets in text with {@value #MASK}, in every form a log line may carry them: as written, URL-encoded
 * ({@code +} or {@code %20} for spaces, upper- or lower-case hex), JSON-escaped, base64 (standard and URL alphabet,
 * with or without padding) and base64 <em>inside a longer base64 text</em>, which is how a secret travels in a SASL
 * exchange ({@code AUTH XOAUTH2 dXNlcj1...}, {@code AUTH PLAIN}) or an HTTP Basic header: for each of the three byte
 * alignments the secret can have there, the run of base64 characters that depends on the secret's bytes alone is
 * masked. Immutable and thread-safe.
 *
 * <p>Secrets shorter than {@value #MIN_LENGTH} characters are not masked (they would mask ordinary words), nor are
 * embedded-base64 runs shorter than {@value #MIN_EMBEDDED_RUN} characters.
 *
 * <p>Cost: one pass over the text. At each position a bit table of the forms' first two characters (hashed) rules out
 * almost every position at the cost of one lookup; only where it does not are the forms that start with that
 * character compared, longest first. A line costs O(length) plus O(forms sharing a first character) at the rare
 * positions that pass the filter (see {@code bench/log-masking.sh}).
 */
public final class SecretMasker {

    public static final String MASK = "********";
    public static final int MIN_LENGTH = 4;
    static final int MIN_EMBEDDED_RUN = 8;

    public static final SecretMasker EMPTY = new SecretMasker(List.of());

    private static final int PAIR_BITS = 1 << 16;

    private final long[] pairFilter = new long[PAIR_BITS / 64];
    private final String[][] byAsciiFirst = new String[128][];
    private final Map<Character, String[]> byOtherFirst = new HashMap<>();
    private final int shortest;
    private final int formCount;

    public SecretMasker(Collection<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_LENGTH) {
                addForms(secret, forms);
            }
        }
        List<String> sorted = new ArrayList<>(forms);
        // longest first, so that a secret contained in a longer one (or in its own padded base64) is masked whole
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        Map<Character, List<String>> index = new HashMap<>();
        for (String form : sorted) {
            index.computeIfAbsent(form.charAt(0), c -> new ArrayList<>()).add(form);
            int pair = pair(form.charAt(0), form.charAt(1)); // every form has at least MIN_LENGTH characters
            pairFilter[pair >>> 6] |= 1L << pair;
        }
        index.forEach((c, list) -> {
            String[] array = list.toArray(String[]::new);
            if (c < 128) {
                byAsciiFirst[c] = array;
            } else {
                byOtherFirst.put(c, array);
            }
        });
        this.shortest = sorted.stream().mapToInt(String::length).min().orElse(Integer.MAX_VALUE);
        this.formCount = sorted.size();
    }

    /** The text with every form of every secret replaced by {@value #MASK}; the same instance when nothing matched. */
    public String mask(String text) {
        if (text == null || text.length() < shortest) {
            return text;
        }
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        int last = n - shortest; // no form fits after this position
        int i = 0;
        while (i <= last) {
            char c = text.charAt(i);
            int pair = pair(c, text.charAt(i + 1));
            if ((pairFilter[pair >>> 6] & (1L << pair)) == 0) {
                i++;
                continue;
            }
            String[] candidates = c < 128 ? byAsciiFirst[c] : byOtherFirst.get(c);
            String hit = null;
            if (candidates != null) {
                for (String form : candidates) {
                    if (text.startsWith(form, i)) {
                        hit = form;
                        break;
                    }
                }
            }
            if (hit == null) {
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(text, copied, i).append(MASK);
            i += hit.length();
            copied = i;
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    private static int pair(char first, char second) {
        return (first * 31 + second) & (PAIR_BITS - 1);
    }

    /** How many distinct forms are looked for (for the benchmark). */
    public int formCount() {
        return formCount;
    }

    private static void addForms(String secret, Set<String> forms) {
        forms.add(secret);
        String urlEncoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(urlEncoded);
        forms.add(urlEncoded.replace("+", "%20"));
        forms.add(lowerCaseHex(urlEncoded));
        forms.add(lowerCaseHex(urlEncoded.replace("+", "%20")));
        forms.add(jsonEscaped(secret));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            forms.add(encoder.encodeToString(bytes));
            forms.add(encoder.withoutPadding().encodeToString(bytes));
            for (int offset = 0; offset < 3; offset++) {
                String run = embeddedBase64(encoder, bytes, offset);
                if (run.length() >= MIN_EMBEDDED_RUN) {
                    forms.add(run);
                }
            }
        }
    }

    /**
     * The base64 characters that depend on nothing but the secret's bytes when the secret starts {@code offset}
     * bytes (mod 3) into a longer base64-encoded text: character j covers bits [6j, 6j+6), the secret covers bits
     * [8·offset, 8·(offset+n)).
     */
    static String embeddedBase64(Base64.Encoder encoder, byte[] secret, int offset) {
        byte[] shifted = new byte[offset + secret.length];
        System.arraycopy(secret, 0, shifted, offset, secret.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int first = (8 * offset + 5) / 6;
        int end = 8 * (offset + secret.length) / 6;
        return first >= end ? "" : encoded.substring(first, end);
    }

    private static String lowerCaseHex(String urlEncoded) {
        StringBuilder out = new StringBuilder(urlEncoded.length());
        for (int i = 0; i < urlEncoded.length(); i++) {
            char c = urlEncoded.charAt(i);
            if (c == '%' && i + 2 < urlEncoded.length()) {
                out.append(c).append(urlEncoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String jsonEscaped(String secret) {
        StringBuilder out = new StringBuilder(secret.length() + 8);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
