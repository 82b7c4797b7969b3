package dev.emailchannel.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code JIT_COMPILER}: which of the JVM's just-in-time compilers the channel lets compile its code.
 *
 * <p>On one or two processors the optimising compiler (C2) takes a core or more for the first few thousand mails after
 * a start, and in the backlog benchmark its code did not make up for that: with C1 only, a 300-mail backlog on 2 vCPUs
 * took 6.3–6.8 s of the channel's CPU in the first round after a start against 7.2–9.1 s, the next rounds about 30 %
 * less, and after 3,000 mails the same time with about 11 % less CPU ({@code bench/README.md}, "The JIT compilers on
 * small machines"). On more processors C2 has cores of its own and its faster code pays.
 */
public enum JitCompiler {
    /** C1 only on 1–2 processors (C2 still for the JDK's cryptography), the JVM's default (C1 then C2) on more. */
    AUTO,
    /** C1 only: the JVM's quick compiler; methods are never recompiled by C2. */
    C1,
    /** The JVM's default, tiered compilation: C1 first, C2 for the hottest methods. */
    TIERED;

    /** JVM options with which the operator chose the compilers; then the channel leaves them alone. */
    static final List<String> JVM_COMPILER_OPTIONS = List.of("-XX:TieredStopAtLevel", "-XX:-TieredCompilation",
            "-XX:+TieredCompilation", "-XX:CompilerDirectivesFile", "-XX:+UseJVMCICompiler", "-Xint", "-Xcomp");

    /**
     * What {@code bin/email-channel} adds to the JVM's command line when the channel keeps C2 from compiling: C2's
     * thresholds lowered, so that a method leaves C1's profiling code (level 3) after a few hundred calls, for C1's
     * plain code (level 1), instead of after 5,000: C2 refuses it then (the directive), and C1 compiles it again
     * without profiling. C2 still compiles the JDK's cryptography, sooner. No JVM call can change them once it runs.
     */
    static final List<String> C1_ONLY_LAUNCH_OPTIONS = List.of("-XX:Tier4InvocationThreshold=600",
            "-XX:Tier4MinInvocationThreshold=200", "-XX:Tier4CompileThreshold=1000");
    private static final String ACTIVE_PROCESSOR_COUNT = "-XX:ActiveProcessorCount=";

    /** @throws IllegalArgumentException naming the setting and the values it takes */
    public static JitCompiler parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return AUTO;
        }
        try {
            return valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JIT_COMPILER \"" + value + "\" is not supported (use auto, c1 or tiered)");
        }
    }

    /**
     * Whether the channel should keep C2 from compiling, on a JVM with this many processors started with these
     * options: never when the options choose the compilers themselves.
     */
    public boolean c1Only(int processors, List<String> jvmOptions) {
        return chosenByJvmOption(jvmOptions) == null && (this == C1 || this == AUTO && processors <= 2);
    }

    /**
     * The JVM options to start the channel with, besides {@code jvmOptions} (those it will be started with): none
     * unless C1 only applies, and none when the options set C2's thresholds themselves.
     *
     * @param processors the processors the JVM sees without {@code jvmOptions} (their {@code ActiveProcessorCount}
     *                   wins)
     */
    public List<String> launchOptions(int processors, List<String> jvmOptions) {
        int seen = processors;
        for (String option : jvmOptions) {
            if (option.startsWith(ACTIVE_PROCESSOR_COUNT)) {
                try {
                    seen = Integer.parseInt(option.substring(ACTIVE_PROCESSOR_COUNT.length()));
                } catch (NumberFormatException e) {
                    // the JVM refuses to start with it and says why
                }
            }
        }
        return c1Only(seen, jvmOptions) && !c2ThresholdsLowered(jvmOptions) ? C1_ONLY_LAUNCH_OPTIONS : List.of();
    }

    /** Whether the JVM's command line lowered C2's thresholds as {@link #launchOptions} does (for the log). */
    public static boolean c2ThresholdsLowered(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> o.startsWith("-XX:Tier4"));
    }

    /** The option of the JVM's command line that chose the compilers, if any (for the log). */
    public static String chosenByJvmOption(List<String> jvmOptions) {
        return jvmOptions.stream().filter(o -> JVM_COMPILER_OPTIONS.stream().anyMatch(o::startsWith)).findFirst()
                .orElse(null);
    }
}
