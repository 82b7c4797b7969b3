package dev.emailchannel.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionsApiTest {

    @Test
    void should_check_base64_strictly() {
        assertThat(SessionsApi.isBase64("QUJD")).isTrue();
        assertThat(SessionsApi.isBase64("QUJDRA==")).isTrue();
        assertThat(SessionsApi.isBase64("QUJDRA")).as("unpadded").isTrue();
        assertThat(SessionsApi.isBase64("QUJD\r\nRA==")).isTrue();
        assertThat(SessionsApi.isBase64("%%% not base64")).isFalse();
        assertThat(SessionsApi.isBase64("QUJDR")).isFalse();
    }
}
