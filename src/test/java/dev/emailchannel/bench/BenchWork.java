package dev.emailchannel.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's working directory (the channel's {@code ./data}, H2 files, logs): a new temporary directory that is
 * deleted with all it holds when the benchmark's JVM exits. A backlog run leaves about 150 MB of H2 file; kept, a few
 * dozen runs filled gigabytes of the temporary directory.
 */
final class BenchWork {

    private BenchWork() {
    }

    /** A new directory under {@code java.io.tmpdir}, named {@code prefix…}, deleted at exit. */
    static Path directory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir), "bench-work-cleanup"));
        return dir;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete the benchmark's directory " + dir + ": " + e.getMessage());
        }
    }
}
