package dev.emailchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An agent endpoint for tests, on a dynamic port: records every request (body and headers) and answers from a script
 * of responses, then with the default answer, after an optional delay (a slow agent). Requests are served in
 * parallel, and each call's start and answer are recorded on the agent's own clock, so a test can count how many
 * calls were in flight at once.
 */
public final class FakeAgent implements AutoCloseable {

    /** One HTTP answer. */
    public record Answer(int status, String body) {

        public static Answer reply(String text) {
            try {
                return new Answer(200, new ObjectMapper().writeValueAsString(Map.of("reply", Map.of("text", text))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public static Answer accepted() {
            return new Answer(200, "");
        }
    }

    /**
     * A received request: the parsed event, the headers, the exact body bytes, when the agent checks signatures
     * ({@link #verifySignatures}) whether the signature header verified, and the moment its body was read.
     */
    public record Request(JsonNode event, Map<String, List<String>> headers, byte[] body, Boolean signatureValid,
            Instant receivedAt) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** One call as the agent saw it: the event, when the request arrived and when the answer was sent. */
    public record Call(JsonNode event, long startedNanos, long answeredNanos) {

        /** The call was in flight at that instant. */
        public boolean inFlightAt(long nanos) {
            return startedNanos <= nanos && nanos < answeredNanos;
        }
    }

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise (read once, when its first server
        // starts): its answers then wait for the client's delayed ACK, 20-40 ms per call, which no agent server in
        // use (uvicorn, Node, Go, Netty) does and which would be measured as the channel's time.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Function<JsonNode, Answer> defaultAnswer = e -> Answer.reply("Thanks, we are on it.");
    private volatile byte[] signingSecret;
    private volatile boolean keepAttachmentData = true;

    public FakeAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ObjectMapper json = new ObjectMapper();
        server.createContext("/agent", exchange -> {
            try (exchange) {
                long started = System.nanoTime();
                byte[] in = exchange.getRequestBody().readAllBytes();
                Instant receivedAt = Instant.now();
                JsonNode event = json.readTree(in);
                byte[] secret = signingSecret;
                Boolean valid = null;
                if (secret != null) {
                    // as an agent does: on the raw body, before trusting anything in it
                    valid = verify(secret, exchange.getRequestHeaders().getFirst("X-Email-Channel-Signature"), in,
                            300);
                }
                if (!keepAttachmentData && event.path("attachments").isArray()) {
                    event.path("attachments").forEach(a -> ((ObjectNode) a).remove("data"));
                    in = null; // many mails with large files are not kept twice
                }
                requests.add(new Request(event, Map.copyOf(exchange.getRequestHeaders()), in, valid, receivedAt));
                Answer answer = Boolean.FALSE.equals(valid) ? new Answer(401, "{\"error\":\"bad signature\"}")
                        : script.poll();
                if (answer == null) {
                    answer = defaultAnswer.apply(event);
                }
                sleep(delay);
                // recorded before the answer leaves: the channel cannot see it, and make its next call, earlier
                calls.add(new Call(event, started, System.nanoTime()));
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/agent";
    }

    /** The next answers, in order; afterwards the default answer. */
    public FakeAgent script(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public FakeAgent answerWith(Function<JsonNode, Answer> answer) {
        this.defaultAnswer = answer;
        return this;
    }

    /** Every answer waits this long first (an LLM agent takes seconds). */
    public FakeAgent delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** The calls answered so far, in the order of their answers. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The most calls that were in flight at one moment, from the recorded starts and answers. */
    public int maxInFlight() {
        List<Call> all = calls();
        return all.stream().mapToInt(c -> (int) all.stream().filter(o -> o.inFlightAt(c.startedNanos())).count())
                .max().orElse(0);
    }

    /**
     * From now on, verify {@code X-Email-Channel-Signature} of every call with this secret, as the README shows
     * agents how to, and answer 401 to a call whose signature does not verify.
     */
    public FakeAgent verifySignatures(String secret) {
        this.signingSecret = secret.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /**
     * The README's Java verifier (section "Signed agent calls"), verbatim: written independently of the channel's
     * own {@code AgentSignature}, so a channel that signs something else than the README says fails here.
     */
    public static boolean verify(byte[] secret, String header, byte[] body, long toleranceSeconds) {
        if (header == null) {
            return false;
        }
        try {
            Map<String, String> fields = new HashMap<>();
            for (String part : header.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2) fields.put(kv[0], kv[1]);
            }
            String t = fields.getOrDefault("t", "");
            if (!t.matches("\\d{1,18}")
                    || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(t)) > toleranceSeconds) {
                return false; // missing, too old (a replay) or too far ahead
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            byte[] expected = HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, fields.getOrDefault("v1", "").getBytes(StandardCharsets.US_ASCII));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records events without their attachments' {@code data} and without the body bytes (many mails with large files). */
    public FakeAgent withoutAttachmentData() {
        this.keepAttachmentData = false;
        return this;
    }

    /** Forgets the requests and calls seen so far (between rounds of a benchmark). */
    public void reset() {
        requests.clear();
        calls.clear();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
