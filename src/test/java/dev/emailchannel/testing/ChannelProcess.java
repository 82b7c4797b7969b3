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
 * The packaged application as a user runs it: {@code java -jar target/email-channel.jar} in its own working
 * directory, configured only by environment variables, trusting certificates through JAVA_TOOL_OPTIONS.
 */
public final class ChannelProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "email-channel.jar").toAbsolutePath();
    public static final String API_TOKEN = "it-api-token";

    private final Process process;
    private final Path workDir;
    private final Path log;
    private final int httpPort;

    private ChannelProcess(Process process, Path workDir, Path log, int httpPort) {
        this.process = process;
        this.workDir = workDir;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * @param env        the channel's environment variables
     * @param trustStore a PKCS12 trust store for JAVA_TOOL_OPTIONS, or null for the JVM's default trust
     */
    public static ChannelProcess start(Path workDir, Map<String, String> env, Path trustStore) throws Exception {
        return start(workDir, env, trustStore, java.util.List.of("-Xmx512m"));
    }

    /** {@link #start(Path, Map, Path)} with the JVM options given (e.g. {@code -Xmx256m}, a GC log) instead of -Xmx512m. */
    public static ChannelProcess start(Path workDir, Map<String, String> env, Path trustStore,
            java.util.List<String> jvmOptions) throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after `package`");
        }
        Files.createDirectories(workDir);
        int port = RunningChannel.freePort();
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(java.util.List.of("-jar", JAR.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> environment = pb.environment();
        environment.keySet().removeIf(k -> k.startsWith("EMAIL_") || k.startsWith("IMAP_") || k.startsWith("SMTP_")
                || k.startsWith("OAUTH_") || k.startsWith("AGENT_"));
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
        return new ChannelProcess(pb.start(), workDir, log, port);
    }

    public JsonNode channel() throws Exception {
        HttpRequest request = authorized("/api/channel").timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
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
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", "Bearer " + API_TOKEN);
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

    /** Whether the process is still running (false after a crash, e.g. an OutOfMemoryError that ended it). */
    public boolean alive() {
        return process.isAlive();
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
