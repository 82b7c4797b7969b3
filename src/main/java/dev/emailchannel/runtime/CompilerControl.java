package dev.emailchannel.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's optimising compiler (C2) from compiling, while the JVM runs, except the JDK's cryptography: compiler
 * directives (JEP 165, "Compiler Control") added through the JVM's DiagnosticCommand MBean as
 * {@code jcmd <pid> Compiler.directives_add <file>} adds them. A method the tiered policy would give to C2 is then
 * compiled by C1 without profiling (level 1), the code {@code -XX:TieredStopAtLevel=1} gives, after a while in C1's
 * profiling code (level 3). Only compilations after the call are affected; code C2 compiled before stays.
 *
 * <p>The JDK's ciphers and digests ({@code com.sun.crypto.provider}, {@code sun.security.provider}) stay C2's: only
 * C2 uses the processor's AES and carry-less multiply instructions for them, and without them TLS's AES-GCM runs
 * 10–25 times slower (C1 only: 32 MB in 850–980 ms; C2 for these packages: 33 ms once compiled). They are a few dozen
 * small methods, so C2 compiles them in well under a second.
 */
public final class CompilerControl {

    /**
     * The JDK's cryptography with the JVM's defaults, then every other method kept from C2 (the first directive that
     * matches a method applies); C1's own directives stay the JVM's defaults.
     */
    static final String EXCLUDE_C2 = "[{ match: [\"com/sun/crypto/provider/*.*\", \"sun/security/provider/*.*\"], "
            + "c2: { Exclude: false } }, { match: \"*.*\", c2: { Exclude: true } }]";
    private static final int DIRECTIVES = 2;
    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private CompilerControl() {
    }

    /**
     * Adds the directives that keep C2 from compiling all but the JDK's cryptography.
     *
     * @throws IllegalStateException when this JVM has no such command (not HotSpot) or refused the directives
     */
    public static void excludeC2() {
        Path file = null;
        try {
            file = Files.createTempFile("email-channel-compiler-directive", ".json");
            Files.writeString(file, EXCLUDE_C2);
            String answer = String.valueOf(command("compilerDirectivesAdd", file.toString()));
            if (!answer.contains(DIRECTIVES + " compiler directives added")) {
                throw new IllegalStateException("the JVM did not add the compiler directives: " + answer.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the compiler directives to a temporary file: " + e, e);
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
