package dev.emailchannel.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8601's grammar and examples, and the headers Gmail, Microsoft 365 and Yahoo really write. */
class AuthenticationResultsParserTest {

    private static AuthenticationResults parse(String value) {
        return AuthenticationResultsParser.parse(value);
    }

    private static String summary(AuthenticationResults ar) {
        StringBuilder out = new StringBuilder(ar.authservId());
        for (AuthenticationResults.Result r : ar.results()) {
            out.append(" | ").append(r.method()).append('=').append(r.result());
        }
        return out.toString();
    }

    @Test
    void should_read_none_as_no_results() {
        assertThat(parse("example.org 1; none")).isEqualTo(new AuthenticationResults("example.org", List.of()));
        assertThat(parse("example.com; none").results()).isEmpty();
    }

    @Test
    void should_read_the_rfc_examples_with_reasons_and_properties() {
        AuthenticationResults ar = parse("example.com;\r\n"
                + "          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
                + "          spf=pass smtp.mailfrom=example.net");
        assertThat(summary(ar)).isEqualTo("example.com | auth=pass | spf=pass");
        assertThat(ar.results().get(0).property("smtp.auth")).isEqualTo("sender@example.net");
        assertThat(ar.results().get(1).property("smtp.mailfrom")).isEqualTo("example.net");

        AuthenticationResults dkim = parse("example.com;\n"
                + "              dkim=pass reason=\"good signature\"\n"
                + "                header.i=@mail-router.example.net;\n"
                + "              dkim=fail reason=\"bad signature\"\n"
                + "                header.i=@newyork.example.com");
        assertThat(dkim.of("dkim")).extracting(AuthenticationResults.Result::result).containsExactly("pass", "fail");
        assertThat(dkim.results().get(0).reason()).isEqualTo("good signature");
        assertThat(dkim.results().get(1).property("header.i")).isEqualTo("@newyork.example.com");
    }

    @Test
    void should_read_versions_comments_quoted_strings_and_odd_spacing() {
        AuthenticationResults ar = parse(" (leading comment) \"mail.example.org\" 1 (version (nested) one) ;"
                + " dkim / 1 = pass ( the \\) escaped ; paren ) header.d = \"example.com\" (ok) ;"
                + " dmarc=fail (p=reject; sp=none) header.from=example.com");
        assertThat(summary(ar)).isEqualTo("mail.example.org | dkim=pass | dmarc=fail");
        assertThat(ar.results().get(0).properties()).isEqualTo(Map.of("header.d", "example.com"));
        assertThat(ar.results().get(1).property("header.from")).isEqualTo("example.com");
    }

    @Test
    void should_read_gmail_folded_with_comments() {
        AuthenticationResults ar = parse("mx.google.com;\r\n"
                + "       dkim=pass header.i=@example.com header.s=20230601 header.b=Ax3+/b9=;\r\n"
                + "       spf=pass (google.com: domain of jane@example.com designates 209.85.220.41 as permitted"
                + " sender) smtp.mailfrom=jane@example.com;\r\n"
                + "       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=example.com");
        assertThat(summary(ar)).isEqualTo("mx.google.com | dkim=pass | spf=pass | dmarc=pass");
        assertThat(ar.results().get(0).property("header.b")).isEqualTo("Ax3+/b9=");
        assertThat(ar.results().get(1).property("smtp.mailfrom")).isEqualTo("jane@example.com");
    }

    @Test
    void should_read_microsoft_365_without_authserv_id() {
        AuthenticationResults ar = parse("spf=pass (sender IP is 209.85.128.54)\r\n"
                + " smtp.mailfrom=example.com; dkim=pass (signature was verified)\r\n"
                + " header.d=example.com;dmarc=pass action=none\r\n"
                + " header.from=example.com;compauth=pass reason=100");
        assertThat(ar.unnamed()).isTrue();
        assertThat(summary(ar)).isEqualTo(" | spf=pass | dkim=pass | dmarc=pass | compauth=pass");
        assertThat(ar.of("dmarc").get(0).properties()).containsEntry("action", "none")
                .containsEntry("header.from", "example.com");
        assertThat(ar.of("compauth").get(0).reason()).isEqualTo("100");
    }

    @Test
    void should_skip_outlook_com_stray_elements() {
        AuthenticationResults ar = parse("spf=none (sender IP is 192.0.2.7) smtp.mailfrom=example.net; hotmail.com;"
                + " dkim=none header.d=example.net;hotmail.com; dmarc=bestguesspass action=none"
                + " header.from=example.net;compauth=fail reason=001");
        assertThat(summary(ar)).isEqualTo(" | spf=none | dkim=none | dmarc=bestguesspass | compauth=fail");
    }

    @Test
    void should_read_yahoo_with_glued_comments_and_a_trailing_semicolon() {
        AuthenticationResults ar = parse("atlas-production.v2-mail-prod1-gq1.omega.yahoo.com;\n"
                + " dkim=pass header.i=@gmail.com header.s=20230601;\n"
                + " spf=softfail smtp.mailfrom=example.com arc_overridden_status=NOT_OVERRIDDEN;\n"
                + " dmarc=pass(p=NONE,sp=QUARANTINE) header.from=gmail.com;");
        assertThat(summary(ar)).isEqualTo(
                "atlas-production.v2-mail-prod1-gq1.omega.yahoo.com | dkim=pass | spf=softfail | dmarc=pass");
        assertThat(ar.of("spf").get(0).property("arc_overridden_status")).isEqualTo("NOT_OVERRIDDEN");
        assertThat(ar.of("dmarc").get(0).property("header.from")).isEqualTo("gmail.com");
    }

    @Test
    void should_not_take_results_from_inside_comments_or_quoted_strings() {
        AuthenticationResults ar = parse("mx.example.org; dmarc=fail (faked; dmarc=pass header.from=x)"
                + " header.from=example.com; x-note=none reason=\"; dmarc=pass\"");
        assertThat(summary(ar)).isEqualTo("mx.example.org | dmarc=fail | x-note=none");
    }

    @Test
    void should_lower_case_ids_methods_and_results_but_not_values() {
        AuthenticationResults ar = parse("MX.Google.COM; DMARC=PASS header.From=Example.COM");
        assertThat(summary(ar)).isEqualTo("mx.google.com | dmarc=pass");
        assertThat(ar.results().get(0).property("header.from")).isEqualTo("Example.COM");
    }

    @Test
    void should_survive_garbage() {
        for (String junk : new String[] {"", ";", ";;;", "(", "\"", "=", "a=", "a b c", "x; =pass", "x; dkim=",
                "x; dkim=pass header.d", "x; dkim=pass =y", "x; (((", "x; dkim=pass (unterminated", "\\",
                "x; dkim=pass header.d=\"unterminated", "/=/=/", "x 1 2 3; spf=pass",
                // found by bench/fuzz.sh (authres): a backslash ending a comment stepped past the end
                "(\\", "x; dkim=pass (a\\", "x; dkim=pass reason=\"a\\"}) {
            assertThat(parse(junk)).as(junk).isNotNull();
        }
        assertThat(parse(null).results()).isEmpty();
        assertThat(parse("x".repeat(200_000) + "; dmarc=pass").results()).isEmpty(); // cut at MAX_LENGTH
    }
}
