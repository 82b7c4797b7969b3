package dev.emailchannel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class's {@code main} in a JVM of its own, on the test class path: for what must not touch the test's JVM (a
 * compiler directive) or must end it (a halt standing for {@code kill -9} in the middle of a write).
 */
public final class ChildJvm {

    /** How the child ended: its exit code and everything it wrote (standard output and error). */
    public record Result(int exitCode, String output) {
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code jvmOptions} and {@code args} and waits for it to end.
     *
     * @throws IllegalStateException when it has not ended within two minutes (it is then killed)
     */
    public static Result run(Class<?> main, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = child.getInputStream().readAllBytes(); // until the child ends (or closes its output)
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new IllegalStateException(main.getName() + " did not end within 2 minutes");
        }
        return new Result(child.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
