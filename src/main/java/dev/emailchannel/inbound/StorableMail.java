package dev.emailchannel.inbound;

import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.mime.ParsedMail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the session store cannot keep of a parsed mail, in words an operator understands: a sender address longer than
 * an address can be (RFC 5321: 64 + 1 + 255 = 320 characters, the size of the customer column), or a NUL character
 * (RFC 5322 forbids it; PostgreSQL refuses it in text). Such a mail fails on its own and is parked; without this check
 * the operator would see only the database's words ("value too long for type character varying(320)", "unnamed portal
 * parameter $11"), and H2 and PostgreSQL would treat the same mail differently.
 */
final class StorableMail {

    static final int MAX_ADDRESS = 320;

    private StorableMail() {
    }

    /** @return why the mail cannot be stored, or empty */
    static Optional<String> problem(ParsedMail mail, String newText) {
        String from = mail.from().address();
        if (from.length() > MAX_ADDRESS) {
            return Optional.of("the From address is " + from.length() + " characters long; an address has at most "
                    + MAX_ADDRESS);
        }
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("From address", from);
        stored.put("From name", mail.from().name());
        stored.put("Subject", mail.subject());
        stored.put("Message-ID", mail.messageId());
        stored.put("In-Reply-To", mail.inReplyTo());
        stored.put("References", String.join(" ", mail.references()));
        stored.put("Reply-To", addresses(mail.replyTo()));
        stored.put("To", addresses(mail.to()));
        stored.put("text", newText);
        for (Map.Entry<String, String> e : stored.entrySet()) {
            if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
                return Optional.of("the " + e.getKey() + " contains a NUL character (0x00), which cannot be stored");
            }
        }
        return Optional.empty();
    }

    private static String addresses(List<EmailAddress> list) {
        return list.stream().map(a -> a.address() + " " + (a.name() == null ? "" : a.name()))
                .collect(Collectors.joining(", "));
    }
}
