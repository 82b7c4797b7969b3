package dev.emailchannel.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OAuth token endpoint ({@code POST /token}) on a dynamic port that behaves like a strict
 * provider: it accepts exactly the form fields {@code grant_type=refresh_token}, {@code refresh_token},
 * {@code client_id} and {@code client_secret}, checks them, and answers like RFC 6749 §5. It can
 * rotate refresh tokens (the old one then stops working), answer a fixed error, delay and count calls.
 */
final class FakeTokenEndpoint implements AutoCloseable {

    static final String CLIENT_ID = "client-123.apps.example";
    static final String CLIENT_SECRET = "s3cr3t-CLIENT+/=&?%";

    /** One recorded request. */
    record Request(String method, String contentType, String rawBody, Map<String, String> form) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    private final Set<String> validRefreshTokens = Collections.synchronizedSet(new java.util.HashSet<>());
    private volatile String accessTokenPrefix = "access-";
    private volatile String fixedAccessToken;
    private volatile List<String> accessTokenSequence = List.of();
    private volatile Long expiresIn = 3600L;
    private volatile boolean rotate;
    private volatile Duration delay = Duration.ZERO;
    private volatile int errorStatus;
    private volatile String errorBody;
    private final AtomicInteger rotations = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();

    FakeTokenEndpoint(String... validRefreshTokens) throws IOException {
        this.validRefreshTokens.addAll(List.of(validRefreshTokens));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    OAuthCredentials credentials(String mailbox, String refreshToken) {
        return new OAuthCredentials(mailbox, uri(), CLIENT_ID, CLIENT_SECRET, refreshToken);
    }

    int calls() {
        return calls.get();
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    Request lastRequest() {
        List<Request> all = requests();
        return all.get(all.size() - 1);
    }

    /** Every answer carries this access token instead of a numbered one. */
    FakeTokenEndpoint fixedAccessToken(String token) {
        this.fixedAccessToken = token;
        return this;
    }

    /** The n-th successful answer carries the n-th token (the last one repeats). */
    FakeTokenEndpoint accessTokens(String... sequence) {
        this.accessTokenSequence = List.of(sequence);
        return this;
    }

    /** {@code null} leaves {@code expires_in} out of the answer. */
    FakeTokenEndpoint expiresIn(Long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** Each successful exchange issues a new refresh token and revokes the presented one. */
    FakeTokenEndpoint rotate(boolean rotate) {
        this.rotate = rotate;
        return this;
    }

    FakeTokenEndpoint delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Answer every request with this status and body (status 0 restores normal answers). */
    FakeTokenEndpoint failWith(int status, String body) {
        this.errorStatus = status;
        this.errorBody = body;
        return this;
    }

    void acceptRefreshToken(String token) {
        validRefreshTokens.add(token);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int n = calls.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = parseForm(body);
            requests.add(new Request(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, form));
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            if (errorStatus != 0) {
                send(exchange, errorStatus, errorBody);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"application/x-www-form-urlencoded".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                    || !form.keySet().equals(Set.of("grant_type", "refresh_token", "client_id", "client_secret"))
                    || !"refresh_token".equals(form.get("grant_type"))) {
                send(exchange, 400, "{\"error\":\"invalid_request\"}");
                return;
            }
            if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
                send(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String presented = form.get("refresh_token");
            String newRefreshToken = null;
            synchronized (validRefreshTokens) {
                if (!validRefreshTokens.contains(presented)) {
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad Request\"}");
                    return;
                }
                if (rotate) {
                    newRefreshToken = "rotated-" + rotations.incrementAndGet() + "-refresh";
                    validRefreshTokens.remove(presented);
                    validRefreshTokens.add(newRefreshToken);
                }
            }
            List<String> sequence = accessTokenSequence;
            String accessToken = fixedAccessToken != null ? fixedAccessToken
                    : !sequence.isEmpty() ? sequence.get(Math.min(issued.getAndIncrement(), sequence.size() - 1))
                    : accessTokenPrefix + n;
            StringBuilder json = new StringBuilder("{\"access_token\":\"")
                    .append(accessToken)
                    .append("\",\"token_type\":\"Bearer\"");
            if (expiresIn != null) {
                json.append(",\"expires_in\":").append(expiresIn);
            }
            if (newRefreshToken != null) {
                json.append(",\"refresh_token\":\"").append(newRefreshToken).append('"');
            }
            send(exchange, 200, json.append('}').toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type",
                body.startsWith("{") ? "application/json" : "text/html");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Strict parsing: a repeated field is recorded with a marker so tests notice it. */
    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.merge(key, value, (a, b) -> "<repeated>");
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
