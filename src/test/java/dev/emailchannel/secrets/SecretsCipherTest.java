package dev.emailchannel.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretsCipherTest {

    private static final String NEW = "new-key-Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==";
    private static final String OLD = "old-key-b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk";
    private static final String CONTEXT = "oauth_refresh_token:sales@acme.test";

    @Test
    void should_seal_with_a_fresh_nonce_and_open_again() {
        SecretsCipher cipher = new SecretsCipher(List.of(NEW));
        String a = cipher.seal("1//refresh-token", CONTEXT);
        String b = cipher.seal("1//refresh-token", CONTEXT);
        assertThat(a).startsWith("enc:v1:").doesNotContain("refresh").isNotEqualTo(b);
        byte[] data = Base64.getUrlDecoder().decode(a.substring(a.lastIndexOf(':') + 1));
        assertThat(data).hasSize(12 + "1//refresh-token".length() + 16); // nonce, ciphertext, tag
        assertThat(cipher.open(a, CONTEXT)).isEqualTo(new SecretsCipher.Opened("1//refresh-token", false));
        assertThat(cipher.open(b, CONTEXT).value()).isEqualTo("1//refresh-token");
    }

    @Test
    void should_read_with_an_older_key_and_ask_for_a_rewrite_with_the_first() {
        String byOld = new SecretsCipher(List.of(OLD)).seal("token", CONTEXT);
        SecretsCipher rotated = new SecretsCipher(List.of(NEW, OLD));
        assertThat(rotated.open(byOld, CONTEXT)).isEqualTo(new SecretsCipher.Opened("token", true));
        String again = rotated.seal("token", CONTEXT);
        assertThat(new SecretsCipher(List.of(NEW)).open(again, CONTEXT).value()).isEqualTo("token");
    }

    @Test
    void should_take_a_value_in_clear_and_ask_to_encrypt_it_once_a_key_is_set() {
        assertThat(new SecretsCipher(List.of(NEW)).open("1//plain", CONTEXT)).isEqualTo(new SecretsCipher.Opened("1//plain", true));
        assertThat(SecretsCipher.NONE.open("1//plain", CONTEXT)).isEqualTo(new SecretsCipher.Opened("1//plain", false));
        assertThat(SecretsCipher.NONE.seal("1//plain", CONTEXT)).isEqualTo("1//plain");
    }

    @Test
    void should_say_clearly_why_a_value_cannot_be_opened_without_showing_it() {
        String sealed = new SecretsCipher(List.of(OLD)).seal("the-token", CONTEXT);
        String oldId = sealed.split(":")[2];
        SecretsCipher onlyNew = new SecretsCipher(List.of(NEW));
        assertThatThrownBy(() -> onlyNew.open(sealed, CONTEXT)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the stored value was encrypted with key " + oldId + ", which SECRETS_KEY does not hold"
                        + " (its keys: " + onlyNew.keyIds() + ")");
        assertThatThrownBy(() -> SecretsCipher.NONE.open(sealed, CONTEXT))
                .hasMessage("the stored value is encrypted (key " + oldId + "), but SECRETS_KEY is not set");
        SecretsCipher old = new SecretsCipher(List.of(OLD));
        assertThatThrownBy(() -> old.open(sealed, "oauth_refresh_token:other@acme.test"))
                .hasMessageContaining("does not decrypt: it was altered or belongs to another row");
        int middle = sealed.lastIndexOf(':') + 20; // inside the ciphertext (the last character may be padding bits)
        char c = sealed.charAt(middle);
        String altered = sealed.substring(0, middle) + (c == 'A' ? 'B' : 'A') + sealed.substring(middle + 1);
        assertThatThrownBy(() -> old.open(altered, CONTEXT)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> old.open("enc:v1:nocolon", CONTEXT)).hasMessageContaining("not in the");
        assertThatThrownBy(() -> old.open("enc:v1:" + old.keyIds() + ":AAAA", CONTEXT)).hasMessageContaining("too short");
        assertThatThrownBy(() -> old.open("enc:v1:" + old.keyIds() + ":*", CONTEXT)).hasMessageContaining("base64");
    }

    @Test
    void should_refuse_short_keys_without_showing_them() {
        assertThatThrownBy(() -> new SecretsCipher(List.of(NEW, "short-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SECRETS_KEY: key 2 is shorter than 16 characters");
    }

    @Test
    void should_derive_stable_key_ids_that_differ_per_key() {
        assertThat(new SecretsCipher(List.of(NEW)).keyIds()).matches("[0-9a-f]{8}")
                .isEqualTo(new SecretsCipher(List.of(NEW)).keyIds())
                .isNotEqualTo(new SecretsCipher(List.of(OLD)).keyIds());
        assertThat(new SecretsCipher(List.of(NEW)).toString()).doesNotContain("key-");
    }
}
