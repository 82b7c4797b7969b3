package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.agent.AgentReplies;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogMaskerTest {

    @Test
    void should_mask_secrets_as_written_url_encoded_and_base64() {
        String pw = "p@ss w/rd+1";
        LogMasker masker = new LogMasker(List.of(pw, "tok-123456"));
        String line = "pw=" + pw + " url=" + URLEncoder.encode(pw, StandardCharsets.UTF_8) + " pct="
                + URLEncoder.encode(pw, StandardCharsets.UTF_8).replace("+", "%20") + " b64="
                + Base64.getEncoder().encodeToString(pw.getBytes(StandardCharsets.UTF_8)) + " bearer tok-123456";
        assertThat(masker.mask(line)).isEqualTo("pw=******** url=******** pct=******** b64=******** bearer ********");
    }

    @Test
    void should_not_mask_empty_or_very_short_values() {
        assertThat(new LogMasker(List.of("", "ab")).mask("about a tab")).isEqualTo("about a tab");
    }

    @Test
    void should_mask_the_longer_secret_first() {
        assertThat(new LogMasker(List.of("secret", "secret-long")).mask("x secret-long y secret"))
                .isEqualTo("x ******** y ********");
    }

    @Test
    void should_check_base64_strictly() {
        assertThat(AgentReplies.isBase64("QUJD")).isTrue();
        assertThat(AgentReplies.isBase64("QUJDRA==")).isTrue();
        assertThat(AgentReplies.isBase64("QUJDRA")).as("unpadded").isTrue();
        assertThat(AgentReplies.isBase64("QUJD\r\nRA==")).isTrue();
        assertThat(AgentReplies.isBase64("%%% not base64")).isFalse();
        assertThat(AgentReplies.isBase64("QUJDR")).isFalse();
    }
}
