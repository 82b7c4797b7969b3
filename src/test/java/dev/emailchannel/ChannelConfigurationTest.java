package dev.emailchannel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.config.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelConfigurationTest {

    @Test
    void should_collect_each_mailboxs_secret_as_the_channel_uses_it_for_log_masking() {
        Map<Setting, String> env = Map.of(Setting.EMAIL_PASSWORD, "first,p+w#d%1\\,x\\y", Setting.AGENT_TOKEN, "tok",
                Setting.EMAIL_ADDRESS, "a@x.test,b@x.test");
        assertThat(ChannelConfiguration.configuredSecrets(env::get))
                .contains("first", "p+w#d%1,x\\y", "tok")
                .doesNotContain("a@x.test");
    }
}
