package dev.emailchannel.mime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderParamsTest {

    @Test
    void should_read_value_and_parameters_case_insensitively_keeping_parameter_case() {
        HeaderParams p = HeaderParams.parse("Multipart/Mixed; BOUNDARY=\"AbC;d\"; charset=UTF-8");

        assertThat(p.value()).isEqualTo("multipart/mixed");
        assertThat(p.param("boundary")).isEqualTo("AbC;d");
        assertThat(p.param("charset")).isEqualTo("UTF-8");
    }

    @Test
    void should_survive_a_missing_semicolon_and_junk_segments() {
        assertThat(HeaderParams.parse("multipart/mixed boundary=XyZ").param("boundary")).isEqualTo("XyZ");
        assertThat(HeaderParams.parse("text/plain; junk; name=a.txt").param("name")).isEqualTo("a.txt");
        assertThat(HeaderParams.parse("text/plain; name=\"unterminated").param("name")).isEqualTo("unterminated");
    }

    @Test
    void should_join_rfc2231_continuations_and_decode_their_charset() {
        HeaderParams p = HeaderParams.parse("attachment; filename*0*=iso-8859-1'de'Gr%FC; filename*1=\"n.txt\"");

        assertThat(p.param("filename")).isEqualTo("Grün.txt");
        assertThat(HeaderParams.parse("attachment; filename*=UTF-8''%E2%82%AC.pdf").param("filename"))
                .isEqualTo("€.pdf");
    }
}
