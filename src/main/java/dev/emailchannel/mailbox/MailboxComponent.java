package dev.emailchannel.mailbox;

import dev.emailchannel.pickup.MailboxSource;
import dev.emailchannel.pickup.PickupEngine;
import jakarta.mail.MessagingException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code mailbox:} component: {@code from: mailbox:<id>} watches a mailbox (its consumer picks up new mail),
 * {@code to: mailbox:<id>} sends a mail from it over SMTP. Both connect through the mailbox's {@link Mailbox}
 * runtime, so routes name a mailbox and never its servers, TLS modes or credentials.
 */
public final class MailboxComponent extends DefaultComponent {

    public static final String SCHEME = "mailbox";

    private final Mailboxes mailboxes;
    private final PickupEngine engine;
    private final KnownUids knownUids;
    private final boolean idleEnabled;
    private final PickupEvents pickupEvents;
    /** Closes SMTP connections after the server accepted their mail; one thread, ended when idle. */
    private final ThreadPoolExecutor closer = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "smtp-quit");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param engine      the process's pickup engine (IDLE and polling on a few shared threads)
     * @param knownUids   the inbox's answer to "which of these UIDs do you hold already"
     * @param idleEnabled {@code IMAP_IDLE}
     */
    public MailboxComponent(Mailboxes mailboxes, PickupEngine engine, KnownUids knownUids, boolean idleEnabled,
            PickupEvents pickupEvents) {
        this.mailboxes = mailboxes;
        this.engine = engine;
        this.knownUids = knownUids;
        this.idleEnabled = idleEnabled;
        this.pickupEvents = pickupEvents;
        closer.allowCoreThreadTimeOut(true);
    }

    PickupEngine engine() {
        return engine;
    }

    /** How the pickup engine watches a mailbox. */
    MailboxSource source(Mailbox mailbox, Duration checkInterval) {
        return new MailboxSource(mailbox.id(), mailbox.address(), mailbox.settings().imapHost(),
                mailbox.settings().imapPort(), mailbox.settings().folder(), mailbox.imapProperties(),
                mailbox.authenticator(), mailbox::dropAccessToken, idleEnabled, checkInterval);
    }

    /**
     * The start's IMAP sign-in check of a mailbox ({@link SignInCheck.ImapSignIn}), through the pickup engine: with
     * {@code forPickup} the connection is left to the mailbox's pickup, which then need not sign in again
     * ({@link PickupEngine#signIn}); otherwise it is logged out ({@link PickupEngine#checkSignIn}).
     */
    public void signIn(Mailbox mailbox, Duration checkInterval, boolean forPickup) throws MessagingException {
        MailboxSource source = source(mailbox, checkInterval);
        if (forPickup) {
            engine.signIn(source);
        } else {
            engine.checkSignIn(source);
        }
    }

    KnownUids knownUids() {
        return knownUids;
    }

    boolean idleEnabled() {
        return idleEnabled;
    }

    PickupEvents pickupEvents() {
        return pickupEvents;
    }

    Executor closer() {
        return closer;
    }

    @Override
    protected void doStop() throws Exception {
        closer.shutdown();
        closer.awaitTermination(5, TimeUnit.SECONDS);
        super.doStop();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Mailbox mailbox = mailboxes.byId(remaining).or(() -> mailboxes.byAddress(remaining))
                .orElseThrow(() -> new IllegalArgumentException("mailbox:" + remaining
                        + " is not a mailbox of this connection (known: " + mailboxes.addresses() + ")"));
        MailboxEndpoint endpoint = new MailboxEndpoint(uri, this, mailbox);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
