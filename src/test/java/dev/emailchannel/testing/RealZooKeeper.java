package dev.emailchannel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's ZooKeeper 3.8 ({@code apt-get install zookeeper}: {@code /usr/share/java/zookeeper.jar}) as a standalone
 * server in its own JVM, on a free port of 127.0.0.1 with its own data directory, for the cluster tests.
 *
 * <p>Skipped (JUnit assumption) when the package is missing, failing instead when {@code CI=true}: CI installs it
 * ({@code .ci/run}). {@link #restart()} keeps port and data, so sessions survive a short restart as they do in
 * production; {@link #close()} stops it and removes the directory.
 */
public final class RealZooKeeper implements AutoCloseable {

    private static final Path JAR = Path.of(System.getProperty("zookeeper.jar", "/usr/share/java/zookeeper.jar"));
    private static final Path LOGGER = Path.of("/usr/share/java/slf4j-simple.jar");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path root;
    private final int port;
    private Process process;

    private RealZooKeeper(Path root, int port) {
        this.root = root;
        this.port = port;
    }

    public static boolean available() {
        return Files.isRegularFile(JAR);
    }

    /** Starts a fresh server; skips the calling test when ZooKeeper is not installed (fails in CI). */
    public static RealZooKeeper start() throws Exception {
        if (!available()) {
            String message = "The cluster tests need ZooKeeper (" + JAR + "): apt-get install zookeeper (see .ci/run)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but " + message);
            }
            Assumptions.abort(message);
        }
        Path root = Files.createTempDirectory(Path.of("/tmp"), "zookeeper-");
        RealZooKeeper server = new RealZooKeeper(root, RunningChannel.freePort());
        Files.createDirectories(root.resolve("data"));
        // tickTime 1 s: sessions of 2-20 s allowed (our 15 s sits inside), expiry checked every second
        Files.writeString(root.resolve("zoo.cfg"), String.join("\n",
                "tickTime=1000",
                "dataDir=" + root.resolve("data"),
                "clientPort=" + server.port,
                "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0",
                "admin.enableServer=false",
                "4lw.commands.whitelist=ruok,stat,cons",
                ""));
        server.launch();
        return server;
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path root() {
        return root;
    }

    /** Stops the server (SIGTERM) and starts it again on the same port and data. */
    public void restart(Duration down) throws Exception {
        stopProcess();
        Thread.sleep(down.toMillis());
        launch();
    }

    /** Stops the server (SIGTERM), keeping its data. */
    public void stopProcess() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public void launch() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", JAR + (Files.isRegularFile(LOGGER) ? ":" + LOGGER : ""),
                "org.apache.zookeeper.server.ZooKeeperServerMain", root.resolve("zoo.cfg").toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve("zookeeper.log").toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ZooKeeper exited (" + process.exitValue() + "): " + log());
            }
            if ("imok".equals(fourLetterWord("ruok"))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ZooKeeper did not answer within " + START_TIMEOUT + ": " + log());
    }

    /** A four-letter-word command ({@code ruok}, {@code stat}, {@code cons}); null when the server does not answer. */
    public String fourLetterWord(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return null;
        }
    }

    public String log() {
        try {
            return Files.readString(root.resolve("zookeeper.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        stopProcess();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
