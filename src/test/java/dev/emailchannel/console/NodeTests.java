package dev.emailchannel.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the console's Node tests ({@code src/test/console}: node's own test runner, playwright-core driving Debian's
 * Chromium) and fails the JUnit test when they fail. Without Node, the npm packages or Chromium the tests are skipped
 * on a developer's machine and fail in CI ({@code CI=true}), where {@code .ci/run} installs them.
 */
final class NodeTests {

    static final Path DIR = Path.of("src", "test", "console").toAbsolutePath();
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private NodeTests() {
    }

    /** Skips (locally) or fails (CI) when something the tests need is missing. */
    static void assumeRunnable() {
        String missing = missing();
        if (missing == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("the console's browser tests cannot run in CI: " + missing);
        }
        Assumptions.abort("console browser tests skipped: " + missing);
    }

    private static String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " is missing (apt-get install chromium)";
        }
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("playwright-core"))) {
            return DIR + "/node_modules is missing (npm ci in that folder)";
        }
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "node does not run";
        } catch (Exception e) {
            return "node is not installed";
        }
    }

    /**
     * Runs {@code node --test} on the given files (one after the other), with the environment added; the output goes
     * to this test's output, line by line. Returns the output; fails with its end when a test failed.
     */
    static List<String> run(Map<String, String> env, String... files) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec",
                "--test-concurrency=1"));
        command.addAll(List.of(files));
        return exec(env, command);
    }

    /** Runs a Node script (not a test file), e.g. the screenshots. */
    static List<String> script(Map<String, String> env, String file) throws Exception {
        return exec(env, List.of("node", file));
    }

    private static List<String> exec(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                System.out.println("[node] " + line);
            }
        }
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            Assertions.fail(String.join(" ", command) + " did not end within 15 minutes");
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + " failed:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 120), lines.size()))).isZero();
        return lines;
    }
}
