package dev.emailchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

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

    /** A received request, with the moment its body was read. */
    public record Request(JsonNode event, Map<String, List<String>> headers, java.time.Instant receivedAt) {
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

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Duration delay = Duration.ZERO;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Function<JsonNode, Answer> defaultAnswer = e -> Answer.reply("Thanks, we are on it.");

    public FakeAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ObjectMapper json = new ObjectMapper();
        server.createContext("/agent", exchange -> {
            try (exchange) {
                long started = System.nanoTime();
                byte[] in = exchange.getRequestBody().readAllBytes();
                java.time.Instant receivedAt = java.time.Instant.now();
                JsonNode event = json.readTree(in);
                requests.add(new Request(event, Map.copyOf(exchange.getRequestHeaders()), receivedAt));
                Answer answer = script.poll();
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

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
