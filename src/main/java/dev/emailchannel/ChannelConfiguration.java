package dev.emailchannel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.agent.AgentRequestProcessor;
import dev.emailchannel.agent.AgentResponseProcessor;
import dev.emailchannel.api.ApiAuthProcessor;
import dev.emailchannel.api.LogsApi;
import dev.emailchannel.api.OutboundApi;
import dev.emailchannel.api.SessionsApi;
import dev.emailchannel.outbound.MailboxRotation;
import dev.emailchannel.outbound.OutboundMail;
import dev.emailchannel.api.ChannelApi;
import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.config.ChannelSettings;
import dev.emailchannel.config.ChannelSettingsParser;
import dev.emailchannel.config.InvalidSettingsException;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.config.Setting;
import dev.emailchannel.connect.MailProtocols;
import dev.emailchannel.inbound.AutoReplyGuard;
import dev.emailchannel.inbound.AutoReplyProcessor;
import dev.emailchannel.inbound.InboundFailureProcessor;
import dev.emailchannel.inbound.MailboxPollStrategy;
import dev.emailchannel.inbound.ParseMailProcessor;
import dev.emailchannel.inbound.ReceiveMailProcessor;
import dev.emailchannel.inbound.SessionProcessor;
import dev.emailchannel.mime.MailParser;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.secrets.LogSecrets;
import dev.emailchannel.secrets.SecretsCipher;
import dev.emailchannel.reply.OutboxSender;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.session.Database;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.status.ChannelLifecycle;
import dev.emailchannel.status.ChannelState;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.camel.component.mail.MailAuthenticator;
import dev.emailchannel.oauth.JdbcRefreshTokenStore;
import dev.emailchannel.oauth.OAuthCredentials;
import dev.emailchannel.oauth.OAuthTokenProvider;
import dev.emailchannel.oauth.PasswordAuthenticator;
import dev.emailchannel.oauth.XOAuth2Authenticator;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the settings from the properties (which read the environment variables), opens the
 * database and binds every bean the routes refer to. Invalid settings do not stop the application: the channel then
 * reports ERROR over the API and in the log, naming each problem.
 */
public final class ChannelConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Function<Setting, String> source = settingsSource(context);
        // first: from here on no log line of any appender shows a configured secret
        LogSecrets.register(ChannelSettingsParser.secretValues(source));
        ChannelSettings settings = null;
        List<String> problems = List.of();
        try {
            settings = ChannelSettingsParser.parse(source);
        } catch (InvalidSettingsException e) {
            problems = e.problems();
        }
        if (!problems.isEmpty() && value(source, Setting.CHANNEL_API_TOKEN).isEmpty()) {
            // nobody could read the ERROR status over the API: fail the start, naming every problem
            problems.forEach(p -> LoggerFactory.getLogger(ChannelConfiguration.class).error("Configuration: {}", p));
            throw new InvalidSettingsException(problems);
        }
        String dbUrl = value(source, Setting.DATABASE_URL);
        Database database = Database.open(dbUrl, value(source, Setting.DATABASE_USER),
                value(source, Setting.DATABASE_PASSWORD));
        context.addService(new org.apache.camel.Service() {
            @Override
            public void start() {
            }

            @Override
            public void stop() {
                database.close();
            }
        }, true);

        Clock clock = Clock.systemUTC();
        String name = settings == null ? value(source, Setting.CHANNEL_NAME) : settings.name();
        Duration idle = settings == null ? Duration.ofDays(7) : settings.sessionIdleTimeout();
        Outbox outbox = new Outbox(database.dataSource());
        Map<String, MailAuthenticator> authenticators = new HashMap<>();
        Map<String, Consumer<Throwable>> authFailureHandlers = new HashMap<>();
        if (settings != null) {
            JdbcRefreshTokenStore rotatedTokens = new JdbcRefreshTokenStore(database.dataSource(),
                    new SecretsCipher(settings.encryptionKeys().stream().map(Secret::value).toList()));
            for (MailboxSettings m : settings.mailboxes()) {
                String address = m.address().address();
                if (m.usesOAuth()) {
                    XOAuth2Authenticator oauth = new XOAuth2Authenticator(address, new OAuthTokenProvider(
                            OAuthCredentials.of(address, m.oauth().tokenUri(), m.oauth().clientId(),
                                    m.oauth().clientSecret().value(), m.oauth().refreshToken().value()),
                            rotatedTokens));
                    authenticators.put(m.id(), oauth);
                    authFailureHandlers.put(m.id(), oauth::invalidateOnAuthenticationFailure);
                } else {
                    authenticators.put(m.id(), new PasswordAuthenticator(address, m.password().value()));
                }
            }
        }
        // a password, or an OAuth access token fetched (and refreshed ahead of expiry) when asked
        Function<MailboxSettings, String> secrets = m -> authenticators.get(m.id()).getPasswordAuthentication()
                .getPassword();
        Channel channel = new Channel(settings, problems, new Secret(value(source, Setting.CHANNEL_API_TOKEN)),
                database, new SessionStore(database.dataSource(), name, idle),
                new DeliveryLedger(database.dataSource(), outbox), outbox, new ChannelState(), new MailParser(),
                new AutoReplyGuard(), new NewContentExtractor(),
                new AttachmentPolicy(settings == null ? 0 : settings.maxAttachmentBytes()),
                new ReplyComposer(name, settings == null ? "" : settings.signature()), secrets, authFailureHandlers,
                new ObjectMapper(), clock);

        Registry registry = context.getRegistry();
        registry.bind(Channel.BEAN, channel);
        if (settings != null) {
            for (MailboxSettings m : settings.mailboxes()) {
                registry.bind(m.id() + "-authenticator", authenticators.get(m.id()));
                registry.bind(m.id() + "-imap-properties", MailProtocols.imap(m));
                // filled when the channel starts: finding the SMTP security of an unusual port asks the server
                registry.bind(m.id() + "-smtp-properties", new Properties());
                registry.bind(m.id() + "-poll-strategy", new MailboxPollStrategy(m.address().address(),
                        channel.state(), authFailureHandlers.getOrDefault(m.id(), cause -> { }), clock));
            }
        }
        ChannelLifecycle lifecycle = new ChannelLifecycle(channel, context);
        registry.bind("channelLifecycle", lifecycle);
        registry.bind("receiveMail", new ReceiveMailProcessor(channel));
        registry.bind("parseMail", new ParseMailProcessor(channel));
        registry.bind("sessionLookup", new SessionProcessor(channel));
        registry.bind("autoReply", new AutoReplyProcessor(channel));
        registry.bind("agentRequest", new AgentRequestProcessor(channel));
        registry.bind("agentResponse", new AgentResponseProcessor(channel));
        registry.bind("inboundFailure", new InboundFailureProcessor(channel));
        OutboxSender outboxSender = new OutboxSender(channel, context.createProducerTemplate());
        registry.bind("outboxSender", outboxSender);
        registry.bind("apiAuth", new ApiAuthProcessor(channel));
        registry.bind("channelApi", new ChannelApi(channel, lifecycle));
        // sessions, async replies, outbound email and campaigns, logs (routes/api.camel.yaml)
        OutboundMail outbound = new OutboundMail(channel, new MailboxRotation(database.dataSource(), name));
        registry.bind("sessionsApi", new SessionsApi(channel, outbound, outboxSender));
        registry.bind("outboundApi", new OutboundApi(channel, outbound, outboxSender));
        registry.bind("logsApi", new LogsApi(channel));
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
