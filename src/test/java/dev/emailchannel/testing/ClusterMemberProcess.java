package dev.emailchannel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClusterMember} in a JVM of its own, so that a test can kill it with SIGKILL ({@link #kill()}): its
 * ownership changes go into the shared {@link OwnershipLog}, and whatever it owned ends at the moment of the kill.
 */
public final class ClusterMemberProcess implements AutoCloseable {

    private final String instanceId;
    private final Process process;
    private final OwnershipLog log;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final List<String> output = new ArrayList<>();
    private volatile long[] lastStats;

    public ClusterMemberProcess(String instanceId, String service, String nodes, List<String> mailboxes, OwnershipLog log)
            throws IOException {
        this(instanceId, service, nodes, mailboxes, log, List.of());
    }

    /** @param jvmOptions extra options for the child JVM (e.g. {@code -Dmember.stats=true}) */
    public ClusterMemberProcess(String instanceId, String service, String nodes, List<String> mailboxes, OwnershipLog log,
                                List<String> jvmOptions) throws IOException {
        this.instanceId = instanceId;
        this.log = log;
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path classPathFile = Files.createTempFile("cluster-member-", ".classpath");
        classPathFile.toFile().deleteOnExit();
        Files.writeString(classPathFile, "-cp " + classPath.replace(" ", "\\ ")); // @argfile: any length
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("@" + classPathFile, ClusterMember.class.getName(), instanceId, service, nodes,
                String.join(",", mailboxes)));
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::read, "member-" + instanceId);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith("READY ")) {
                    ready.countDown();
                } else if (line.startsWith("STATS ")) {
                    String[] parts = line.split(" ");
                    lastStats = new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
                } else if (line.startsWith("OWNERSHIP ")) {
                    String[] parts = line.split(" ");
                    log.record(instanceId, parts[2], parts[1].equals("TAKE"), Long.parseLong(parts[3]));
                }
            }
        } catch (IOException ignored) {
            // killed
        }
    }

    public String instanceId() {
        return instanceId;
    }

    /** The last {@code STATS} line of a member started with {@code -Dmember.stats=true}: heap bytes, threads. */
    public long[] lastStats() {
        return lastStats;
    }

    /** Resident memory of the process (kB), from /proc. */
    public long residentKilobytes() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElse(-1);
    }

    /** Threads of the process (all, JVM ones included), from /proc. */
    public long osThreads() throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(l -> l.startsWith("Threads:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElse(-1);
    }

    public void awaitReady(Duration timeout) throws InterruptedException {
        if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(instanceId + " did not start: " + output());
        }
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL; the log closes its ownerships at this moment. */
    public void kill() throws InterruptedException {
        long at = System.currentTimeMillis();
        process.destroyForcibly().waitFor();
        log.killed(instanceId, at);
    }

    public long pid() {
        return process.pid();
    }

    /** Graceful stop: closes stdin, which the member takes as SIGTERM. */
    public void stop(Duration timeout) throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            kill();
        }
    }
}
