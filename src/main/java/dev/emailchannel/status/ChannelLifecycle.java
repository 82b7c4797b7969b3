package dev.emailchannel.status;

import dev.emailchannel.Channel;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.connect.MailProtocols;
import dev.emailchannel.connect.SignInCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops the connection: STOPPED → STARTING → RUNNING, or ERROR with a message naming the account and the
 * protocol. Start signs in to every mailbox over IMAP and SMTP, then creates one inbound route per mailbox from the
 * {@code inbound-mailbox} route template. Stop removes those routes gracefully: in-flight exchanges finish first.
 */
public final class ChannelLifecycle {

    public static final String TEMPLATE = "inbound-mailbox";
    private static final Logger LOG = LoggerFactory.getLogger(ChannelLifecycle.class);

    private final Channel channel;
    private final CamelContext context;
    private final List<String> routeIds = new ArrayList<>();

    public ChannelLifecycle(Channel channel, CamelContext context) {
        this.channel = channel;
        this.context = context;
    }

    /**
     * Starts the channel unless {@code AUTOSTART=false}; called once when the application has started.
     *
     * @param autostart the raw {@code AUTOSTART} value; empty means true
     */
    public void autostart(String autostart) {
        if (!"false".equalsIgnoreCase(autostart == null ? "" : autostart.trim())) {
            start();
        } else if (!channel.configured()) {
            reportInvalidSettings();
        } else {
            LOG.info("AUTOSTART=false: the channel waits for POST /api/channel/start");
        }
    }

    public synchronized ChannelStatus start() {
        ChannelState state = channel.state();
        if (state.status() == ChannelStatus.RUNNING) {
            return state.status();
        }
        if (!channel.configured()) {
            reportInvalidSettings();
            return state.status();
        }
        state.set(ChannelStatus.STARTING, null);
        List<MailboxSettings> mailboxes = channel.settings().mailboxes();
        LOG.info("Channel {} starting: signing in to {} mailbox(es) over IMAP and SMTP", channel.settings().name(),
                mailboxes.size());
        for (MailboxSettings m : mailboxes) {
            Properties smtp = context.getRegistry().lookupByNameAndType(m.id() + "-smtp-properties", Properties.class);
            if (smtp != null) {
                smtp.clear();
                smtp.putAll(MailProtocols.smtp(m));
            }
        }
        List<String> problems = new SignInCheck(channel.secrets()).check(mailboxes);
        for (MailboxSettings m : mailboxes) {
            String address = m.address().address();
            boolean imapOk = problems.stream().noneMatch(p -> p.startsWith(address + ": IMAP"));
            boolean smtpOk = problems.stream().noneMatch(p -> p.startsWith(address + ": SMTP"));
            state.signIn(address, imapOk, smtpOk, imapOk && smtpOk ? null
                    : String.join("; ", problems.stream().filter(p -> p.startsWith(address + ":")).toList()));
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> LOG.error(p));
            state.set(ChannelStatus.ERROR, String.join("; ", problems));
            return state.status();
        }
        try {
            if (channel.settings().inboundEnabled()) {
                for (MailboxSettings m : mailboxes) {
                    addInboundRoute(m);
                }
            } else {
                LOG.info("INBOUND_ENABLED=false: no inbox is polled; outbound email and the API work");
            }
        } catch (Exception e) {
            LOG.error("Channel could not start its inbound routes: {}", SignInCheck.describe(e));
            state.set(ChannelStatus.ERROR, "inbound routes could not start: " + SignInCheck.describe(e));
            removeRoutes();
            return state.status();
        }
        state.set(ChannelStatus.RUNNING, null);
        LOG.info("Channel {} RUNNING: checking {} every {} s", channel.settings().name(),
                mailboxes.stream().map(m -> m.address().address() + "/" + m.folder()).toList(),
                channel.settings().checkIntervalSeconds());
        return state.status();
    }

    public synchronized ChannelStatus stop() {
        removeRoutes();
        if (channel.configured()) {
            channel.state().set(ChannelStatus.STOPPED, null);
            LOG.info("Channel {} STOPPED", channel.settings().name());
        }
        return channel.state().status();
    }

    private void reportInvalidSettings() {
        channel.settingsProblems().forEach(p -> LOG.error("Configuration: {}", p));
        channel.state().set(ChannelStatus.ERROR, "Invalid configuration: "
                + String.join("; ", channel.settingsProblems()));
    }

    private void addInboundRoute(MailboxSettings m) throws Exception {
        String routeId = "inbound-" + m.id();
        TemplatedRouteBuilder.builder(context, TEMPLATE)
                .routeId(routeId)
                .parameter("mailboxId", m.id())
                .parameter("address", m.address().address())
                .parameter("host", m.imapHost())
                .parameter("port", String.valueOf(m.imapPort()))
                .parameter("folder", m.folder())
                .parameter("delay", String.valueOf(channel.settings().checkIntervalSeconds() * 1000L))
                .add();
        routeIds.add(routeId);
        context.getRouteController().startRoute(routeId);
    }

    private void removeRoutes() {
        for (String id : List.copyOf(routeIds)) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Could not stop route {}: {}", id, SignInCheck.describe(e));
            }
            routeIds.remove(id);
        }
    }
}
