package dev.emailchannel.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming base64 decoder reads its source in bulk; what it decodes does not depend on how it is read. */
class Base64InputTest {

    @Test
    void should_decode_long_line_broken_text_the_same_in_bulk_and_byte_by_byte() throws Exception {
        byte[] file = new byte[100_003];
        new Random(9).nextBytes(file);
        byte[] text = Base64.getMimeEncoder().encode(file); // lines of 76 with CRLF, past many 8 KB reads

        assertThat(readInBulk(text, 7)).isEqualTo(file);
        assertThat(readInBulk(text, 65_536)).isEqualTo(file);
        assertThat(readByteByByte(text)).isEqualTo(file);
        assertThat(Base64Input.decodedLength(text, 0, text.length)).isEqualTo(file.length);
    }

    @Test
    void should_stop_at_padding_and_skip_characters_outside_the_alphabet() throws Exception {
        byte[] text = "SGVs bG8h\r\n*V29y bGQ=TRAILING".getBytes(StandardCharsets.US_ASCII);

        assertThat(new String(readInBulk(text, 3), StandardCharsets.US_ASCII)).isEqualTo("Hello!World");
        assertThat(new String(readByteByByte(text), StandardCharsets.US_ASCII)).isEqualTo("Hello!World");
    }

    private static byte[] readInBulk(byte[] text, int bufferSize) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = new Base64Input(new ByteArrayInputStream(text))) {
            byte[] buffer = new byte[bufferSize];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static byte[] readByteByByte(byte[] text) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = new Base64Input(new ByteArrayInputStream(text))) {
            int c;
            while ((c = in.read()) >= 0) {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
