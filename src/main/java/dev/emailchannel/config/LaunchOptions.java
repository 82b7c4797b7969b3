package dev.emailchannel.config;

import java.util.List;

/**
 * Prints the JVM options {@code bin/email-channel} starts the channel with, on one line (nothing when there are none):
 * {@link JitCompiler#launchOptions} for {@code JIT_COMPILER} of the environment and this JVM's processors. The
 * arguments are the JVM options the channel will be started with ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS},
 * {@code JAVA_OPTS}); this JVM runs without them, so that no agent or recording of theirs starts twice. A
 * {@code JIT_COMPILER} the channel does not take prints nothing: the channel itself names it when it starts.
 */
public final class LaunchOptions {

    private LaunchOptions() {
    }

    public static void main(String[] args) {
        JitCompiler choice;
        try {
            choice = JitCompiler.parse(System.getenv("JIT_COMPILER"));
        } catch (IllegalArgumentException e) {
            return;
        }
        List<String> options = choice.launchOptions(Runtime.getRuntime().availableProcessors(), List.of(args));
        if (!options.isEmpty()) {
            System.out.println(String.join(" ", options));
        }
    }
}
