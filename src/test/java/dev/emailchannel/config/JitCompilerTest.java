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
}
