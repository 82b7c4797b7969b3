package dev.emailchannel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.agent.AgentEndpoint;
import dev.emailchannel.agent.AgentRequestProcessor;
import dev.emailchannel.agent.AgentSignature;
import dev.emailchannel.agent.AgentResponseProcessor;
import dev.emailchannel.api.ApiCall;
import dev.emailchannel.api.ApiErrors;
import dev.emailchannel.api.ApiGate;
import dev.emailchannel.api.ChannelApi;
import dev.emailchannel.api.LogsApi;
import dev.emailchannel.api.OutboundApi;
import dev.emailchannel.api.RepliesApi;
import dev.emailchannel.api.SessionsApi;
import dev.emailchannel.api.InboxApi;
import dev.emailchannel.api.OutboxApi;
import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.cluster.ClusterServiceFactory;
import dev.emailchannel.cluster.MailboxLeadership;
import dev.emailchannel.config.ChannelSettings;
import dev.emailchannel.config.ClusterSettings;
import dev.emailchannel.config.ChannelSettingsParser;
import dev.emailchannel.config.InvalidSettingsException;
import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.config.Setting;
import dev.emailchannel.inbound.AutoReplyGuard;
import dev.emailchannel.inbound.AutoReplyProcessor;
import dev.emailchannel.inbound.InboundFailureProcessor;
import dev.emailchannel.inbound.ParseMailProcessor;
import dev.emailchannel.inbound.StoreInboundProcessor;
import dev.emailchannel.inbox.InboxComponent;
import dev.emailchannel.inbox.WorkSignal;
import dev.emailchannel.inbound.SessionProcessor;
import dev.emailchannel.mailbox.KnownUids;
import dev.emailchannel.mailbox.MailboxComponent;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.mime.MailParser;
import dev.emailchannel.oauth.JdbcRefreshTokenStore;
import dev.emailchannel.outbound.MailboxRotation;
import dev.emailchannel.outbound.OutboundMail;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.reply.LoopGuard;
import dev.emailchannel.runtime.CompilerChoice;
import dev.emailchannel.secrets.LogSecrets;
import dev.emailchannel.secrets.SecretsCipher;
import dev.emailchannel.trust.SenderAuthenticator;
import dev.emailchannel.trust.TrustedAuthservIds;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.session.Database;
import dev.emailchannel.session.ApiRequests;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.session.Transactions;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.status.ChannelLifecycle;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.ChannelReadiness;
import dev.emailchannel.status.PickupMonitor;
import dev.emailchannel.pickup.PickupEngine;
import dev.emailchannel.status.Tracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import dev.emailchannel.status.ChannelState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings from the properties (which read the environment variables), opens the
 * database, builds one runtime per mailbox and binds the beans the routes name, each with the collaborators it uses.
 * Invalid settings do not stop the application when the API can report them: the channel then shows ERROR, naming
 * each problem.
 */
public final class ChannelConfiguration implements CamelConfiguration {

    /** The name of an optional {@link Clock} bound before start, used in place of the system clock. */
    public static final String CLOCK_BEAN = "channelClock";

    /** Worker threads of the HTTP server (API, console, health, metrics). */
    static final int HTTP_WORKERS = 10;

    /**
     * The registry camel-micrometer-prometheus serves at {@code /observe/metrics}, for the channel's own meters.
     * camel-main may have set metrics up before this configuration runs: it then created and bound a registry of its
     * own, and a second one bound here would never be scraped. So the bound one is used when there is one.
     */
    static PrometheusMeterRegistry scrapedRegistry(CamelContext context) {
        PrometheusMeterRegistry bound = context.getRegistry().lookupByNameAndType(
                MicrometerConstants.METRICS_REGISTRY_NAME, PrometheusMeterRegistry.class);
        if (bound != null) {
            return bound;
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        return meters;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<Setting, String> source = settingsSource(context);
        // first: from here on no log line of any appender shows a configured secret
        LogSecrets.register(ChannelSettingsParser.secretValues(source));
        LoadedSettings loaded = load(source);
        ChannelSettings settings = loaded.settings();
        Secret apiToken = new Secret(value(source, Setting.CHANNEL_API_TOKEN));
        if (!loaded.valid() && apiToken.isEmpty()) {
            // nobody could read the ERROR status over the API: fail the start, naming every problem
            loaded.problems().forEach(p -> LoggerFactory.getLogger(ChannelConfiguration.class)
                    .error("Configuration: {}", p));
            throw new InvalidSettingsException(loaded.problems());
        }
        if (settings != null) {
            CompilerChoice.apply(settings.jitCompiler());
        }
        Database database = Database.open(value(source, Setting.DATABASE_URL), value(source, Setting.DATABASE_USER),
                value(source, Setting.DATABASE_PASSWORD));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                database.close();
            }
        }, true);

        Tracing.configure(context); // OpenTelemetry, when OTEL_* variables configure an exporter
        if (context.getRegistry().findSingleByType(VertxOptions.class) == null) {
            // the HTTP server (Vert.x, made when the context starts) runs API calls on worker threads: they are short,
            // so 10 serve the console and health checks, instead of Vert.x's 20 mostly idle threads
            context.getRegistry().bind("vertxOptions", new VertxOptions().setWorkerPoolSize(HTTP_WORKERS));
        }
        // the system clock; a test may bind another as "channelClock" to let hours pass (a provider's sending limit)
        Clock clock = Optional.ofNullable(context.getRegistry().lookupByNameAndType(CLOCK_BEAN, Clock.class))
                .orElseGet(Clock::systemUTC);
        ObjectMapper json = new ObjectMapper();
        PrometheusMeterRegistry meters = scrapedRegistry(context);
        ChannelMetrics metrics = new ChannelMetrics(meters);
        String name = loaded.valid() ? settings.name() : value(source, Setting.CHANNEL_NAME);
        ClusterSettings cluster = loaded.valid() ? settings.cluster()
                : new ClusterSettings(ClusterSettings.Service.NONE, List.of(), "",
                        ClusterSettings.defaultInstanceId(ClusterSettings.Service.NONE));
        String instance = cluster.instanceId();

        // one runtime per mailbox: its servers, TLS modes, sign-in and health; routes reach it as mailbox:<id>
        // rotated OAuth refresh tokens are stored encrypted when SECRETS_KEY is set
        Mailboxes mailboxes = Mailboxes.of(settings, new JdbcRefreshTokenStore(database.dataSource(),
                new SecretsCipher(loaded.valid() ? settings.encryptionKeys().stream().map(Secret::value).toList()
                        : List.of())));

        SessionStore sessions = new SessionStore(database.dataSource(), name,
                loaded.valid() ? settings.sessionIdleTimeout() : Duration.ofDays(7));
        Outbox outbox = new Outbox(database.dataSource());
        Inbox inbox = new Inbox(database.dataSource());
        ReplyComposer composer = new ReplyComposer(name, loaded.valid() ? settings.signature() : "");
        ChannelState state = new ChannelState();
        ChannelLifecycle lifecycle = new ChannelLifecycle(loaded, mailboxes, state, context);
        // pickup for every mailbox on a few shared threads: IMAP IDLE where offered, polling at CHECK_INTERVAL
        PickupEngine pickup = new PickupEngine();
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                pickup.close();
            }
        }, true);
        KnownUids stored = new KnownUids() {
            @Override
            public Set<Long> known(String mailbox, long uidValidity, List<Long> uids) {
                return inbox.knownUids(mailbox, uidValidity, uids);
            }

            @Override
            public Long highest(String mailbox, long uidValidity) {
                return inbox.highestUid(mailbox, uidValidity);
            }
        };
        context.addComponent(MailboxComponent.SCHEME, new MailboxComponent(mailboxes, pickup, stored,
                !loaded.valid() || settings.imapIdle(), new PickupMonitor(metrics, lifecycle)));
        // who watches which mailbox: one election per mailbox on the cluster service, or this instance alone
        Optional<CamelClusterService> clusterService = ClusterServiceFactory.create(cluster);
        clusterService.ifPresent(service -> {
            try {
                context.addService(service); // before the leadership: started before it, stopped after it
            } catch (Exception e) {
                throw new IllegalStateException("cannot add the cluster service: " + e.getMessage(), e);
            }
        });
        MailboxLeadership leadership = clusterService
                .map(s -> new MailboxLeadership(s, instance, lifecycle, meters, MailboxLeadership.Timing.DEFAULT))
                .orElseGet(() -> MailboxLeadership.standalone(instance, lifecycle, meters));
        context.addService(leadership);
        lifecycle.leadership(leadership);
        OutboxSender outboxSender = new OutboxSender(outbox, mailboxes, context.createProducerTemplate(), metrics,
                instance, clock);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                outboxSender.close();
            }
        }, true);
        OutboundMail outbound = new OutboundMail(new Transactions(database.dataSource()), sessions, composer,
                mailboxes, new MailboxRotation(database.dataSource(), name), clock);
        meters.gauge("email.channel.mails.pending", inbox, Inbox::pending);
        meters.gauge("email.channel.replies.held.waiting", outbox, o -> o.count(Outbox.HELD));

        Registry registry = context.getRegistry();
        registry.bind("channelState", state);
        HealthCheckRegistry.get(context).register(new ChannelReadiness(state));
        registry.bind("sessionStore", sessions);
        registry.bind("outbox", outbox);
        registry.bind("inbox", inbox);
        registry.bind("mailboxes", mailboxes);
        registry.bind("channelLifecycle", lifecycle);

        // inbound, pickup (routes/inbound.camel.yaml): each mailbox's new mail into the durable inbox
        WorkSignal work = new WorkSignal();
        registry.bind("storeInbound", new StoreInboundProcessor(inbox, name, work, metrics, clock));
        // inbound, dispatch: AGENT_CONCURRENCY mails at once to the agent, one customer's in order
        context.addComponent(InboxComponent.SCHEME, new InboxComponent(inbox, mailboxes.addresses(), instance,
                loaded.valid() ? settings.agentConcurrency() : 1, Duration.ofSeconds(10), work, clock));
        registry.bind("parseMail", new ParseMailProcessor(inbox, new MailParser(), new AutoReplyGuard(),
                new NewContentExtractor(), new SenderAuthenticator(loaded.valid() ? settings.trustedAuthservIds()
                        : TrustedAuthservIds.NONE), mailboxes.ownAddressKeys()));
        registry.bind("sessionLookup", new SessionProcessor(inbox, sessions,
                new AttachmentPolicy(loaded.valid() ? settings.maxAttachmentBytes() : 0), clock));
        registry.bind("autoReply", new AutoReplyProcessor(inbox, metrics, clock));
        registry.bind("agentRequest", new AgentRequestProcessor(new AgentEndpoint(name,
                loaded.valid() ? settings.agentUrl() : "", loaded.valid() ? settings.agentToken() : new Secret("")),
                json, loaded.valid() && !settings.agentSigningSecret().isEmpty()
                        ? new AgentSignature(settings.agentSigningSecret().value(), clock) : null));
        registry.bind("agentResponse", new AgentResponseProcessor(json, inbox, sessions, outbox, composer,
                loaded.valid() ? new LoopGuard(settings.loopGuardMaxReplies(), settings.loopGuardWindow())
                        : new LoopGuard(LoopGuard.DEFAULT_MAX_REPLIES, LoopGuard.DEFAULT_WINDOW),
                mailboxes, state, metrics, clock));
        registry.bind("inboundFailure", new InboundFailureProcessor(inbox, state, metrics, clock));

        // outgoing mail (routes/outbound.camel.yaml)
        registry.bind("outboxSender", outboxSender);

        // the HTTP API (routes/api.camel.yaml): authenticated before any route runs, errors as JSON
        ApiGate gate = new ApiGate(apiToken);
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                // the embedded server runs by now, and no route (none of the API's) has started yet
                if (event instanceof CamelEvent.CamelContextRoutesStartingEvent) {
                    gate.install(context);
                }
            }
        });
        registry.bind("apiCall", new ApiCall(gate));
        registry.bind("apiErrors", new ApiErrors(json));
        registry.bind("channelApi", new ChannelApi(loaded, mailboxes, state, lifecycle, leadership, json));
        registry.bind("sessionsApi", new SessionsApi(sessions, outbox, json, clock));
        registry.bind("repliesApi", new RepliesApi(sessions, outbound, outboxSender, outbox, mailboxes, loaded, json));
        registry.bind("outboundApi", new OutboundApi(outbound, outboxSender, outbox,
                new ApiRequests(database.dataSource()), loaded, json, clock));
        registry.bind("inboxApi", new InboxApi(inbox, work, json, clock));
        registry.bind("outboxApi", new OutboxApi(outbox, outboxSender, json, clock));
        registry.bind("logsApi", new LogsApi(json));
    }

    private static LoadedSettings load(Function<Setting, String> source) {
        try {
            return new LoadedSettings(ChannelSettingsParser.parse(source), List.of());
        } catch (InvalidSettingsException e) {
            return new LoadedSettings(null, e.problems());
        }
    }

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::(.*))?}}");

    /**
     * The raw value of each setting: the {@code channel.*} property, where a {@code {{env:NAME:default}}} placeholder
     * is read from the environment, and the environment variable itself when the property is missing. Values are
     * never placeholder-resolved by Camel, so a signature may contain {@code {{ sender_name }}}.
     */
    static Function<Setting, String> settingsSource(CamelContext context) {
        Properties raw = context.getPropertiesComponent().loadProperties(k -> k.startsWith("channel."));
        return setting -> {
            String value = raw.getProperty(setting.propertyKey());
            if (value == null) {
                return System.getenv(setting.name());
            }
            Matcher env = ENV_PLACEHOLDER.matcher(value.trim());
            if (env.matches()) {
                String fromEnv = System.getenv(env.group(1));
                return fromEnv != null ? fromEnv : env.group(2);
            }
            return value;
        };
    }

    private static String value(Function<Setting, String> source, Setting setting) {
        String v = source.apply(setting);
        return v == null || v.isBlank() ? setting.defaultValue() : v.trim();
    }
}
