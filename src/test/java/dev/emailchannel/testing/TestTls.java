package dev.emailchannel.testing;

import dev.emailchannel.demo.DemoCertificates;
import java.nio.file.Path;

/**
 * TLS for in-JVM tests: a certificate for localhost / 127.0.0.1 that GreenMail serves, and a JVM trust store that
 * holds it, so the channel verifies certificates and host names through the standard JVM trust store exactly as in
 * production. Call {@link #install()} before anything in the JVM opens a TLS connection (the JVM reads its trust
 * store once).
 */
public final class TestTls {

    private static DemoCertificates.Stores stores;

    private TestTls() {
    }

    public static synchronized DemoCertificates.Stores install() {
        if (stores == null) {
            try {
                stores = DemoCertificates.create(Path.of("target", "test-tls").toAbsolutePath());
            } catch (Exception e) {
                throw new IllegalStateException("cannot create the test certificate: " + e.getMessage(), e);
            }
            System.setProperty("greenmail.tls.keystore.file", stores.keyStore().toString());
            System.setProperty("greenmail.tls.keystore.password", DemoCertificates.PASSWORD);
            System.setProperty("javax.net.ssl.trustStore", stores.trustStore().toString());
            System.setProperty("javax.net.ssl.trustStorePassword", DemoCertificates.PASSWORD);
        }
        return stores;
    }
}
