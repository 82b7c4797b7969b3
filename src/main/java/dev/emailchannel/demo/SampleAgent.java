package dev.emailchannel.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo's agent: an HTTP endpoint that answers every email event by echoing what the customer newly wrote. It
 * shows the agent contract: a JSON event in, {@code {"reply": {"text": …}}} out.
 */
public final class SampleAgent implements AutoCloseable {

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();

    public SampleAgent(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/agent", exchange -> {
            try (exchange) {
                JsonNode event = json.readTree(exchange.getRequestBody());
                String name = event.path("from").path("name").asText(event.path("from").path("address").asText());
                String text = event.path("text").asText();
                String answer = "Hello " + name + ",\n\nthanks for your email. You wrote:\n\n"
                        + text.lines().map(l -> "> " + l).reduce((a, b) -> a + "\n" + b).orElse("")
                        + "\n\n(This is the demo agent: it echoes what it receives. Session "
                        + event.path("session").path("id").asText() + ", "
                        + event.path("attachments").size() + " attachment(s).)";
                byte[] body = json.writeValueAsBytes(Map.of("reply", Map.of("text", answer)));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException | RuntimeException e) {
                byte[] body = ("{\"error\":\"" + e.getClass().getSimpleName() + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
