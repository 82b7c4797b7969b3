package dev.emailchannel.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * Masks {@link LogSecrets} in what is written to the process's standard output and error outside logback: the JVM's
 * report of an uncaught exception, a library's {@code printStackTrace()}, a protocol debug switched on by mistake.
 * Line-buffered, since a secret can only be recognised whole: each line is masked when its line feed arrives, after
 * {@value #MAX_LINE} bytes without one, or on {@link #close()}. {@link #flush()} does not cut a line: a
 * {@code PrintStream} with auto-flush flushes after every {@code print}, which would cut a secret printed in pieces.
 */
public final class MaskingOutputStream extends OutputStream {

    static final int MAX_LINE = 64 * 1024;

    private final OutputStream target;
    private final Charset charset;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    public MaskingOutputStream(OutputStream target, Charset charset) {
        this.target = Objects.requireNonNull(target, "target");
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    /** Replaces {@code System.out} and {@code System.err} by masking ones; call once, first thing in {@code main}. */
    public static void installOnStandardStreams() {
        Charset charset = Charset.forName(System.getProperty("stdout.encoding",
                System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name())));
        MaskingOutputStream out = new MaskingOutputStream(System.out, charset);
        MaskingOutputStream err = new MaskingOutputStream(System.err, charset);
        System.setOut(new PrintStream(out, true, charset));
        System.setErr(new PrintStream(err, true, charset));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.drain();
            err.drain();
        }, "drain-masked-console"));
    }

    /** Writes a last line that has no line feed (at exit). */
    synchronized void drain() {
        try {
            writeLine();
            target.flush();
        } catch (IOException e) {
            // the console is gone: nothing to do
        }
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || line.size() >= MAX_LINE) {
            writeLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i + 1 - start);
                writeLine();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
        if (line.size() >= MAX_LINE) {
            writeLine();
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        writeLine();
        target.close();
    }

    private void writeLine() throws IOException {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(charset);
        line.reset();
        target.write(LogSecrets.mask(text).getBytes(charset));
    }
}
