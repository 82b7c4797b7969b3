package dev.emailchannel.inbound;

import dev.emailchannel.mime.ParsedMail;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a mail was written by a machine (auto-reply, bounce, bulk) or by the channel itself,
 * so that it is stored but never answered. First version: RFC 3834 Auto-Submitted and own addresses.
 */
public final class AutoReplyGuard {

    /** Header the channel puts on every mail it sends, to recognise its own mail if it comes back. */
    public static final String ORIGIN_HEADER = "X-Email-Channel";

    /** @return the reason not to answer, or empty when a person wrote the mail */
    public Optional<String> reasonNotToAnswer(ParsedMail mail, Set<String> ownAddressKeys) {
        if (mail.headers().has(ORIGIN_HEADER)) {
            return Optional.of("sent by this channel (" + ORIGIN_HEADER + ")");
        }
        if (mail.from() != null && ownAddressKeys.contains(mail.from().key())) {
            return Optional.of("sent from the channel's own address " + mail.from().address());
        }
        String autoSubmitted = mail.headers().lower("Auto-Submitted");
        if (!autoSubmitted.isEmpty() && !autoSubmitted.startsWith("no")) {
            return Optional.of("Auto-Submitted: " + autoSubmitted);
        }
        return Optional.empty();
    }
}
