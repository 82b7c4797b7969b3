package dev.emailchannel.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail on 127.0.0.1 for end-to-end tests: plain SMTP and IMAP for the customer's client, SMTPS and IMAPS (with
 * the {@link TestTls} certificate) for the channel; mailboxes support@ and sales@acme.test and the customer
 * jane@example.com. Port 0 means a free port.
 */
public final class AcmeMailServers {

    public static final String SUPPORT = "support@acme.test";
    public static final String SALES = "sales@acme.test";
    public static final String JANE = "jane@example.com";

    private AcmeMailServers() {
    }

    public static GreenMail start() {
        return start(0, 0, 0);
    }

    /** Fixed ports let a test stop the servers and bring them back where the channel expects them. */
    public static GreenMail start(int smtpPort, int smtpsPort, int imapsPort) {
        TestTls.install();
        GreenMail g = new GreenMail(new ServerSetup[] {
            new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(smtpsPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(imapsPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAPS)});
        g.start();
        g.setUser(SUPPORT, SUPPORT, "support-pw");
        g.setUser(SALES, SALES, "sales-pw");
        g.setUser(JANE, JANE, "jane-pw");
        return g;
    }
}
