package dev.emailchannel.mime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The headers of a message in their original order; names compare case-insensitively. */
public record MailHeaders(List<Header> all) {

    public record Header(String name, String value) {
    }

    public MailHeaders {
        all = List.copyOf(all);
    }

    public Optional<String> first(String name) {
        return all.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    public List<String> values(String name) {
        return all.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    public boolean has(String name) {
        return first(name).isPresent();
    }

    /** First value, trimmed and lower-cased, or "" when absent. */
    public String lower(String name) {
        return first(name).map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse("");
    }
}
