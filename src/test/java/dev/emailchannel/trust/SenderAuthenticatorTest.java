package dev.emailchannel.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.emailchannel.oauth.ProviderPreset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which Authentication-Results are believed, and every forgery shape a sender can try. */
class SenderAuthenticatorTest {

    private static final String GMAIL_PASS = "mx.google.com;\r\n"
            + "       dkim=pass header.i=@example.com header.s=s1 header.b=Xy12ab3c;\r\n"
            + "       spf=pass (google.com: domain of jane@example.com designates 192.0.2.1 as permitted sender)"
            + " smtp.mailfrom=jane@example.com;\r\n"
            + "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com";
    private static final String GMAIL_FAIL = "mx.google.com; spf=fail smtp.mailfrom=evil.test;"
            + " dkim=none; dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=example.com";
    private static final String FORGED_PASS = "mx.google.com; spf=pass smtp.mailfrom=example.com;"
            + " dkim=pass header.d=example.com; dmarc=pass header.from=example.com";

    private final SenderAuthenticator gmail = new SenderAuthenticator(
            TrustedAuthservIds.of("", Set.of(ProviderPreset.GMAIL)));

    @Test
    void should_verify_a_dmarc_pass_from_the_trusted_server() {
        assertThat(gmail.authenticate(List.of(GMAIL_PASS), "jane@example.com"))
                .isEqualTo(new SenderAuthentication("pass", "pass", "pass", true));
    }

    @Test
    void should_report_a_dmarc_failure() {
        SenderAuthentication auth = gmail.authenticate(List.of(GMAIL_FAIL), "jane@example.com");
        assertThat(auth).isEqualTo(new SenderAuthentication("fail", "none", "fail", false));
        assertThat(auth.failed()).isTrue();
    }

    @Test
    void should_know_nothing_without_a_trusted_header_or_without_trusted_ids() {
        assertThat(gmail.authenticate(List.of(), "jane@example.com")).isEqualTo(SenderAuthentication.UNKNOWN);
        assertThat(new SenderAuthenticator(TrustedAuthservIds.NONE).authenticate(List.of(GMAIL_PASS), "j@example.com"))
                .isEqualTo(SenderAuthentication.UNKNOWN);
        assertThat(gmail.authenticate(List.of("mx.google.com; spf=pass smtp.mailfrom=example.com"), "j@example.com"))
                .as("trusted, but no DMARC result").isEqualTo(new SenderAuthentication("pass", null, null, null));
        assertThat(gmail.authenticate(List.of("mx.google.com; dmarc=temperror"), "j@example.com").verified()).isNull();
    }

    // ---- forgery shapes ----

    @Test
    void forged_header_with_an_untrusted_id_is_ignored() {
        assertThat(gmail.authenticate(List.of("attacker.example; dmarc=pass header.from=example.com"),
                "jane@example.com")).isEqualTo(SenderAuthentication.UNKNOWN);
        assertThat(gmail.authenticate(List.of("attacker.example (mx.google.com); dmarc=pass header.from=example.com"),
                "jane@example.com")).as("the trusted id in a comment").isEqualTo(SenderAuthentication.UNKNOWN);
        // found by bench/fuzz.sh (authres): trim() made "\0mx.google.com" the trusted id
        assertThat(gmail.authenticate(List.of("\u0000mx.google.com; dmarc=pass header.from=example.com"),
                "jane@example.com")).as("a control character in the id").isEqualTo(SenderAuthentication.UNKNOWN);
    }

    @Test
    void forged_header_with_the_trusted_id_below_the_real_one_is_ignored() {
        assertThat(gmail.authenticate(List.of(GMAIL_FAIL, FORGED_PASS), "jane@example.com").verified()).isFalse();
        // a domain without DMARC: the real header says none, the forged one pass
        assertThat(gmail.authenticate(List.of("mx.google.com; spf=softfail smtp.mailfrom=example.com;"
                + " dmarc=none header.from=example.com", FORGED_PASS), "jane@example.com"))
                .isEqualTo(new SenderAuthentication("softfail", null, "none", null));
    }

    @Test
    void trusted_id_below_an_untrusted_topmost_header_is_not_believed() {
        // a relay after the provider, or a mailbox server the preset does not know: the trusted one may be forged
        assertThat(gmail.authenticate(List.of("relay.acme.test; dmarc=none", FORGED_PASS), "jane@example.com"))
                .isEqualTo(SenderAuthentication.UNKNOWN);
    }

    @Test
    void forged_unnamed_header_below_microsofts_is_ignored() {
        SenderAuthenticator outlook = new SenderAuthenticator(TrustedAuthservIds.of("", Set.of(ProviderPreset.OUTLOOK)));
        String real = "spf=fail (sender IP is 192.0.2.9) smtp.mailfrom=example.com; dkim=none (message not signed)"
                + " header.d=none;dmarc=fail action=oreject header.from=example.com;compauth=fail reason=000";
        String forged = "spf=pass smtp.mailfrom=example.com; dmarc=pass action=none header.from=example.com";
        assertThat(outlook.authenticate(List.of(real, forged), "ceo@example.com"))
                .isEqualTo(new SenderAuthentication("fail", "none", "fail", false));
        assertThat(outlook.authenticate(List.of("mx.google.com; dmarc=pass header.from=example.com"), "ceo@example.com"))
                .as("a named header is not Microsoft's").isEqualTo(SenderAuthentication.UNKNOWN);
    }

    @Test
    void lookalike_yahoo_ids_are_not_trusted() {
        SenderAuthenticator yahoo = new SenderAuthenticator(TrustedAuthservIds.of("", Set.of(ProviderPreset.YAHOO)));
        String pass = "; dkim=pass header.i=@example.com; spf=pass smtp.mailfrom=example.com;"
                + " dmarc=pass(p=REJECT) header.from=example.com;";
        assertThat(yahoo.authenticate(List.of("atlas206.free.mail.ne1.yahoo.com" + pass), "a@example.com").verified())
                .isTrue();
        for (String lookalike : List.of("yahoo.com.attacker.test", "evilyahoo.com", "attacker.test", "yahoo.com")) {
            assertThat(yahoo.authenticate(List.of(lookalike + pass), "a@example.com")).as(lookalike)
                    .isEqualTo(SenderAuthentication.UNKNOWN);
        }
    }

    @Test
    void results_smuggled_in_comments_or_quoted_strings_do_not_count() {
        assertThat(gmail.authenticate(List.of("mx.google.com; dmarc=fail (; dmarc=pass header.from=example.com)"
                + " header.from=example.com"), "jane@example.com").verified()).isFalse();
        assertThat(gmail.authenticate(List.of("mx.google.com; x=none reason=\"; dmarc=pass header.from=example.com\""),
                "jane@example.com").verified()).isNull();
    }

    @Test
    void a_pass_for_another_from_domain_is_not_a_pass_for_this_mail() {
        // two From headers, or a From the parser read differently than the server: the verdict was about another one
        assertThat(gmail.authenticate(List.of(GMAIL_PASS), "jane@example.net").verified()).isFalse();
        assertThat(gmail.authenticate(List.of(GMAIL_PASS), "Jane@EXAMPLE.com").verified()).isTrue();
        assertThat(gmail.authenticate(List.of(GMAIL_PASS), null).verified()).isTrue();
        assertThat(gmail.authenticate(List.of("mx.google.com; dmarc=pass header.from=example.com;"
                + " dmarc=fail header.from=example.org"), "jane@example.com"))
                .as("any DMARC failure wins").isEqualTo(new SenderAuthentication(null, null, "fail", false));
    }

    @Test
    void should_take_a_pass_among_several_dkim_signatures() {
        assertThat(gmail.authenticate(List.of("mx.google.com; dkim=fail header.d=list.test; dkim=pass"
                + " header.d=example.com; dmarc=pass header.from=example.com"), "a@example.com").dkim()).isEqualTo("pass");
    }

    // ---- configuration ----

    @Test
    void should_parse_the_setting_and_fall_back_to_the_presets() {
        assertThat(TrustedAuthservIds.of(" MX.example.org , *.Mail.Example.NET,(none) ", Set.of(ProviderPreset.GMAIL))
                .entries()).containsExactly("mx.example.org", "*.mail.example.net", "(none)");
        assertThat(TrustedAuthservIds.of("", Set.of()).isEmpty()).isTrue();
        assertThat(TrustedAuthservIds.of(null, List.of(ProviderPreset.GMAIL, ProviderPreset.YAHOO,
                ProviderPreset.GMAIL)).entries()).containsExactly("mx.google.com", "*.yahoo.com");
        assertThat(TrustedAuthservIds.of("a.test", Set.of()).trusts("A.TEST")).isTrue();
        assertThat(TrustedAuthservIds.of("*.a.test", Set.of()).trusts("a.test")).isFalse();
        assertThat(TrustedAuthservIds.of("*.a.test", Set.of()).trusts("")).isFalse();
    }

    @Test
    void should_refuse_entries_that_are_not_ids() {
        for (String bad : List.of("mx google com", "*", "*.", "a;b", "*.*.x", "x*")) {
            assertThatThrownBy(() -> TrustedAuthservIds.of(bad, Set.of())).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TRUSTED_AUTHSERV_IDS");
        }
    }
}
