package dev.emailchannel.config;

/**
 * A password, token or client secret. {@link #toString()} never shows the value, so a secret that ends up in a log
 * line, an exception message or an API answer by accident is still masked.
 */
public record Secret(String value) {

    public static final String MASK = "********";

    public boolean isEmpty() {
        return value == null || value.isEmpty();
    }

    /** The value for the API: masked when set, null when not set. */
    public String masked() {
        return isEmpty() ? null : MASK;
    }

    @Override
    public String toString() {
        return isEmpty() ? "" : MASK;
    }
}
