package dev.emailchannel.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.ChannelProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar started from an empty directory: with a broken configuration, and through bin/email-channel. */
class ChannelStartupIT {

    /** A configuration the channel accepts, with a mail server that is not there. */
    private static final Map<String, String> NO_SERVER = Map.of("EMAIL_ADDRESS", "support@acme.test",
            "EMAIL_PASSWORD", "x", "IMAP_SERVER", "127.0.0.1", "SMTP_SERVER", "127.0.0.1",
            "AGENT_URL", "http://127.0.0.1:9/agent");

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

    @Test
    void should_start_through_the_launcher_with_c2s_thresholds_lowered_on_two_processors() throws Exception {
        try (ChannelProcess channel = ChannelProcess.start(work, NO_SERVER, null,
                List.of("-Xmx512m", "-XX:ActiveProcessorCount=2"))) {
            channel.awaitStatus("ERROR");
            assertThat(channel.commandLine()).as("the JVM the launcher started")
                    .contains("-XX:Tier4InvocationThreshold=600", "-XX:ActiveProcessorCount=2", "-jar",
                            ChannelProcess.JAR.toString());
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(channel.log())
                    .contains("JIT compilers: C1 only, C2 for the JDK's cryptography (2 processor(s), JIT_COMPILER=auto)")
                    .contains("C1's profiling code gives way after a few hundred calls"));
        }
    }

    @Test
    void should_leave_the_jvms_compilers_alone_through_the_launcher_with_jit_compiler_tiered() throws Exception {
        Map<String, String> env = new HashMap<>(NO_SERVER);
        env.put("JIT_COMPILER", "tiered");
        try (ChannelProcess channel = ChannelProcess.start(work, env, null,
                List.of("-Xmx512m", "-XX:ActiveProcessorCount=2"))) {
            channel.awaitStatus("ERROR");
            assertThat(channel.commandLine()).noneMatch(o -> o.startsWith("-XX:Tier4")).contains("-Xmx512m");
            assertThat(channel.log()).doesNotContain("JIT compilers: C1 only");
        }
    }

    @Test
    void should_name_the_missing_jar_when_the_launcher_has_none() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChannelProcess.LAUNCHER.toString()).directory(work.toFile())
                .redirectErrorStream(true);
        pb.environment().put("CHANNEL_JAR", work.resolve("nowhere.jar").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(out).contains("no jar at " + work.resolve("nowhere.jar")).contains("CHANNEL_JAR");
    }
}
