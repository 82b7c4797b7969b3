package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.ChannelProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar started from an empty directory with a broken configuration. */
class ChannelStartupIT {

    @TempDir
    Path work;

    @Test
    void should_exit_non_zero_naming_each_missing_variable_when_no_api_could_report_it() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ChannelProcess.JAR.toString()).directory(work.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("EMAIL_ADDRESS is required").contains("AGENT_URL is required");
    }

    @Test
    void should_stay_up_in_error_naming_the_variable_when_the_api_can_report_it() throws Exception {
        try (ChannelProcess channel = ChannelProcess.start(work, Map.of("EMAIL_ADDRESS", "support@acme.test",
                "EMAIL_PASSWORD", "x", "SMTP_SERVER", "127.0.0.1", "AGENT_URL", "http://127.0.0.1:9/agent"), null)) {
            var status = channel.awaitStatus("ERROR");
            assertThat(status.get("error").asText()).contains("support@acme.test: IMAP_SERVER is required");
        }
    }
}
