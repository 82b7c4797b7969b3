package dev.emailchannel.mime;

import java.util.Locale;

/**
 * An address as it appeared in a header: the bare address and the optional display name.
 * {@link #key()} is the case-insensitive form used to match customers to sessions.
 */
public record EmailAddress(String address, String name) {

    public EmailAddress {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("address is empty");
        }
        address = address.trim();
        name = name == null || name.isBlank() ? null : name.trim();
    }

    public static EmailAddress of(String address) {
        return new EmailAddress(address, null);
    }

    /** Lower-cased address, the identity of a customer. */
    public String key() {
        return address.toLowerCase(Locale.ROOT);
    }

    /** The domain part, or the whole address when it has no {@code @}. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(at + 1);
    }
}
