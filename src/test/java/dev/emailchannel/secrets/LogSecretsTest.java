package dev.emailchannel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSecretsTest {

    @AfterEach
    void forget() {
        LogSecrets.clear();
    }

    @Test
    void should_keep_only_the_newest_values_of_a_slot() {
        for (int i = 1; i <= 5; i++) {
            LogSecrets.remember("oauth-access:a@x.test", "access-token-" + i);
        }
        LogSecrets.remember("oauth-access:b@x.test", "access-token-b");
        assertThat(LogSecrets.mask("access-token-1 access-token-2 access-token-3 access-token-4 access-token-5"))
                .isEqualTo("access-token-1 access-token-2 ******** ******** ********");
        assertThat(LogSecrets.mask("access-token-b")).isEqualTo("********");
    }

    @Test
    void should_keep_registered_secrets_for_good_and_ignore_short_ones() {
        LogSecrets.register(java.util.Arrays.asList("configured-pw", null, "ab"));
        LogSecrets.remember("slot", "x");
        assertThat(LogSecrets.mask("configured-pw ab x")).isEqualTo("******** ab x");
    }
}
