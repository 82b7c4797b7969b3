package dev.emailchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An agent endpoint for tests, on a dynamic port: records every request (body and headers) and answers from a script
 * of responses, then with the default answer.
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

    /** A received request. */
    public record Request(JsonNode event, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Function<JsonNode, Answer> defaultAnswer = e -> Answer.reply("Thanks, we are on it.");

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger maxCalls = new AtomicInteger();
    private volatile boolean keepAttachmentData = true;

    /** An agent that answers one request at a time (the HTTP server's own thread). */
    public FakeAgent() throws IOException {
        this(0);
    }

    /**
     * An agent that answers up to {@code threads} requests at once (0: one at a time on the server's own thread), as
     * a real agent service does; {@link #maxConcurrency()} tells how many the channel made at once.
     */
    public FakeAgent(int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        if (threads > 0) {
            server.setExecutor(Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "fake-agent");
                t.setDaemon(true);
                return t;
            }));
        }
        ObjectMapper json = new ObjectMapper();
        server.createContext("/agent", exchange -> {
            int now = calls.incrementAndGet();
            maxCalls.accumulateAndGet(now, Math::max);
            try (exchange) {
                byte[] in = exchange.getRequestBody().readAllBytes();
                JsonNode event = json.readTree(in);
                in = null; // a large mail is not kept twice
                if (!keepAttachmentData && event.path("attachments").isArray()) {
                    event.path("attachments").forEach(a -> ((ObjectNode) a).remove("data"));
                }
                requests.add(new Request(event, Map.copyOf(exchange.getRequestHeaders())));
                Answer answer = script.poll();
                if (answer == null) {
                    answer = defaultAnswer.apply(event);
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            } finally {
                calls.decrementAndGet();
            }
        });
        server.start();
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

    /** Records events without their attachments' {@code data} (mails with large files, many of them). */
    public FakeAgent withoutAttachmentData() {
        this.keepAttachmentData = false;
        return this;
    }

    /** The most requests this agent was handling at one moment. */
    public int maxConcurrency() {
        return maxCalls.get();
    }

    /** Forgets the requests and the concurrency seen so far (between rounds of a benchmark). */
    public void reset() {
        requests.clear();
        maxCalls.set(calls.get());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
            pool.shutdownNow();
        }
    }
}
