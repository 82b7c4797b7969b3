package dev.emailchannel.outbound;

import dev.emailchannel.mime.EmailAddress;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/** Checks what API callers put into the headers of an outgoing email: addresses, names and subjects. */
public final class Recipients {

    private Recipients() {
    }

    /**
     * One plain address ({@code jane@example.com}), checked strictly (RFC 822 syntax, a domain part).
     *
     * @param field the request field, named in the error
     * @throws IllegalArgumentException naming the field and the problem
     */
    public static EmailAddress address(String field, String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        noLineBreak(field, value);
        noLineBreak(field + " name", name);
        String trimmed = value.trim();
        try {
            InternetAddress parsed = new InternetAddress(trimmed, true);
            parsed.validate();
            String address = parsed.getAddress();
            int at = address.lastIndexOf('@');
            if (!address.equals(trimmed) || at <= 0 || at == address.length() - 1
                    || !address.substring(at + 1).contains(".") && !address.endsWith("@localhost")) {
                throw new AddressException("not a plain address");
            }
            return new EmailAddress(address, name);
        } catch (AddressException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not a valid email address: " + quoted(trimmed));
        }
    }

    /** Rejects CR and LF: they would start a new header in the email (header injection). */
    public static void noLineBreak(String field, String value) {
        if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("\"" + field + "\" must not contain line breaks (CR/LF)");
        }
    }

    private static String quoted(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return "'" + shown + "'";
    }
}
