package dev.emailchannel.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs agent calls ({@code AGENT_SIGNING_SECRET}, SPEC §6) so that the agent can reject forged and replayed ones:
 * {@code X-Email-Channel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}, over the exact
 * bytes sent.
 *
 * <p>Streaming: {@link #start(OutputStream)} returns a stream that passes the body through to where it is written
 * (a buffer, a file, the HTTP request) while the MAC digests it, so a large body is never held as a String for
 * signing; {@link Stream#header()} gives the header value once the body is written. Where the header must be sent
 * before the body, write the body once into {@link #start()} (digest only) and once to the wire with the same
 * timestamp ({@link #start(long, OutputStream)}).
 *
 * <p>Thread-safe: each stream has its own MAC.
 */
public final class AgentSignature {

    public static final String HEADER = "X-Email-Channel-Signature";
    /** How old a signature the verifier accepts by default: five minutes, as is usual for webhook signatures. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final SecretKeySpec key;
    private final Clock clock;

    public AgentSignature(String secret, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("AGENT_SIGNING_SECRET is empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The header value for a body held in memory, timestamped now. */
    public String sign(byte[] body) {
        Stream stream = start();
        stream.update(body, 0, body.length);
        return stream.header();
    }

    /** A stream that only digests, timestamped now. */
    public Stream start() {
        return start(clock.instant().getEpochSecond(), OutputStream.nullOutputStream());
    }

    /** A stream that writes through to {@code body} while it digests, timestamped now. */
    public Stream start(OutputStream body) {
        return start(clock.instant().getEpochSecond(), body);
    }

    /** A stream with a given timestamp (to write the same body twice under one signature). */
    public Stream start(long unixSeconds, OutputStream body) {
        return new Stream(mac(key), unixSeconds, Objects.requireNonNull(body, "body"));
    }

    /** Writes the body through to its destination and digests it; {@link #header()} ends the signature. */
    public static final class Stream extends OutputStream {
        private final Mac mac;
        private final long timestamp;
        private final OutputStream out;
        private String header;

        private Stream(Mac mac, long timestamp, OutputStream out) {
            this.mac = mac;
            this.timestamp = timestamp;
            this.out = out;
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
        }

        public long timestamp() {
            return timestamp;
        }

        @Override
        public void write(int b) throws IOException {
            update(new byte[] {(byte) b}, 0, 1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            update(b, off, len);
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        private void update(byte[] b, int off, int len) {
            if (header != null) {
                throw new IllegalStateException("the signature is complete: the body cannot grow any more");
            }
            mac.update(b, off, len);
        }

        /** {@code t=<timestamp>,v1=<hex>} over everything written; the stream takes no more bytes after this. */
        public String header() {
            if (header == null) {
                header = "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal());
            }
            return header;
        }
    }

    /**
     * True when {@code header} carries a {@code v1} signature of {@code body} by {@code secret} made no more than
     * {@code tolerance} from now (either way: a clock running ahead is tolerated as much as one behind).
     */
    public static boolean verify(String secret, String header, byte[] body, Duration tolerance, Clock clock) {
        return problem(secret, header, body, tolerance, clock).isEmpty();
    }

    /** Why a signature is refused, or empty when it is valid; see {@link #verify}. */
    public static Optional<String> problem(String secret, String header, byte[] body, Duration tolerance,
            Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.of("no " + HEADER + " header");
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                try {
                    timestamp = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return Optional.of("the timestamp is not a number");
                }
            } else if (p.startsWith("v1=")) {
                signatures.add(p.substring(3));
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            return Optional.of("the header lacks t= or v1=");
        }
        long age = clock.instant().getEpochSecond() - timestamp;
        if (Math.abs(age) > tolerance.toSeconds()) {
            return Optional.of("the timestamp is " + age + " s from now, more than " + tolerance.toSeconds() + " s");
        }
        Stream expected = new AgentSignature(secret, clock).start(timestamp, OutputStream.nullOutputStream());
        expected.update(body, 0, body.length);
        byte[] mine = expected.header().substring(expected.header().indexOf("v1=") + 3)
                .getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures) {
            if (MessageDigest.isEqual(mine, candidate.getBytes(StandardCharsets.US_ASCII))) {
                return Optional.empty();
            }
        }
        return Optional.of("no v1 signature matches the body");
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "AgentSignature[HMAC-SHA256, secret=****]";
    }
}
