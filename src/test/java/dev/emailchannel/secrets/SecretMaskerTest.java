package dev.emailchannel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private static final String MASK = SecretMasker.MASK;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void should_mask_secrets_as_written_url_encoded_json_escaped_and_base64() {
        String pw = "p@ss w/rd+1\"\\";
        SecretMasker masker = new SecretMasker(List.of(pw, "tok-123456"));
        String form = URLEncoder.encode(pw, StandardCharsets.UTF_8);
        byte[] bytes = pw.getBytes(StandardCharsets.UTF_8);
        List<String> forms = List.of(pw, form, form.replace("+", "%20"), form.toLowerCase(),
                "p@ss w/rd+1\\\"\\\\", b64(pw), Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                "Bearer tok-123456");
        for (String f : forms) {
            String line = "before " + f + " after";
            assertThat(masker.mask(line)).as(f).doesNotContain("ss w").doesNotContain("123456").contains(MASK)
                    .startsWith("before ").endsWith(" after");
        }
    }

    @Test
    void should_mask_a_token_inside_a_sasl_xoauth2_exchange_at_every_alignment() {
        String token = "ya29.a0AfH6SMBx-EXAMPLE_access_token_0123456789";
        SecretMasker masker = new SecretMasker(List.of(token));
        for (String user : List.of("a@x.test", "ab@x.test", "abc@x.test", "support@acme.test")) {
            String sasl = "user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001";
            String blob = b64(sasl);
            String masked = masker.mask("C: AUTH XOAUTH2 " + blob);
            assertThat(masked).as(user).contains(MASK);
            String before = masked.substring("C: AUTH XOAUTH2 ".length(), masked.indexOf(MASK));
            String after = masked.substring(masked.indexOf(MASK) + MASK.length());
            int tokenStart = ("user=" + user + "\u0001auth=Bearer ").length();
            // what stays visible decodes to at most 2 bytes of the token on each side
            byte[] visibleBefore = Base64.getDecoder().decode(before.substring(0, before.length() / 4 * 4));
            assertThat(visibleBefore.length).as(user).isLessThanOrEqualTo(tokenStart + 2);
            assertThat(after.length()).as(user).isLessThanOrEqualTo(b64("\u0001\u0001").length() + 4);
        }
        // and in the SASL PLAIN form of a password
        SecretMasker password = new SecretMasker(List.of("correct horse battery"));
        assertThat(password.mask("AUTH PLAIN " + b64("\u0000user@x.test\u0000correct horse battery")))
                .contains(MASK).doesNotContain(b64("correct horse battery").substring(4, 20));
    }

    @Test
    void should_mask_non_ascii_secrets_in_utf8_forms() {
        String pw = "pässwörd-ü€";
        SecretMasker masker = new SecretMasker(List.of(pw));
        assertThat(masker.mask("pw=" + pw)).isEqualTo("pw=" + MASK);
        assertThat(masker.mask("pw=" + URLEncoder.encode(pw, StandardCharsets.UTF_8))).isEqualTo("pw=" + MASK);
        assertThat(masker.mask("pw=" + b64(pw))).isEqualTo("pw=" + MASK);
    }

    @Test
    void should_not_mask_empty_or_very_short_values() {
        assertThat(new SecretMasker(java.util.Arrays.asList("", "ab", null)).mask("about a tab")).isEqualTo("about a tab");
        assertThat(new SecretMasker(List.of("abcd")).mask("xabcdx")).isEqualTo("x" + MASK + "x");
    }

    @Test
    void should_mask_the_longer_secret_first() {
        assertThat(new SecretMasker(List.of("secret", "secret-long")).mask("x secret-long y secret"))
                .isEqualTo("x " + MASK + " y " + MASK);
    }

    @Test
    void should_return_the_same_text_when_nothing_matches() {
        String line = "2026-01-01 INFO nothing to see here";
        assertThat(new SecretMasker(List.of("zzzz-token")).mask(line)).isSameAs(line);
        assertThat(SecretMasker.EMPTY.mask(line)).isSameAs(line);
        assertThat(SecretMasker.EMPTY.mask(null)).isNull();
    }

    @Test
    void should_compute_the_secret_only_base64_run_for_each_alignment() {
        byte[] secret = "abcdefghij".getBytes(StandardCharsets.US_ASCII);
        for (int prefix = 0; prefix < 6; prefix++) {
            byte[] whole = new byte[prefix + secret.length + 3];
            System.arraycopy(secret, 0, whole, prefix, secret.length);
            String encoded = Base64.getEncoder().encodeToString(whole);
            assertThat(encoded).as("prefix " + prefix)
                    .contains(SecretMasker.embeddedBase64(Base64.getEncoder(), secret, prefix % 3));
        }
    }
}
