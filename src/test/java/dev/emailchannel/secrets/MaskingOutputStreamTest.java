package dev.emailchannel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What reaches stdout/stderr outside logback (an uncaught exception's report, a printStackTrace) is masked too. */
class MaskingOutputStreamTest {

    private static final String TOKEN = "ya29.leaked-access-token-0123456789";

    @AfterEach
    void forget() {
        LogSecrets.clear();
    }

    @Test
    void should_mask_lines_written_in_pieces_and_stack_traces() {
        LogSecrets.register(TOKEN);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MaskingOutputStream masking = new MaskingOutputStream(console, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(masking, true, StandardCharsets.UTF_8); // auto-flush, as System.err

        err.print("Exception in thread \"imap\" token ya29.leaked-");
        err.print("access-token-0123456789 rejected\n");
        new IllegalStateException("Bearer " + TOKEN, new RuntimeException(
                Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)))).printStackTrace(err);
        err.print("no line feed at the end: " + TOKEN);
        err.flush();
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("at the end");
        masking.drain(); // at exit

        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("token ******** rejected", "Bearer ********", "Caused by", "at the end: ********")
                .doesNotContain("leaked");
    }

    @Test
    void should_write_a_very_long_line_without_waiting_for_its_end() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MaskingOutputStream out = new MaskingOutputStream(console, StandardCharsets.UTF_8);
        out.write(new byte[MaskingOutputStream.MAX_LINE + 10], 0, MaskingOutputStream.MAX_LINE + 10);
        assertThat(console.size()).isEqualTo(MaskingOutputStream.MAX_LINE + 10);
    }
}
