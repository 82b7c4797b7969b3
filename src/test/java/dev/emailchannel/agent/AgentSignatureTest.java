package dev.emailchannel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSignatureTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] BODY = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void should_match_an_independently_computed_hmac() {
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test",b"1700000000.{\"type\":\"message\"}",hashlib.sha256).hexdigest())'
        assertThat(new AgentSignature("whsec_test", CLOCK).sign(BODY))
                .isEqualTo("t=1700000000,v1=b5a5a118d074b69f8a85f23636afec5635cd26bc3a1e8cacb7f0430275a9a7d1");
    }

    @Test
    void should_sign_a_body_streamed_through_it_exactly_as_written() throws Exception {
        AgentSignature signature = new AgentSignature("s3cret", CLOCK);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        AgentSignature.Stream stream = signature.start(sent);
        try (JsonGenerator json = new ObjectMapper().getFactory().createGenerator(stream)) {
            json.writeStartObject();
            json.writeStringField("text", "Grüße, ☃");
            json.writeFieldName("data");
            json.writeBinary(new byte[100_000]); // base64 written piece by piece, never one String
            json.writeEndObject();
        }
        String header = stream.header();
        assertThat(AgentSignature.verify("s3cret", header, sent.toByteArray(), Duration.ofMinutes(5), CLOCK)).isTrue();
        assertThat(header).isEqualTo(signature.sign(sent.toByteArray()));
        assertThatThrownBy(() -> stream.write(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void should_give_the_same_signature_for_the_same_timestamp_written_twice() throws Exception {
        AgentSignature signature = new AgentSignature("s3cret", CLOCK);
        AgentSignature.Stream first = signature.start();
        first.write(BODY);
        AgentSignature.Stream second = signature.start(first.timestamp(), new ByteArrayOutputStream());
        second.write(BODY, 0, BODY.length);
        assertThat(second.header()).isEqualTo(first.header());
    }

    @Test
    void should_refuse_forged_tampered_and_replayed_calls() {
        String header = new AgentSignature("s3cret", CLOCK).sign(BODY);
        Duration five = Duration.ofMinutes(5);
        assertThat(AgentSignature.problem("s3cret", header, BODY, five, CLOCK)).isEmpty();
        assertThat(AgentSignature.problem("other", header, BODY, five, CLOCK)).contains("no v1 signature matches the body");
        assertThat(AgentSignature.problem("s3cret", header, "{\"type\":\"messagE\"}".getBytes(StandardCharsets.UTF_8),
                five, CLOCK)).contains("no v1 signature matches the body");
        Clock later = Clock.offset(CLOCK, Duration.ofMinutes(6));
        assertThat(AgentSignature.problem("s3cret", header, BODY, five, later))
                .contains("the timestamp is 360 s from now, more than 300 s");
        Clock earlier = Clock.offset(CLOCK, Duration.ofMinutes(-6));
        assertThat(AgentSignature.verify("s3cret", header, BODY, five, earlier)).isFalse();
        assertThat(AgentSignature.problem("s3cret", null, BODY, five, CLOCK)).contains("no X-Email-Channel-Signature header");
        assertThat(AgentSignature.problem("s3cret", "t=abc,v1=00", BODY, five, CLOCK)).contains("the timestamp is not a number");
        assertThat(AgentSignature.problem("s3cret", "v1=00", BODY, five, CLOCK)).contains("the header lacks t= or v1=");
        // a header moved to another timestamp does not verify
        String moved = header.replace("t=1700000000", "t=1700000001");
        assertThat(AgentSignature.verify("s3cret", moved, BODY, five, CLOCK)).isFalse();
        // several v1 values (the agent rotating its secret): one match is enough
        assertThat(AgentSignature.verify("s3cret", "t=1700000000,v1=" + "0".repeat(64) + "," + header.split(",")[1],
                BODY, five, CLOCK)).isTrue();
    }

    @Test
    void should_refuse_an_empty_secret_and_never_show_it() {
        assertThatThrownBy(() -> new AgentSignature("", CLOCK)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AgentSignature("s3cret", CLOCK).toString()).doesNotContain("s3cret");
    }

    // ---- the verifiers shown in the README, run as an agent would run them ----

    private static String readmeBlock(String language) throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("(?s)### Signed agent calls.*?```" + language + "\n(.*?)```").matcher(readme);
        assertThat(m.find()).as("README has the " + language + " verifier").isTrue();
        return m.group(1);
    }

    /** Five calls: valid now, valid with a 2-minute-old timestamp, tampered body, wrong secret, 10 minutes old. */
    private static List<String[]> calls() {
        Clock real = Clock.systemUTC();
        byte[] other = "{\"type\":\"message\",\"x\":1}".getBytes(StandardCharsets.UTF_8);
        return List.of(
                new String[] {new AgentSignature("s3cret", real).sign(BODY), hex(BODY), "True"},
                new String[] {new AgentSignature("s3cret", Clock.offset(real, Duration.ofMinutes(-2))).sign(BODY),
                        hex(BODY), "True"},
                new String[] {new AgentSignature("s3cret", real).sign(BODY), hex(other), "False"},
                new String[] {new AgentSignature("other", real).sign(BODY), hex(BODY), "False"},
                new String[] {new AgentSignature("s3cret", Clock.offset(real, Duration.ofMinutes(-10))).sign(BODY),
                        hex(BODY), "False"});
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void the_readme_python_verifier_accepts_signed_calls_and_rejects_forged_and_old_ones(@TempDir Path dir)
            throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 not installed");
        StringBuilder script = new StringBuilder(readmeBlock("python")).append("\n");
        for (String[] call : calls()) {
            script.append("print(verify(b's3cret', '").append(call[0]).append("', bytes.fromhex('").append(call[1])
                    .append("')))\n");
        }
        Path file = Files.writeString(dir.resolve("verify.py"), script);
        assertThat(run(List.of("/usr/bin/python3", file.toString())))
                .isEqualTo(calls().stream().map(c -> c[2]).toList());
    }

    @Test
    void the_readme_java_verifier_accepts_signed_calls_and_rejects_forged_and_old_ones(@TempDir Path dir)
            throws Exception {
        StringBuilder source = new StringBuilder("import java.nio.charset.StandardCharsets;\nimport java.security.*;\n"
                + "import java.time.Instant;\nimport java.util.*;\nimport javax.crypto.Mac;\n"
                + "import javax.crypto.spec.SecretKeySpec;\n\npublic class Verify {\n")
                .append(readmeBlock("java")).append("\npublic static void main(String[] a) throws Exception {\n");
        for (String[] call : calls()) {
            source.append("System.out.println(verify(\"s3cret\".getBytes(), \"").append(call[0])
                    .append("\", HexFormat.of().parseHex(\"").append(call[1]).append("\"), 300) ? \"True\" : \"False\");\n");
        }
        source.append("}}\n");
        Path file = Files.writeString(dir.resolve("Verify.java"), source);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(run(List.of(java, file.toString()))).isEqualTo(calls().stream().map(c -> c[2]).toList());
    }

    private static List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
