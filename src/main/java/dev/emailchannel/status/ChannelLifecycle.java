package dev.emailchannel.status;

import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.MailboxComponent;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.mailbox.SignInCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.emailchannel.cluster.MailboxLeadership;
import dev.emailchannel.cluster.OwnershipListener;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the connection: STOPPED → STARTING → RUNNING, or ERROR with a message naming the account and the
 * protocol. Start signs in to every mailbox over IMAP and SMTP; each mailbox enters its election
 * ({@link MailboxLeadership}; with {@code CLUSTER_SERVICE=none} this instance wins them all at once) as soon as its
 * IMAP sign-in worked, and the dispatch of the inbox starts once every sign-in did (else the channel gives the
 * mailboxes up again and turns ERROR). A mailbox this instance owns gets its pickup route from the
 * {@code mailbox-pickup} template, and loses it as soon as another instance takes the mailbox over. Stop gives every
 * mailbox up, then lets the dispatch finish the agent calls in flight. Sending (replies, outbound mail, the outbox)
 * does not depend on this state: each mailbox's runtime connects the same way whether the channel runs or not.
 */
public final class ChannelLifecycle implements OwnershipListener {

    public static final String TEMPLATE = "mailbox-pickup";
    /** The route that delivers the inbox's pending mail to the agent (routes/inbound.camel.yaml). */
    public static final String DISPATCH = "dispatch";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelLifecycle.class);

    private final LoadedSettings loaded;
    private final Mailboxes mailboxes;
    private final ChannelState state;
    private final CamelContext context;
    private final List<String> routeIds = new ArrayList<>();
    private MailboxLeadership leadership;
    /** Guards the every-mailbox-fails rule; not the lifecycle's own lock (pickup threads report while stop waits). */
    private final Object pickupHealth = new Object();
    private boolean pickupDown;

    public ChannelLifecycle(LoadedSettings loaded, Mailboxes mailboxes, ChannelState state, CamelContext context) {
        this.loaded = loaded;
        this.mailboxes = mailboxes;
        this.state = state;
        this.context = context;
    }

    /** The elections this lifecycle takes part in (made after it, since it is their listener). */
    public void leadership(MailboxLeadership leadership) {
        this.leadership = leadership;
    }

    /**
     * Starts the channel unless {@code AUTOSTART=false}; called once when the application has started.
     *
     * @param autostart the raw {@code AUTOSTART} value; empty means true
     */
    public void autostart(String autostart) {
        if (!"false".equalsIgnoreCase(autostart == null ? "" : autostart.trim())) {
            start();
        } else if (!loaded.valid()) {
            reportInvalidSettings();
        } else {
            LOG.info("AUTOSTART=false: the channel waits for POST /api/channel/start");
        }
    }

    public synchronized ChannelStatus start() {
        if (state.status() == ChannelStatus.RUNNING) {
            return state.status();
        }
        if (!loaded.valid()) {
            reportInvalidSettings();
            return state.status();
        }
        state.set(ChannelStatus.STARTING, null);
        List<Mailbox> all = mailboxes.all();
        boolean inbound = loaded.settings().inboundEnabled();
        LOG.info("Channel {} starting: signing in to {} mailbox(es) over IMAP and SMTP", loaded.settings().name(),
                all.size());
        // a mailbox enters its election (and, owned, gets its pickup) as soon as its IMAP sign-in worked, while SMTP
        // is still being checked: mail it stores meanwhile waits in the inbox, since the dispatch starts only once
        // every sign-in worked. Alone, the instance leaves the check's IMAP connection to the pickup, which then need
        // not sign in a second time; in a cluster most mailboxes go to other instances, and the check logs out
        List<String> problems = SignInCheck.check(all, imapSignIn(inbound),
                inbound ? m -> leadership.add(m.address()) : m -> { });
        if (!problems.isEmpty()) {
            problems.forEach(LOG::error);
            state.set(ChannelStatus.ERROR, String.join("; ", problems));
            giveUpMailboxes();
            return state.status();
        }
        if (inbound) {
            try {
                context.getRouteController().startRoute(DISPATCH);
            } catch (Exception e) {
                LOG.error("Channel could not start its inbound routes: {}", Problems.describe(e));
                state.set(ChannelStatus.ERROR, "inbound routes could not start: " + Problems.describe(e));
                giveUpMailboxes();
                return state.status();
            }
        } else {
            LOG.info("INBOUND_ENABLED=false: no inbox is watched; outbound email and the API work");
        }
        state.set(ChannelStatus.RUNNING, null);
        LOG.info("Channel {} RUNNING: checking {} every {} s", loaded.settings().name(),
                all.stream().map(m -> m.address() + "/" + m.settings().folder()).toList(),
                loaded.settings().checkIntervalSeconds());
        return state.status();
    }

    private SignInCheck.ImapSignIn imapSignIn(boolean inbound) {
        MailboxComponent component = (MailboxComponent) Objects.requireNonNull(
                context.hasComponent(MailboxComponent.SCHEME), "the mailbox: component is not in the context");
        Duration checkInterval = Duration.ofSeconds(loaded.settings().checkIntervalSeconds());
        boolean forPickup = inbound && leadership.alone();
        return m -> component.signIn(m, checkInterval, forPickup);
    }

    public synchronized ChannelStatus stop() {
        synchronized (pickupHealth) {
            pickupDown = false;
        }
        giveUpMailboxes();
        if (loaded.valid()) {
            state.set(ChannelStatus.STOPPED, null);
            LOG.info("Channel {} STOPPED", loaded.settings().name());
        }
        return state.status();
    }

    /**
     * A watched mailbox failed or recovered after the start. The connection stays RUNNING while any mailbox this
     * instance watches works (each failing mailbox shows its own error and retry time); it turns ERROR when every one
     * of them fails, and back to RUNNING when one recovers.
     */
    public void pickupHealthChanged() {
        synchronized (pickupHealth) {
            List<Mailbox> watched = mailboxes.all().stream().filter(m -> m.health().watched()).toList();
            boolean allFailing = !watched.isEmpty() && watched.stream().allMatch(m -> m.health().failing());
            ChannelStatus status = state.status();
            if (allFailing && status == ChannelStatus.RUNNING) {
                String errors = String.join("; ", watched.stream().map(m -> m.health().snapshot().error()).toList());
                pickupDown = true;
                state.set(ChannelStatus.ERROR, "every mailbox fails: " + errors);
                LOG.error("Channel {} ERROR: every mailbox it watches fails ({}); each is tried again on its own",
                        loaded.settings().name(), errors);
            } else if (!allFailing && pickupDown && status == ChannelStatus.ERROR) {
                pickupDown = false;
                state.set(ChannelStatus.RUNNING, null);
                LOG.info("Channel {} RUNNING again: a mailbox recovered", loaded.settings().name());
            }
        }
    }

    private void reportInvalidSettings() {
        loaded.problems().forEach(p -> LOG.error("Configuration: {}", p));
        state.set(ChannelStatus.ERROR, "Invalid configuration: " + loaded.problemText());
    }

    /** Leaves every mailbox's election, stops the pickup routes, then the dispatch. */
    private void giveUpMailboxes() {
        mailboxes.all().forEach(m -> leadership.remove(m.address()));
        removeRoutes();
    }

    /**
     * Under the routes' lock, not the lifecycle's: a mailbox is won while {@link #start()} still checks the other
     * sign-ins. A pickup added here after a start failed is removed again: the election reports the loss after the
     * win, in order.
     */
    @Override
    public void onBecomeOwner(String address) {
        Mailbox m = mailboxes.byAddress(address).orElse(null);
        synchronized (routeIds) {
            if (m == null || state.status() != ChannelStatus.RUNNING && state.status() != ChannelStatus.STARTING) {
                return;
            }
            try {
                addPickupRoute(m);
            } catch (Exception e) {
                LOG.error("{}: the pickup route could not start: {}", address, Problems.describe(e));
                m.health().failed("pickup route could not start: " + Problems.describe(e), null);
            }
        }
    }

    @Override
    public void onLoseOwnership(String address) {
        mailboxes.byAddress(address).ifPresent(m -> {
            synchronized (routeIds) {
                removePickupRoute("pickup-" + m.id(), m);
            }
        });
    }

    private void addPickupRoute(Mailbox m) throws Exception {
        String routeId = "pickup-" + m.id();
        // first: the pickup reports its mode (and any failure) from the engine's threads as soon as it connects,
        // possibly before the route is added and started here, and owned() clears both
        m.health().owned(leadership.instanceId());
        TemplatedRouteBuilder.builder(context, TEMPLATE)
                .routeId(routeId)
                .parameter("mailbox", m.id())
                .parameter("address", m.address())
                .parameter("checkInterval", String.valueOf(loaded.settings().checkIntervalSeconds()))
                .add();
        routeIds.add(routeId);
        context.getRouteController().startRoute(routeId);
    }

    private void removePickupRoute(String id, Mailbox m) {
        if (!routeIds.contains(id)) {
            return;
        }
        try {
            // promptly: another instance may take the mailbox over; a mail stored twice is stored once anyway
            context.getRouteController().stopRoute(id, 5, TimeUnit.SECONDS);
            context.removeRoute(id);
        } catch (Exception e) {
            LOG.warn("Could not stop route {}: {}", id, Problems.describe(e));
        }
        routeIds.remove(id);
        m.health().watched(null, null);
    }

    /** Pickup first (nothing new comes in), then dispatch, which lets the agent calls in flight finish. */
    private void removeRoutes() {
        synchronized (routeIds) {
            mailboxes.all().forEach(m -> removePickupRoute("pickup-" + m.id(), m));
        }
        try {
            context.getRouteController().stopRoute(DISPATCH);
        } catch (Exception e) {
            LOG.warn("Could not stop the dispatch route: {}", Problems.describe(e));
        }
    }
}
