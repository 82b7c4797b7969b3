package dev.emailchannel.trust;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Decides what the channel believes about a mail's sender from its {@code Authentication-Results} headers.
 *
 * <p><b>Which header is believed: only the topmost one, and only when its authserv-id is trusted.</b> Every server
 * on the way prepends its headers, so the receiving server of the mailbox (the provider's border MTA, the last one
 * to check the mail before it was stored) writes the topmost {@code Authentication-Results}. Everything below it was
 * written earlier: by servers on the way, or by the sender, who can write any header with any authserv-id,
 * the trusted one included. RFC 8601 §5 asks the border MTA to remove such headers, but not every server does, so
 * the channel does not rely on it:
 * <ul>
 *   <li>a forged header below the real one (any id, also the trusted one) is never read: only the topmost counts;</li>
 *   <li>a forged header above the real one cannot be written by the sender: headers above the real one come from
 *       servers after the border MTA, inside the provider;</li>
 *   <li>when the topmost header was written by a server that is not trusted (a relay after the provider, a mailbox
 *       server the preset does not know), nothing is believed, even if a trusted id appears further down: that one
 *       may be forged;</li>
 *   <li>what the channel cannot detect: a mailbox server that writes no header at all for a mail while its id is
 *       trusted; the sender's forged header is then the topmost. Trust only the id of the server that really
 *       receives the mailbox's mail and checks every mail (the provider presets do).</li>
 * </ul>
 * Only the {@code Authentication-Results} field counts; {@code ARC-Authentication-Results} and
 * {@code Authentication-Results-Original} (Exchange Online renames the headers it received) are other fields.
 * Servers that write one header per check (separate DKIM and DMARC milters) leave only the topmost one believed,
 * which is the DMARC verdict when the DMARC milter runs last.
 *
 * <p>Thread-safe and stateless apart from the trusted ids.
 */
public final class SenderAuthenticator {

    private final TrustedAuthservIds trusted;

    public SenderAuthenticator(TrustedAuthservIds trusted) {
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    /**
     * @param authenticationResults the values of the message's {@code Authentication-Results} header fields in
     *                              message order (topmost first), as {@code MailHeaders.values(...)} gives them
     * @param fromAddress           the From address the channel uses for the mail, or null when it has none
     */
    public SenderAuthentication authenticate(List<String> authenticationResults, String fromAddress) {
        if (trusted.isEmpty() || authenticationResults == null || authenticationResults.isEmpty()) {
            return SenderAuthentication.UNKNOWN;
        }
        AuthenticationResults top = AuthenticationResultsParser.parse(authenticationResults.get(0));
        if (!trusted.trusts(top.authservId())) {
            return SenderAuthentication.UNKNOWN;
        }
        List<AuthenticationResults.Result> dmarc = top.of("dmarc");
        return new SenderAuthentication(summary(top.of("spf"), false), summary(top.of("dkim"), false),
                summary(dmarc, true), verified(dmarc, domain(fromAddress)));
    }

    /** One word for a method with several results: a pass wins (one good DKIM signature is enough)... */
    private static String summary(List<AuthenticationResults.Result> results, boolean failWins) {
        if (results.isEmpty()) {
            return null;
        }
        // ...except for DMARC, where any failure is the answer (two From domains, one of them forged)
        if (failWins && results.stream().anyMatch(r -> r.result().equals("fail"))) {
            return "fail";
        }
        return results.stream().filter(r -> r.result().equals("pass")).findFirst()
                .orElse(results.get(0)).result();
    }

    private static Boolean verified(List<AuthenticationResults.Result> dmarc, String fromDomain) {
        if (dmarc.stream().anyMatch(r -> r.result().equals("fail"))) {
            return false;
        }
        boolean passed = false;
        for (AuthenticationResults.Result r : dmarc) {
            if (!r.result().equals("pass")) {
                continue;
            }
            String checked = domain(r.property("header.from"));
            if (checked != null && fromDomain != null && !checked.equals(fromDomain)) {
                return false; // the server vouched for another From than the one the channel reads
            }
            passed = true;
        }
        return passed ? Boolean.TRUE : null;
    }

    /** The domain of an address or of a bare domain, lower-cased, without a trailing dot; null when there is none. */
    static String domain(String addressOrDomain) {
        if (addressOrDomain == null) {
            return null;
        }
        String d = addressOrDomain.trim();
        int at = d.lastIndexOf('@');
        d = at >= 0 ? d.substring(at + 1) : d;
        if (d.endsWith(">")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? null : d.toLowerCase(Locale.ROOT);
    }
}
