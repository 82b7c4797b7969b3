package dev.emailchannel.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost / 127.0.0.1 made with the JDK's keytool, for the demo's embedded mail
 * servers (and the tests): a PKCS12 key store for the servers and a trust store for the channel, so that the channel
 * verifies certificates and host names exactly as in production, with no trust-all setting.
 */
public final class DemoCertificates {

    public static final String PASSWORD = "changeit";

    /** The key store (private key + certificate) and the trust store (certificate only). */
    public record Stores(Path keyStore, Path trustStore) {
    }

    private DemoCertificates() {
    }

    /** Creates the stores in {@code dir}, or reuses them when they exist. */
    public static synchronized Stores create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("mail-server.p12");
        Path trustStore = dir.resolve("truststore.p12");
        Path cert = dir.resolve("mail-server.crt");
        if (!Files.exists(trustStore)) {
            Files.deleteIfExists(keyStore);
            keytool("-genkeypair", "-alias", "mail-server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore",
                    keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "mail-server", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-rfc", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "mail-server", "-file", cert.toString(), "-keystore",
                    trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        }
        return new Stores(keyStore, trustStore);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output.strip());
        }
    }
}
