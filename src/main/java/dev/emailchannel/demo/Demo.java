package dev.emailchannel.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.emailchannel.EmailChannelMain;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * {@code java -jar email-channel.jar demo}: the channel against embedded mail servers (GreenMail, with TLS on a
 * certificate made for localhost), the {@link SampleAgent} and an embedded H2 database under {@code ./data/demo}.
 * No mailbox or agent of your own is needed; {@code java -jar email-channel.jar send "…"} writes to it as a customer.
 */
public final class Demo {

    public static final String SUPPORT = "support@demo.test";
    public static final String SUPPORT_PASSWORD = "demo-secret";
    public static final String CUSTOMER = "customer@demo.test";
    public static final String CUSTOMER_PASSWORD = "customer-secret";
    public static final int SMTP_PORT = 3025;
    public static final int IMAP_PORT = 3143;
    static final int SMTPS_PORT = 3465;
    static final int IMAPS_PORT = 3993;
    static final int AGENT_PORT = 8081;
    public static final String API_TOKEN = "demo-token";

    private Demo() {
    }

    public static void run(String[] args) throws Exception {
        Path data = Path.of("data", "demo");
        DemoCertificates.Stores stores = DemoCertificates.create(data.resolve("tls"));
        System.setProperty("greenmail.tls.keystore.file", stores.keyStore().toString());
        System.setProperty("greenmail.tls.keystore.password", DemoCertificates.PASSWORD);
        // the channel verifies the demo servers' certificate through the JVM trust store, as it would in production
        System.setProperty("javax.net.ssl.trustStore", stores.trustStore().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", DemoCertificates.PASSWORD);

        GreenMail mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(SMTPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(IMAP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(IMAPS_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});
        mail.setUser(SUPPORT, SUPPORT, SUPPORT_PASSWORD);
        mail.setUser(CUSTOMER, CUSTOMER, CUSTOMER_PASSWORD);
        mail.start();
        SampleAgent agent = new SampleAgent(AGENT_PORT);

        Map<String, String> settings = Map.ofEntries(
                Map.entry("channel.name", "demo"),
                Map.entry("channel.email-address", SUPPORT),
                Map.entry("channel.email-password", SUPPORT_PASSWORD),
                Map.entry("channel.email-name", "Demo Support"),
                Map.entry("channel.imap-server", "localhost"),
                Map.entry("channel.imap-port", String.valueOf(IMAPS_PORT)),
                Map.entry("channel.smtp-server", "localhost"),
                Map.entry("channel.smtp-port", String.valueOf(SMTPS_PORT)),
                Map.entry("channel.smtp-encryption", "ssl"),
                Map.entry("channel.check-interval", "2"),
                Map.entry("channel.smtp-signature", "-- \\n{{ sender_name }} <{{ sender_email }}>"),
                Map.entry("channel.agent-url", "http://127.0.0.1:" + agent.port() + "/agent"),
                Map.entry("channel.api-token", API_TOKEN),
                Map.entry("channel.database-url", "jdbc:h2:file:./" + data.resolve("db").toString().replace('\\', '/')));

        Main main = new Main();
        EmailChannelMain.configure(main, Path.of("."));
        settings.forEach(main::addOverrideProperty);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            mail.stop();
        }, "demo-shutdown"));
        System.out.println("""

                ==================================================================================
                 Email channel demo: embedded mail servers on 127.0.0.1, sample agent, H2 in ./data/demo
                   support mailbox  %s (IMAPS %d, SMTPS %d)
                   customer         %s / %s (SMTP %d, IMAP %d)
                   HTTP API         curl -H 'Authorization: Bearer %s' http://localhost:8080/api/channel
                 Send a test email as the customer and wait for the agent's threaded reply:
                   java -jar target/email-channel.jar send "Hello, where is my order 1234?"
                 or with swaks:
                   swaks --server 127.0.0.1:%d --from %s --to %s --header "Subject: Order 1234" --body "Where is it?"
                ==================================================================================
                """.formatted(SUPPORT, IMAPS_PORT, SMTPS_PORT, CUSTOMER, CUSTOMER_PASSWORD, SMTP_PORT, IMAP_PORT,
                API_TOKEN, SMTP_PORT, CUSTOMER, SUPPORT));
        main.run(args);
    }
}
