package dev.emailchannel.testing;

import dev.emailchannel.status.ChannelState;
import dev.emailchannel.EmailChannelMain;
import dev.emailchannel.status.ChannelStatus;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.awaitility.Awaitility;

/**
 * The real application (the main class's wiring, the project's {@code application.properties} and {@code routes/})
 * started in this JVM with settings given as properties, as environment variables would give them.
 */
public final class RunningChannel implements AutoCloseable {

    static {
        // a server thread of GreenMail may die on a connection the channel closes on purpose (the SMTP security
        // probe); that is not a failure of the test waiting for something else
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    private final Main main;
    private final int httpPort;
    private final String apiToken;

    private RunningChannel(Main main, int httpPort, String apiToken) {
        this.main = main;
        this.httpPort = httpPort;
        this.apiToken = apiToken;
    }

    /** Starts the channel; {@code settings} are keyed by environment variable name, e.g. {@code EMAIL_ADDRESS}. */
    public static RunningChannel start(Map<String, String> settings) throws Exception {
        return start(settings, null);
    }

    /** The same, on this clock instead of the system clock (null: the system clock), e.g. an {@link OffsetClock}. */
    public static RunningChannel start(Map<String, String> settings, java.time.Clock clock) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putIfAbsent("CHANNEL_API_TOKEN", "test-api-token");
        all.putIfAbsent("DATABASE_URL", "jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        all.putIfAbsent("HTTP_PORT", String.valueOf(freePort()));
        Main main = new Main();
        EmailChannelMain.configure(main, Path.of("."));
        for (Map.Entry<String, String> e : all.entrySet()) {
            main.addOverrideProperty(propertyKey(e.getKey()), e.getValue());
        }
        if (clock != null) {
            main.bind(dev.emailchannel.ChannelConfiguration.CLOCK_BEAN, clock);
        }
        main.start();
        return new RunningChannel(main, Integer.parseInt(all.get("HTTP_PORT")), all.get("CHANNEL_API_TOKEN"));
    }

    static String propertyKey(String env) {
        return dev.emailchannel.config.Setting.valueOf(env).propertyKey();
    }

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The application's only bean of this type (a store, the channel state, the mailboxes...). */
    public <T> T bean(Class<T> type) {
        return context().getRegistry().findSingleByType(type);
    }

    public ChannelState state() {
        return bean(ChannelState.class);
    }

    public ChannelStatus awaitStatus(ChannelStatus... expected) {
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> java.util.List.of(expected).contains(state().status()));
        return state().status();
    }

    public HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> api(String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + apiToken);
        b.method(method, HttpRequest.BodyPublishers.noBody());
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An authenticated call with a JSON body. */
    public HttpResponse<String> api(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + apiToken).header("Content-Type", "application/json");
        b.method(method, HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An authenticated call with a JSON body and extra request headers (e.g. {@code Idempotency-Key}). */
    public HttpResponse<String> api(String method, String path, String json, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + apiToken).header("Content-Type", "application/json");
        headers.forEach(b::header);
        b.method(method, HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public int httpPort() {
        return httpPort;
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
