package dev.emailchannel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.ChildJvm;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** In a JVM of its own (the directive would hold for every later test of this one). */
class CompilerControlTest {

    @Test
    void a_hot_method_is_compiled_by_c1_without_profiling_instead_of_c2() throws Exception {
        String out = run(List.of("-XX:+PrintCompilation"), "exclude");
        assertThat(out).contains("directive added");
        assertThat(out).containsPattern("(?m)^ *matching: \\*\\.\\*$");
        assertThat(out).contains("Exclude:true");
        // PrintCompilation: "<ms> <id> <flags> <level> <method> (<bytes>)"; level 1 is C1 without profiling
        assertThat(out).containsPattern("(?m)^ *\\d+ +\\d+ .* 1 +dev\\.emailchannel\\.runtime\\.CompilerControlTest\\$Child::hot ");
        assertThat(out).doesNotContainPattern("(?m)^ *\\d+ +\\d+ .* 4 +dev\\.emailchannel\\.runtime\\.CompilerControlTest\\$Child::hot ");
    }

    @Test
    void the_jdks_cryptography_is_still_compiled_by_c2() throws Exception {
        String out = run(List.of("-XX:+PrintCompilation"), "crypto");
        assertThat(out).contains("directive added");
        // AES-GCM as TLS uses it: C2 compiles the cipher's methods (only its code uses the processor's AES and
        // carry-less multiply instructions), while the caller stays C1's
        assertThat(out).containsPattern("(?m)^ *\\d+ +\\d+ .* 4 +com\\.sun\\.crypto\\.provider\\.GHASH::");
        assertThat(out).containsPattern("(?m)^ *\\d+ +\\d+ .* 4 +com\\.sun\\.crypto\\.provider\\.AESCrypt::");
        assertThat(out).containsPattern("(?m)^ *\\d+ +\\d+ .* 1 +dev\\.emailchannel\\.runtime\\.CompilerControlTest\\$Child::encrypt ");
        assertThat(out).doesNotContainPattern("(?m)^ *\\d+ +\\d+ .* 4 +dev\\.emailchannel\\.runtime\\.CompilerControlTest\\$Child::encrypt ");
    }

    @Test
    void without_the_directive_c2_compiles_the_same_method() throws Exception {
        String out = run(List.of("-XX:+PrintCompilation"), "plain");
        assertThat(out).containsPattern("(?m)^ *\\d+ +\\d+ .* 4 +dev\\.emailchannel\\.runtime\\.CompilerControlTest\\$Child::hot ");
    }

    private static String run(List<String> options, String mode) throws Exception {
        ChildJvm.Result child = ChildJvm.run(Child.class, options, mode);
        assertThat(child.exitCode()).as(child.output()).isZero();
        return child.output();
    }

    /** Adds the directive (or not), then makes {@link #hot} hot enough for C2 several times over. */
    public static final class Child {
        private static long sink;

        public static void main(String[] args) throws Exception {
            if (!args[0].equals("plain")) {
                CompilerControl.excludeC2();
                System.out.println("directive added");
                System.out.println(CompilerControl.directives());
            }
            // crypto: also called often enough for the tiered policy to want C2 for encrypt (5,000 calls and more,
            // several times that while C2's queue is long); 2 s alone were too few calls on a busy machine
            int encryptCalls = args[0].equals("crypto") ? 30_000 : 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int n = 0; System.nanoTime() < deadline || n < encryptCalls; n++) {
                for (int i = 0; i < 10_000; i++) {
                    sink += hot(i);
                }
                if (n < encryptCalls) {
                    sink += encrypt((int) sink);
                }
            }
            System.out.println("done " + sink);
        }

        /** 1 KB through AES-GCM, as a short TLS record. */
        static int encrypt(int i) throws Exception {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] iv = ByteBuffer.allocate(12).putInt(i).array();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new GCMParameterSpec(128, iv));
            return cipher.doFinal(new byte[1024]).length;
        }

        static long hot(int i) {
            return (long) i * 31 + (i >>> 3);
        }
    }
}
