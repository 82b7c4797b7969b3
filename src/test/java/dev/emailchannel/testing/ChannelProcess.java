package dev.emailchannel.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged application as the Docker image runs it: {@code bin/email-channel} (which starts
 * {@code java -jar target/email-channel.jar} with the JIT options for the processors it sees) in its own working
 * directory, configured only by environment variables, trusting certificates through JAVA_TOOL_OPTIONS.
 */
public final class ChannelProcess implements AutoCloseable {

    /** HTTP/1.1: the JDK client's h2c upgrade broke the framing of a large answer once. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static final Path JAR = Path.of("target", "email-channel.jar").toAbsolutePath();
    public static final Path LAUNCHER = Path.of("bin", "email-channel").toAbsolutePath();
    public static final String API_TOKEN = "it-api-token";

    private final Process process;
    private final Path workDir;
    private final Path log;
    private final int httpPort;
    private final String apiToken;

    private ChannelProcess(Process process, Path workDir, Path log, int httpPort, String apiToken) {
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.httpPort = httpPort;
        this.apiToken = apiToken;
    }

    /**
     * @param env        the channel's environment variables
     * @param trustStore a PKCS12 trust store for JAVA_TOOL_OPTIONS, or null for the JVM's default trust
     */
    public static ChannelProcess start(Path workDir, Map<String, String> env, Path trustStore) throws Exception {
        return start(workDir, env, trustStore, java.util.List.of("-Xmx512m"));
    }

    /** As {@link #start(Path, Map, Path)}, with these JVM options instead of {@code -Xmx512m} (for benchmarks). */
    public static ChannelProcess start(Path workDir, Map<String, String> env, Path trustStore,
            java.util.List<String> jvmOptions) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `package`");
        }
        Files.createDirectories(workDir);
        int port = RunningChannel.freePort();
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString()).directory(workDir.toFile());
        Map<String, String> environment = pb.environment();
        environment.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        environment.put("CHANNEL_JAR", JAR.toString());
        // e.g. -Dbench.channelJvmOptions=-XX:StartFlightRecording=filename=/tmp/channel.jfr to profile a benchmark
        String extra = System.getProperty("bench.channelJvmOptions", "").trim();
        environment.put("JAVA_OPTS", (String.join(" ", jvmOptions) + " " + extra).trim());
        environment.remove("JDK_JAVA_OPTIONS");
        // JIT_COMPILER: the test JVMs set it (pom.xml); the channel runs with what its own env says, as users run it
        environment.keySet().removeIf(k -> k.startsWith("EMAIL_") || k.startsWith("IMAP_") || k.startsWith("SMTP_")
                || k.startsWith("OAUTH_") || k.startsWith("AGENT_") || k.equals("JIT_COMPILER"));
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("CHANNEL_API_TOKEN", API_TOKEN);
        all.put("HTTP_PORT", String.valueOf(port));
        environment.putAll(all);
        if (trustStore != null) {
            environment.put("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + trustStore
                    + " -Djavax.net.ssl.trustStorePassword=changeit");
        } else {
            environment.remove("JAVA_TOOL_OPTIONS");
        }
        Path log = workDir.resolve("channel.log");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ChannelProcess(pb.start(), workDir, log, port, all.get("CHANNEL_API_TOKEN"));
    }

    public JsonNode channel() throws Exception {
        HttpRequest request = authorized("/api/channel").timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(answer.body());
    }

    /** Calls the API with the bearer token: GET without a body, POST with a JSON body (which may take a send). */
    public HttpResponse<String> api(String method, String path, String jsonBody) throws Exception {
        HttpRequest.Builder request = authorized(path).timeout(Duration.ofSeconds(90));
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The recipients of the replies held in doubt ({@code GET /api/outbox?state=held}, reason {@code in doubt:}: the
     * sender stopped while the mail server was taking them) whose subject contains {@code subjectPart}.
     */
    public java.util.Set<String> heldInDoubt(String subjectPart) {
        java.util.Set<String> recipients = new java.util.TreeSet<>();
        try {
            for (JsonNode m : new ObjectMapper().readTree(api("GET", "/api/outbox?state=held&limit=200", null).body())
                    .path("mails")) {
                if (m.path("hold_reason").asText().startsWith("in doubt")
                        && m.path("subject").asText().contains(subjectPart)) {
                    recipients.add(m.path("to").asText());
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("GET /api/outbox?state=held: " + e.getMessage(), e);
        }
        return recipients;
    }

    /** The Prometheus scrape of {@code /observe/metrics}, as text. */
    public String metrics() throws Exception {
        HttpResponse<String> answer = get("/observe/metrics", null);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("/observe/metrics answered " + answer.statusCode() + ": " + answer.body());
        }
        return answer.body();
    }

    /**
     * The value of one Prometheus sample, e.g. {@code metric("channel_cluster_mailboxes_owned", "")} or
     * {@code metric("channel_cluster_ownership_changes_total", "change=\"taken\"")}: the sum of the samples of that
     * name whose labels contain {@code labels}; NaN when there is none.
     */
    public double metric(String name, String labels) throws Exception {
        return sample(metrics(), name, labels);
    }

    /** {@link #metric} on a scrape already read. */
    public static double sample(String scrape, String name, String labels) {
        double sum = Double.NaN;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String head = line.substring(0, line.lastIndexOf(' '));
                if (head.contains(labels)) {
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sum = Double.isNaN(sum) ? value : sum + value;
                }
            }
        }
        return sum;
    }

    /** A field of /proc/&lt;pid&gt;/status as a number, e.g. {@code VmRSS} (kB) or {@code Threads}; -1 when absent. */
    public long procStatus(String field) throws IOException {
        return Files.readAllLines(proc("status")).stream()
                .filter(l -> l.startsWith(field + ":")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElse(-1);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + apiToken);
    }

    /** A GET with the given bearer token (null: none), to see what the API answers a caller without the right one. */
    public HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the API reports one of the states; returns the whole answer. */
    public JsonNode awaitStatus(String... states) {
        JsonNode[] last = new JsonNode[1];
        try {
            // generous: a 60 MB jar starting on a busy 2-core machine can take a minute before its API answers
            Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(300))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the channel exited: " + log());
                        }
                        last[0] = channel();
                        return java.util.List.of(states).contains(last[0].get("status").asText());
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            String log;
            try {
                log = log();
            } catch (IOException io) {
                log = "(log unreadable: " + io.getMessage() + ")";
            }
            throw new AssertionError("the channel did not reach " + java.util.List.of(states) + "; last answer "
                    + last[0] + "; its log ends with:\n" + log.substring(Math.max(0, log.length() - 4000)), e);
        }
        return last[0];
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The channel's process id (for /proc/&lt;pid&gt;/status: threads, resident memory). */
    public long pid() {
        return process.pid();
    }

    /** The JVM's command line, as the launcher left it ({@code /proc/<pid>/cmdline}). */
    public java.util.List<String> commandLine() throws IOException {
        return java.util.List.of(Files.readString(proc("cmdline")).split("\0"));
    }

    /** A file of the channel's process in {@code /proc}. */
    private Path proc(String name) {
        return Path.of("/proc", Long.toString(process.pid()), name);
    }

    /** GET on the HTTP port without a token (health, metrics); returns the body. */
    public String get(String path) throws Exception {
        return get(path, null).body();
    }

    public Path workDir() {
        return workDir;
    }

    /** SIGTERM, then wait; returns the exit code. */
    public int terminate(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("the channel did not stop within " + timeout);
        }
        return process.exitValue();
    }

    /** kill -9. */
    public void kill() throws Exception {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }
}
