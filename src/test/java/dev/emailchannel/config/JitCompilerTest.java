package dev.emailchannel.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JitCompilerTest {

    private static final List<String> PLAIN = List.of("-Xmx512m", "-Djavax.net.ssl.trustStore=/t.p12");

    @Test
    void auto_keeps_c2_from_compiling_on_one_or_two_processors_only() {
        assertThat(JitCompiler.AUTO.c1Only(1, PLAIN)).isTrue();
        assertThat(JitCompiler.AUTO.c1Only(2, PLAIN)).isTrue();
        assertThat(JitCompiler.AUTO.c1Only(3, PLAIN)).isFalse();
        assertThat(JitCompiler.AUTO.c1Only(16, PLAIN)).isFalse();
    }

    @Test
    void c1_and_tiered_hold_on_any_machine() {
        assertThat(JitCompiler.C1.c1Only(16, PLAIN)).isTrue();
        assertThat(JitCompiler.TIERED.c1Only(1, PLAIN)).isFalse();
        assertThat(JitCompiler.TIERED.c1Only(2, PLAIN)).isFalse();
    }

    @Test
    void jvm_options_that_choose_the_compilers_win_over_the_setting() {
        for (String option : List.of("-XX:TieredStopAtLevel=4", "-XX:-TieredCompilation", "-XX:+TieredCompilation",
                "-XX:CompilerDirectivesFile=/etc/d.json", "-XX:+UseJVMCICompiler", "-Xint", "-Xcomp")) {
            List<String> options = List.of("-Xmx512m", option);
            assertThat(JitCompiler.C1.c1Only(2, options)).as(option).isFalse();
            assertThat(JitCompiler.AUTO.c1Only(1, options)).as(option).isFalse();
            assertThat(JitCompiler.chosenByJvmOption(options)).isEqualTo(option);
        }
        assertThat(JitCompiler.chosenByJvmOption(PLAIN)).isNull();
    }

    @Test
    void the_launcher_lowers_c2s_thresholds_where_c1_only_applies() {
        List<String> lowered = JitCompiler.C1_ONLY_LAUNCH_OPTIONS;
        assertThat(lowered).allMatch(o -> o.startsWith("-XX:Tier4"));
        assertThat(JitCompiler.AUTO.launchOptions(2, PLAIN)).isEqualTo(lowered);
        assertThat(JitCompiler.AUTO.launchOptions(8, PLAIN)).isEmpty();
        assertThat(JitCompiler.C1.launchOptions(8, PLAIN)).isEqualTo(lowered);
        assertThat(JitCompiler.TIERED.launchOptions(1, PLAIN)).isEmpty();
        assertThat(JitCompiler.c2ThresholdsLowered(lowered)).isTrue();
        assertThat(JitCompiler.c2ThresholdsLowered(PLAIN)).isFalse();
    }

    @Test
    void the_launcher_counts_the_processors_the_options_give_the_jvm() {
        assertThat(JitCompiler.AUTO.launchOptions(8, List.of("-XX:ActiveProcessorCount=2"))).isNotEmpty();
        assertThat(JitCompiler.AUTO.launchOptions(1, List.of("-XX:ActiveProcessorCount=1", "-XX:ActiveProcessorCount=4")))
                .as("the last one counts, as for the JVM").isEmpty();
        assertThat(JitCompiler.AUTO.launchOptions(2, List.of("-XX:ActiveProcessorCount=two")))
                .as("the JVM refuses it; the machine's count stands").isNotEmpty();
    }

    @Test
    void the_launcher_adds_nothing_to_options_that_choose_the_compilers_or_set_the_thresholds() {
        assertThat(JitCompiler.C1.launchOptions(2, List.of("-XX:TieredStopAtLevel=1"))).isEmpty();
        assertThat(JitCompiler.AUTO.launchOptions(2, List.of("-XX:Tier4InvocationThreshold=2000"))).isEmpty();
    }
}
