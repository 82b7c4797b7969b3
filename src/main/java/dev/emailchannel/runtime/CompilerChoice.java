package dev.emailchannel.runtime;

import dev.emailchannel.config.JitCompiler;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code JIT_COMPILER} to this JVM, once: with C1 only it adds {@link CompilerControl#excludeC2()}'s
 * directives (C2 still compiles the JDK's cryptography), on a thread of its own (the JVM's management server takes a few hundred milliseconds to start). JVM
 * options that choose the compilers (also in {@code JAVA_TOOL_OPTIONS}) win over the setting.
 */
public final class CompilerChoice {

    private static final AtomicBoolean APPLIED = new AtomicBoolean();
    private static final Logger LOG = LoggerFactory.getLogger(CompilerChoice.class);

    private CompilerChoice() {
    }

    public static void apply(JitCompiler choice) {
        List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
        int processors = Runtime.getRuntime().availableProcessors();
        String option = JitCompiler.chosenByJvmOption(options);
        if (option != null) {
            LOG.info("JIT compilers: as the JVM option {} chose them (JIT_COMPILER is not applied)", option);
            return;
        }
        if (!choice.c1Only(processors, options) || !APPLIED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                CompilerControl.excludeC2();
                LOG.info("JIT compilers: C1 only, C2 for the JDK's cryptography ({} processor(s), JIT_COMPILER={}); {}; "
                        + "JIT_COMPILER=tiered lets C2 compile all", processors, choice.name().toLowerCase(Locale.ROOT),
                        JitCompiler.c2ThresholdsLowered(options)
                                ? "C1's profiling code gives way after a few hundred calls (-XX:Tier4 options)"
                                : "C1's profiling code stays for the first 5,000 calls of a method: bin/email-channel "
                                        + "starts the jar with the options that end it sooner");
            } catch (IllegalStateException e) {
                LOG.warn("JIT compilers: the JVM's default, C2 could not be turned off ({}); the JVM option "
                        + "-XX:TieredStopAtLevel=1 does it", e.getMessage());
            }
        }, "compiler-control");
        thread.setDaemon(true);
        thread.start();
    }
}
