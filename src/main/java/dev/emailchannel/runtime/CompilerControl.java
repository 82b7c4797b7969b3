package dev.emailchannel.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's optimising compiler (C2) from compiling, while the JVM runs: a compiler directive (JEP 165,
 * "Compiler Control") that excludes every method from C2, added through the JVM's DiagnosticCommand MBean as
 * {@code jcmd <pid> Compiler.directives_add <file>} adds it. A method the tiered policy would give to C2 is then
 * compiled by C1 without profiling (level 1), the code {@code -XX:TieredStopAtLevel=1} gives, after a while in C1's
 * profiling code (level 3). Only compilations after the call are affected; code C2 compiled before stays.
 */
public final class CompilerControl {

    /** Every method, C2 only: C1's own directives stay the JVM's defaults. */
    static final String EXCLUDE_C2 = "[{ match: \"*.*\", c2: { Exclude: true } }]";
    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private CompilerControl() {
    }

    /**
     * Adds the directive that keeps C2 from compiling.
     *
     * @throws IllegalStateException when this JVM has no such command (not HotSpot) or refused the directive
     */
    public static void excludeC2() {
        Path file = null;
        try {
            file = Files.createTempFile("email-channel-compiler-directive", ".json");
            Files.writeString(file, EXCLUDE_C2);
            String answer = String.valueOf(command("compilerDirectivesAdd", file.toString()));
            if (!answer.contains("1 compiler directives added")) {
                throw new IllegalStateException("the JVM did not add the compiler directive: " + answer.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the compiler directive to a temporary file: " + e, e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    /** The directives in force, as {@code jcmd <pid> Compiler.directives_print} shows them. */
    public static String directives() {
        return String.valueOf(command("compilerDirectivesPrint"));
    }

    private static Object command(String operation, String... arguments) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(DIAGNOSTIC_COMMAND);
            if (!server.isRegistered(name)) {
                throw new IllegalStateException("this JVM (" + System.getProperty("java.vm.name")
                        + ") has no diagnostic commands");
            }
            return arguments.length == 0 ? server.invoke(name, operation, null, null)
                    : server.invoke(name, operation, new Object[] {arguments}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the JVM's diagnostic command " + operation + " failed: " + e, e);
        }
    }
}
