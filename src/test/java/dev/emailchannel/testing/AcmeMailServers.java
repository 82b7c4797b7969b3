package dev.emailchannel.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.HashMap;
import java.util.Map;

/**
 * GreenMail on 127.0.0.1 for end-to-end tests: plain SMTP and IMAP for the customer's client, SMTPS and IMAPS (with
 * the {@link TestTls} certificate) for the channel; mailboxes support@ and sales@acme.test and the customer
 * jane@example.com. Port 0 means a free port.
 */
public final class AcmeMailServers {

    public static final String SUPPORT = "support@acme.test";
    public static final String SALES = "sales@acme.test";
    public static final String JANE = "jane@example.com";
    static final long STARTUP_TIMEOUT_MILLIS = 15_000;

    private AcmeMailServers() {
    }

    /** Channel settings for the support mailbox on these servers (IMAPS, SMTPS), polling every second. */
    public static Map<String, String> channelSettings(GreenMail mail, String agentUrl) {
        Map<String, String> s = new HashMap<>();
        s.put("EMAIL_ADDRESS", SUPPORT);
        s.put("EMAIL_PASSWORD", "support-pw");
        s.put("EMAIL_NAME", "Acme Support");
        s.put("IMAP_SERVER", "localhost");
        s.put("IMAP_PORT", String.valueOf(mail.getImaps().getPort()));
        s.put("SMTP_SERVER", "localhost");
        s.put("SMTP_PORT", String.valueOf(mail.getSmtps().getPort()));
        s.put("CHECK_INTERVAL", "1");
        s.put("AGENT_URL", agentUrl);
        return s;
    }

    public static GreenMail start() {
        return start(0, 0, 0);
    }

    /** Fixed ports let a test stop the servers and bring them back where the channel expects them. */
    public static GreenMail start(int smtpPort, int smtpsPort, int imapsPort) {
        TestTls.install();
        ServerSetup[] setups = {
            new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(smtpsPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(imapsPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)};
        for (ServerSetup setup : setups) {
            // GreenMail's 2 s are not enough on a busy shared machine
            setup.setServerStartupTimeout(STARTUP_TIMEOUT_MILLIS);
        }
        GreenMail g = new GreenMail(setups);
        g.start();
        g.setUser(SUPPORT, SUPPORT, "support-pw");
        g.setUser(SALES, SALES, "sales-pw");
        g.setUser(JANE, JANE, "jane-pw");
        return g;
    }
}
