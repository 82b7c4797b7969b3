package dev.emailchannel.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.testing.ChannelProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How the packaged jar serves the console (GET /console/ from the classpath, started from an empty directory, so the
 * route file comes from the jar too), and the page of a channel in ERROR in a real browser. The channel has a
 * configuration problem on purpose: the console must load whatever state the channel is in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleServingIT {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final Path ASSETS = Path.of("src", "main", "resources", "console");

    Path work;

    ChannelProcess channel;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        // kept under target/ after the run: the channel's log is there
        work = Files.createDirectories(Path.of("target", "console-it").resolve("serving-" + System.currentTimeMillis()).toAbsolutePath());
        channel = ChannelProcess.start(work, Map.of("EMAIL_ADDRESS", "support@acme.test", "EMAIL_PASSWORD", "x",
                "SMTP_SERVER", "127.0.0.1", "AGENT_URL", "http://127.0.0.1:9/agent"), null);
        channel.awaitStatus("ERROR");
        port = ChannelPort.of(channel);
        // something in the working directory that a careless static file server would hand out
        Files.writeString(work.resolve("application.properties"), "channel.api-token = do-not-serve\n");
    }

    @AfterAll
    void stop() throws Exception {
        channel.close();
    }

    String base() {
        return "http://127.0.0.1:" + port + "/";
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void should_serve_the_page_with_a_strict_policy_and_no_caching() throws Exception {
        HttpResponse<byte[]> page = get("console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"))
                .noneMatch(h -> h.equalsIgnoreCase("Set-Cookie"));
        assertThat(new String(page.body())).isEqualTo(Files.readString(ASSETS.resolve("index.html")));
    }

    @Test
    void should_serve_every_file_of_the_console_folder_with_its_type() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(ASSETS)) {
            files = s.toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path f : files) {
            String name = f.getFileName().toString();
            HttpResponse<byte[]> r = get("console/" + name);
            assertThat(r.statusCode()).as(name + ": a file that the route's allowlist does not serve").isEqualTo(200);
            assertThat(r.body()).as(name).isEqualTo(Files.readAllBytes(f));
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".css") ? "text/css; charset=utf-8"
                    : name.endsWith(".svg") ? "image/svg+xml" : "text/html; charset=utf-8";
            assertThat(r.headers().firstValue("Content-Type")).as(name).hasValue(type);
            assertThat(r.headers().firstValue("Cache-Control")).as(name)
                    .hasValue(name.equals("index.html") ? "no-store" : "no-cache");
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(name).hasValue(CSP);
        }
    }

    @Test
    void should_redirect_to_the_trailing_slash() throws Exception {
        HttpResponse<byte[]> r = get("console");
        assertThat(r.statusCode()).isEqualTo(308);
        assertThat(r.headers().firstValue("Location")).hasValue("console/");
    }

    @Test
    void should_serve_nothing_outside_the_console_folder() throws Exception {
        for (String path : List.of("console/nope.js", "console/Index.html", "console/app.js.map", "console/a/app.js",
                "console/..%2fapplication.properties", "console/%2e%2e/application.properties",
                "console/../application.properties", "console/routes", "consolex", "console-x/app.js",
                "application.properties", "routes/console.camel.yaml", "dev/emailchannel/EmailChannelMain.class")) {
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(new String(r.body())).as(path).doesNotContain("do-not-serve").doesNotContain("route");
        }
    }

    @Test
    void should_echo_no_request_header_and_refuse_other_methods() throws Exception {
        HttpResponse<byte[]> r = get("console/", "Authorization", "Bearer secret-of-the-caller", "X-Probe", "1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().map().toString()).doesNotContain("secret-of-the-caller").doesNotContain("X-Probe");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + "console/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void console_logic_unit_tests() throws Exception {
        NodeTests.assumeRunnable();
        NodeTests.run(Map.of(), "unit/format.test.mjs");
    }

    @Test
    void browser_shows_the_error_state() throws Exception {
        NodeTests.assumeRunnable();
        NodeTests.run(Map.of("CONSOLE_URL", base() + "console/", "CONSOLE_TOKEN", ChannelProcess.API_TOKEN,
                "CONSOLE_EXPECTED_ERROR", "support@acme.test: IMAP_SERVER is required"),
                "browser/error-state.test.mjs");
    }
}
