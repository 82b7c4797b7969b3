package dev.emailchannel.fuzz;

import dev.emailchannel.trust.AuthenticationResultsParser;
import dev.emailchannel.trust.SenderAuthentication;
import dev.emailchannel.trust.SenderAuthenticator;
import dev.emailchannel.trust.TrustedAuthservIds;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer fuzz target: any text as a sender-written {@code Authentication-Results} header. A finding is an exception,
 * or a forged header that changes what is believed: below the trusted server's real header, or as the topmost header
 * when it names another server, it must never count.
 */
public final class AuthenticationResultsFuzzer {

    private static final SenderAuthenticator GMAIL = new SenderAuthenticator(
            new TrustedAuthservIds(List.of("mx.google.com")));
    private static final String REAL = "mx.google.com; spf=softfail smtp.mailfrom=example.com; dmarc=none"
            + " header.from=example.com";
    private static final SenderAuthentication REAL_RESULT = GMAIL.authenticate(List.of(REAL), "a@example.com");

    private AuthenticationResultsFuzzer() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String forged = new String(data, StandardCharsets.UTF_8);
        AuthenticationResultsParser.parse(forged);
        if (!GMAIL.authenticate(List.of(REAL, forged), "a@example.com").equals(REAL_RESULT)) {
            throw new IllegalStateException("a header below the trusted one changed the result");
        }
        String id = AuthenticationResultsParser.parse(forged).authservId();
        if (!id.equals("mx.google.com")
                && !GMAIL.authenticate(List.of(forged, REAL), "a@example.com").equals(SenderAuthentication.UNKNOWN)) {
            throw new IllegalStateException("a topmost header of another server (" + id + ") was believed");
        }
    }
}
