package dev.emailchannel.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces every configured secret (passwords, refresh tokens, client secrets, agent and API tokens, the database
 * password) in log lines with {@code ********}: as written, URL-encoded and base64-encoded. Secrets shorter than
 * {@value #MIN_LENGTH} characters are not masked: they would mask ordinary words.
 */
public final class LogMasker {

    public static final int MIN_LENGTH = 4;
    private static final String MASK = "********";

    private final List<String> forms;

    public LogMasker(List<String> secrets) {
        Set<String> all = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret == null || secret.length() < MIN_LENGTH) {
                continue;
            }
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            all.add(secret);
            all.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
            all.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
            all.add(Base64.getEncoder().encodeToString(bytes));
            all.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
            all.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        }
        List<String> sorted = new ArrayList<>(all);
        // longer forms first, so that a secret contained in another secret does not leave a partial value behind
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.forms = List.copyOf(sorted);
    }

    public String mask(String line) {
        String out = line;
        for (String form : forms) {
            if (out.contains(form)) {
                out = out.replace(form, MASK);
            }
        }
        return out;
    }
}
