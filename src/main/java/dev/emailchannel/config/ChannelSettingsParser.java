package dev.emailchannel.config;

import dev.emailchannel.mime.EmailAddress;
import dev.emailchannel.oauth.ProviderPreset;
import dev.emailchannel.secrets.SecretsCipher;
import dev.emailchannel.secrets.UrlCredentials;
import dev.emailchannel.trust.TrustedAuthservIds;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the settings of a connection and applies the multi-mailbox rules of the guide: comma-separated values in
 * address order, the last value repeats when a field has fewer values than addresses, {@code \,} is a literal comma,
 * whitespace around values is trimmed. Every problem is collected, so the operator sees all of them at once, each
 * naming the field and, where it matters, the mailbox.
 */
public final class ChannelSettingsParser {

    private static final Set<String> CONTENT_TYPES = Set.of("text/plain", "text/html");
    private static final Pattern ZOOKEEPER_NODE = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}|\\[[0-9A-Fa-f:.]+]:[0-9]{1,5}");
    private static final Pattern KUBERNETES_NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final Function<Setting, String> source;
    private final List<String> problems = new ArrayList<>();

    private ChannelSettingsParser(Function<Setting, String> source) {
        this.source = source;
    }

    /**
     * @param source the raw value of a setting, null or blank when it is not set
     * @throws InvalidSettingsException listing every problem found
     */
    public static ChannelSettings parse(Function<Setting, String> source) {
        return new ChannelSettingsParser(source).parse();
    }

    private ChannelSettings parse() {
        List<String> addressValues = split(raw(Setting.EMAIL_ADDRESS));
        List<EmailAddress> addresses = new ArrayList<>(); // null where a value is not a valid address
        if (addressValues.isEmpty()) {
            problems.add("EMAIL_ADDRESS is required");
        }
        for (String value : addressValues) {
            EmailAddress address = address(value);
            if (address != null && addresses.stream().anyMatch(a -> a != null && a.key().equals(address.key()))) {
                problems.add("EMAIL_ADDRESS: " + value + " is listed twice");
            }
            addresses.add(address);
        }
        int count = addressValues.size();
        boolean oauth = bool(Setting.OAUTH_ENABLED);

        List<String> providers = perMailbox(Setting.EMAIL_PROVIDER, count);
        List<String> passwords = perMailbox(Setting.EMAIL_PASSWORD, count);
        List<String> imapHosts = perMailbox(Setting.IMAP_SERVER, count);
        List<String> imapPorts = perMailbox(Setting.IMAP_PORT, count);
        List<String> smtpHosts = perMailbox(Setting.SMTP_SERVER, count);
        List<String> smtpPorts = perMailbox(Setting.SMTP_PORT, count);
        List<String> encryptions = perMailbox(Setting.SMTP_ENCRYPTION, count);
        List<String> refreshTokens = perMailbox(Setting.OAUTH_REFRESH_TOKEN, count);
        List<String> tokenUris = perMailbox(Setting.OAUTH_TOKEN_URI, count);
        List<String> clientIds = perMailbox(Setting.OAUTH_CLIENT_ID, count);
        List<String> clientSecrets = perMailbox(Setting.OAUTH_CLIENT_SECRET, count);
        List<String> names = perMailbox(Setting.EMAIL_NAME, count);
        List<String> folders = perMailbox(Setting.IMAP_MAILBOX, count);
        List<String> contentTypes = perMailbox(Setting.MESSAGE_CONTENT_TYPE, count);
        int checkInterval = checkInterval(count);

        if (oauth && split(raw(Setting.EMAIL_PASSWORD)).stream().anyMatch(p -> !p.isEmpty())) {
            problems.add("EMAIL_PASSWORD: password and OAuth mailboxes cannot share one connection"
                    + " (leave EMAIL_PASSWORD empty when OAUTH_ENABLED=true)");
        }

        List<MailboxSettings> mailboxes = new ArrayList<>();
        Set<ProviderPreset> presets = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            String who = addressValues.get(i);
            ProviderPreset preset = preset(providers.get(i), who);
            if (preset != null) {
                presets.add(preset);
                imapHosts.set(i, imapHosts.get(i).isEmpty() ? preset.imapHost() : imapHosts.get(i));
                smtpHosts.set(i, smtpHosts.get(i).isEmpty() ? preset.smtpHost() : smtpHosts.get(i));
                tokenUris.set(i, tokenUris.get(i).isEmpty() ? preset.tokenUri().toString() : tokenUris.get(i));
            }
            String imapHost = required(Setting.IMAP_SERVER, imapHosts.get(i), who);
            String smtpHost = required(Setting.SMTP_SERVER, smtpHosts.get(i), who);
            int imapPort = port(Setting.IMAP_PORT, imapPorts.get(i), who);
            int smtpPort = port(Setting.SMTP_PORT, smtpPorts.get(i), who);
            MailboxSettings.SmtpEncryption encryption = encryption(encryptions.get(i), who);
            String contentType = contentTypes.get(i).toLowerCase(Locale.ROOT);
            if (!CONTENT_TYPES.contains(contentType)) {
                problems.add(who + ": MESSAGE_CONTENT_TYPE \"" + contentTypes.get(i)
                        + "\" is not supported (use text/plain or text/html)");
            }
            OAuthSettings oauthSettings = null;
            if (oauth) {
                required(Setting.OAUTH_REFRESH_TOKEN, refreshTokens.get(i), who);
                required(Setting.OAUTH_CLIENT_ID, clientIds.get(i), who);
                required(Setting.OAUTH_CLIENT_SECRET, clientSecrets.get(i), who);
                String tokenUri = tokenUris.get(i).isEmpty() ? OAuthSettings.GOOGLE_TOKEN_URI : tokenUris.get(i);
                if (!tokenUri.startsWith("https://") && !tokenUri.startsWith("http://")) {
                    problems.add(who + ": OAUTH_TOKEN_URI \"" + tokenUri + "\" is not an http(s) URL");
                }
                oauthSettings = new OAuthSettings(new Secret(refreshTokens.get(i)), clientIds.get(i),
                        new Secret(clientSecrets.get(i)), tokenUri);
            } else if (passwords.get(i).isEmpty()) {
                problems.add(who + ": EMAIL_PASSWORD is required (or set OAUTH_ENABLED=true with OAuth credentials)");
            }
            String folder = folders.get(i).isEmpty() ? "INBOX" : folders.get(i);
            if (addresses.get(i) == null) {
                continue;
            }
            mailboxes.add(new MailboxSettings(i, addresses.get(i), new Secret(oauth ? "" : passwords.get(i)),
                    imapHost, imapPort, smtpHost, smtpPort, encryption, names.get(i).isEmpty() ? null : names.get(i), folder,
                    contentType, oauthSettings));
        }

        long maxBytes = number(Setting.EMAIL_MAX_ATTACHMENT_BYTES, single(Setting.EMAIL_MAX_ATTACHMENT_BYTES), 0,
                Long.MAX_VALUE, null);
        String agentUrl = single(Setting.AGENT_URL);
        if (agentUrl.isEmpty()) {
            problems.add("AGENT_URL is required");
        } else if (!agentUrl.matches("[A-Za-z][A-Za-z0-9+.-]*:.+")) {
            problems.add("AGENT_URL \"" + agentUrl + "\" is not a URL or Camel endpoint URI");
        }
        Duration idle = duration(Setting.SESSION_IDLE_TIMEOUT);
        boolean inbound = bool(Setting.INBOUND_ENABLED);
        boolean imapIdle = bool(Setting.IMAP_IDLE);
        int concurrency = (int) number(Setting.AGENT_CONCURRENCY, single(Setting.AGENT_CONCURRENCY), 1, 256, null);
        int maxReplies = (int) number(Setting.LOOP_GUARD_MAX_REPLIES, single(Setting.LOOP_GUARD_MAX_REPLIES), 1,
                100_000, null);
        Duration loopWindow = duration(Setting.LOOP_GUARD_WINDOW);
        ClusterSettings cluster = cluster();
        TrustedAuthservIds trusted = TrustedAuthservIds.NONE;
        try {
            trusted = TrustedAuthservIds.of(single(Setting.TRUSTED_AUTHSERV_IDS), presets);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        List<Secret> encryptionKeys = encryptionKeys();
        JitCompiler jitCompiler = JitCompiler.AUTO;
        try {
            jitCompiler = JitCompiler.parse(single(Setting.JIT_COMPILER));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new ChannelSettings(single(Setting.CHANNEL_NAME), single(Setting.CHANNEL_DESCRIPTION), mailboxes,
                checkInterval, single(Setting.SMTP_SIGNATURE), maxBytes, agentUrl,
                new Secret(single(Setting.AGENT_TOKEN)), inbound, new Secret(single(Setting.CHANNEL_API_TOKEN)), idle,
                imapIdle, concurrency, maxReplies, loopWindow, cluster,
                trusted, new Secret(single(Setting.AGENT_SIGNING_SECRET)), encryptionKeys, jitCompiler);
    }

    /** SPEC §9: which coordination service, its servers or lock directory, and this instance's name. */
    private ClusterSettings cluster() {
        String name = single(Setting.CLUSTER_SERVICE);
        ClusterSettings.Service service;
        try {
            service = ClusterSettings.Service.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("CLUSTER_SERVICE \"" + name + "\" is not supported (use none, zookeeper, kubernetes or file)");
            service = ClusterSettings.Service.NONE;
        }
        String nodesValue = single(Setting.CLUSTER_NODES);
        List<String> nodes = split(nodesValue).stream().filter(n -> !n.isEmpty()).toList();
        switch (service) {
            case ZOOKEEPER -> {
                if (nodes.isEmpty()) {
                    problems.add("CLUSTER_NODES is required with CLUSTER_SERVICE=zookeeper (the ZooKeeper servers as host:port,...)");
                }
                for (int i = 0; i < nodes.size(); i++) {
                    // a chroot path may follow the last server: host1:2181,host2:2181/email-channel
                    String node = i == nodes.size() - 1 ? nodes.get(i).replaceFirst("/.*$", "") : nodes.get(i);
                    if (!ZOOKEEPER_NODE.matcher(node).matches() || !validPort(node.substring(node.lastIndexOf(':') + 1))) {
                        problems.add("CLUSTER_NODES: \"" + nodes.get(i) + "\" is not a ZooKeeper server as host:port");
                    }
                }
            }
            case FILE -> {
                if (nodesValue.isEmpty()) {
                    problems.add("CLUSTER_NODES is required with CLUSTER_SERVICE=file (the lock directory the instances share)");
                }
                nodes = nodesValue.isEmpty() ? List.of() : List.of(nodesValue);
            }
            default -> {
                if (!nodesValue.isEmpty()) {
                    problems.add("CLUSTER_NODES is set but CLUSTER_SERVICE is " + service.name().toLowerCase(Locale.ROOT)
                            + " (it is read only with zookeeper or file)");
                }
                nodes = List.of();
            }
        }
        String namespace = single(Setting.CLUSTER_NAMESPACE);
        if (!namespace.isEmpty() && service != ClusterSettings.Service.KUBERNETES) {
            problems.add("CLUSTER_NAMESPACE is set but CLUSTER_SERVICE is " + service.name().toLowerCase(Locale.ROOT)
                    + " (it is read only with kubernetes)");
        } else if (!namespace.isEmpty() && !KUBERNETES_NAMESPACE.matcher(namespace).matches()) {
            problems.add("CLUSTER_NAMESPACE \"" + namespace + "\" is not a Kubernetes namespace name"
                    + " (lower-case letters, digits and -, at most 63)");
        }
        String instanceId = single(Setting.INSTANCE_ID);
        if (instanceId.isEmpty()) {
            instanceId = ClusterSettings.defaultInstanceId(service);
        } else if (!INSTANCE_ID.matcher(instanceId).matches()) {
            problems.add("INSTANCE_ID \"" + instanceId + "\" may contain only letters, digits and . _ - : @ (at most 128)");
        }
        return new ClusterSettings(service, nodes, namespace, instanceId);
    }

    private static boolean validPort(String value) {
        try {
            int port = Integer.parseInt(value);
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Every secret of the settings as the channel uses it, for log masking: each secret setting whole and (split)
     * each mailbox's own value, and the credentials written into {@code DATABASE_URL} and {@code AGENT_URL}. Read
     * from the raw values, so it works also when the settings are invalid.
     */
    public static List<String> secretValues(Function<Setting, String> source) {
        Set<String> secrets = new LinkedHashSet<>();
        for (Setting setting : Setting.values()) {
            String value = setting.scope().secret() ? source.apply(setting) : null;
            if (value != null && !value.isBlank()) {
                secrets.add(value.trim());
                split(value).stream().filter(v -> !v.isEmpty()).forEach(secrets::add);
            }
        }
        secrets.addAll(UrlCredentials.in(source.apply(Setting.DATABASE_URL)));
        secrets.addAll(UrlCredentials.in(source.apply(Setting.AGENT_URL)));
        return List.copyOf(secrets);
    }

    /** {@code SECRETS_KEY}: comma-separated, the first one encrypts; each long enough to be a key, not a word. */
    private List<Secret> encryptionKeys() {
        List<String> values = split(raw(Setting.SECRETS_KEY));
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).length() < SecretsCipher.MIN_KEY_LENGTH) {
                problems.add("SECRETS_KEY: key " + (i + 1) + " of " + values.size() + " has " + values.get(i).length()
                        + " characters; use at least " + SecretsCipher.MIN_KEY_LENGTH
                        + " random ones (openssl rand -base64 32)");
            }
        }
        return values.stream().map(Secret::new).toList();
    }

    /** Splits on commas that are not escaped as {@code \,}; trims every value. */
    public static List<String> split(String raw) {
        List<String> values = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return values;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() && raw.charAt(i + 1) == ',') {
                current.append(',');
                i++;
            } else if (c == ',') {
                values.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString().trim());
        return values;
    }

    private String raw(Setting setting) {
        String value = source.apply(setting);
        return value == null ? "" : value;
    }

    /** A connection-wide value, trimmed, with its default; never split (a signature may contain commas). */
    private String single(Setting setting) {
        String value = raw(setting).trim();
        if (value.isEmpty() && setting.defaultValue() != null) {
            return setting.defaultValue();
        }
        return value;
    }

    /** One value per mailbox: the last value repeats, missing values take the default ("" when none). */
    private List<String> perMailbox(Setting setting, int count) {
        List<String> values = split(raw(setting));
        if (values.size() > Math.max(count, 1)) {
            problems.add(setting.name() + " has " + values.size() + " values but EMAIL_ADDRESS has " + count);
        }
        String fallback = setting.defaultValue() == null ? "" : setting.defaultValue();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String value = values.isEmpty() ? "" : values.get(Math.min(i, values.size() - 1));
            out.add(value.isEmpty() ? fallback : value);
        }
        return out;
    }

    private EmailAddress address(String value) {
        if (value.isEmpty()) {
            problems.add("EMAIL_ADDRESS has an empty value");
            return null;
        }
        try {
            InternetAddress parsed = new InternetAddress(value, true);
            if (parsed.getPersonal() != null || !value.equals(parsed.getAddress()) || !value.contains("@")
                    || value.endsWith("@") || value.startsWith("@")) {
                throw new AddressException("not a bare address");
            }
            return EmailAddress.of(value);
        } catch (AddressException e) {
            problems.add("EMAIL_ADDRESS: \"" + value + "\" is not a valid email address");
            return null;
        }
    }

    private ProviderPreset preset(String name, String who) {
        if (name.isEmpty()) {
            return null;
        }
        try {
            return ProviderPreset.byName(name);
        } catch (IllegalArgumentException e) {
            problems.add(who + ": EMAIL_PROVIDER: " + e.getMessage());
            return null;
        }
    }

    private MailboxSettings.SmtpEncryption encryption(String value, String who) {
        try {
            return MailboxSettings.SmtpEncryption.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(who + ": SMTP_ENCRYPTION \"" + value + "\" is not supported (use auto, ssl or starttls)");
            return MailboxSettings.SmtpEncryption.AUTO;
        }
    }

    private String required(Setting setting, String value, String who) {
        if (value.isEmpty()) {
            problems.add(who + ": " + setting.name() + " is required");
        }
        return value;
    }

    private int port(Setting setting, String value, String who) {
        return (int) number(setting, value, 1, 65535, who);
    }

    private long number(Setting setting, String value, long min, long max, String who) {
        String prefix = who == null ? "" : who + ": ";
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > max) {
                problems.add(prefix + setting.name() + " " + value + " is out of range (" + min + "-"
                        + (max == Long.MAX_VALUE ? "" : max) + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(prefix + setting.name() + " \"" + value + "\" is not a number");
            return 0;
        }
    }

    private int checkInterval(int count) {
        List<String> values = split(raw(Setting.CHECK_INTERVAL));
        if (values.size() > Math.max(count, 1)) {
            problems.add("CHECK_INTERVAL has " + values.size() + " values but EMAIL_ADDRESS has " + count);
        }
        long smallest = Long.MAX_VALUE;
        for (String value : values) {
            if (!value.isEmpty()) {
                smallest = Math.min(smallest, number(Setting.CHECK_INTERVAL, value, 1, 86400, null));
            }
        }
        return smallest == Long.MAX_VALUE ? Integer.parseInt(Setting.CHECK_INTERVAL.defaultValue()) : (int) smallest;
    }

    private boolean bool(Setting setting) {
        String value = single(setting).toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        problems.add(setting.name() + " \"" + single(setting) + "\" must be true or false");
        return false;
    }

    private Duration duration(Setting setting) {
        String value = single(setting);
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                problems.add(setting.name() + " \"" + value + "\" must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(setting.name() + " \"" + value + "\" is not an ISO-8601 duration such as P7D or PT12H");
            return Duration.ofDays(7);
        }
    }
}
