package dev.emailchannel.trust;

import dev.emailchannel.oauth.ProviderPreset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The authserv-ids whose {@code Authentication-Results} the channel believes ({@code TRUSTED_AUTHSERV_IDS}).
 * An entry is a host name compared case-insensitively ({@code mx.google.com}), {@code *.suffix} for every host under
 * a domain (Yahoo writes the name of whichever of its hosts checked the mail), or {@value #UNNAMED} for the header
 * that names no server at all (Microsoft 365 and Outlook.com write theirs without an authserv-id).
 *
 * <p>Which of a message's headers is believed at all is {@link SenderAuthenticator}'s business; this class only
 * answers whether an id is listed.
 */
public record TrustedAuthservIds(List<String> entries) {

    /** The entry that trusts a header without an authserv-id. */
    public static final String UNNAMED = "(none)";

    public static final TrustedAuthservIds NONE = new TrustedAuthservIds(List.of());

    public TrustedAuthservIds {
        Set<String> normalised = new LinkedHashSet<>();
        for (String entry : entries) {
            String e = entry == null ? "" : entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (!e.equals(UNNAMED) && !e.matches("(\\*\\.)?[a-z0-9_.:-]+") || e.equals("*.")) {
                throw new IllegalArgumentException("TRUSTED_AUTHSERV_IDS: '" + entry.trim()
                        + "' is not a host name, *.domain or " + UNNAMED);
            }
            normalised.add(e);
        }
        entries = List.copyOf(normalised);
    }

    /**
     * The ids of a comma-separated setting value, or those of the mailboxes' provider presets when it is empty.
     *
     * @throws IllegalArgumentException naming an entry that is not an id
     */
    public static TrustedAuthservIds of(String setting, Collection<ProviderPreset> presets) {
        List<String> entries = new ArrayList<>();
        if (setting != null && !setting.isBlank()) {
            entries.addAll(List.of(setting.split(",")));
        } else {
            presets.forEach(p -> entries.addAll(forProvider(p)));
        }
        return new TrustedAuthservIds(entries);
    }

    /**
     * What each provider writes as authserv-id on the mail it receives:
     * Gmail and Google Workspace {@code mx.google.com}; Microsoft 365 and Outlook.com no id at all (their header
     * starts with {@code spf=}); Yahoo (and AOL, on the same servers) the name of the checking host, such as
     * {@code atlas206.free.mail.ne1.yahoo.com} or {@code atlas-production.v2-mail-prod1-gq1.omega.yahoo.com}.
     */
    public static List<String> forProvider(ProviderPreset preset) {
        return switch (preset) {
            case GMAIL -> List.of("mx.google.com");
            case OUTLOOK -> List.of(UNNAMED);
            case YAHOO -> List.of("*.yahoo.com");
        };
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** True when a header written by {@code authservId} ("" for none) is to be believed. */
    public boolean trusts(String authservId) {
        // compared as parsed, not trimmed: trim() would also drop control characters ("\0mx.google.com")
        String id = authservId == null ? "" : authservId.toLowerCase(Locale.ROOT);
        for (String entry : entries) {
            if (id.isEmpty() ? entry.equals(UNNAMED)
                    : entry.startsWith("*.") ? id.endsWith(entry.substring(1)) : entry.equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
