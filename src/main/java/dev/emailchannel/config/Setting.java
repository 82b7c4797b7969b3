package dev.emailchannel.config;

/**
 * Every setting of the channel: its environment variable, the {@code application.properties} key that reads it, its
 * default and whether it takes one value per mailbox. The README's configuration table is checked against this list.
 */
public enum Setting {
    CHANNEL_NAME("channel.name", "email", Scope.CONNECTION, "Internal name of the connection"),
    CHANNEL_DESCRIPTION("channel.description", "", Scope.CONNECTION, "Internal reference"),
    EMAIL_PROVIDER("channel.email-provider", "", Scope.MAILBOX, "gmail, outlook or yahoo: fills the servers, ports and token URI (explicit values win)"),
    EMAIL_ADDRESS("channel.email-address", null, Scope.MAILBOX, "Mailbox addresses, comma-separated (required)"),
    EMAIL_PASSWORD("channel.email-password", "", Scope.MAILBOX_SECRET, "Account or app password (required unless OAuth)"),
    IMAP_SERVER("channel.imap-server", null, Scope.MAILBOX, "Incoming mail server (required)"),
    IMAP_PORT("channel.imap-port", "993", Scope.MAILBOX, "IMAP port, always SSL"),
    SMTP_SERVER("channel.smtp-server", null, Scope.MAILBOX, "Outgoing mail server (required)"),
    SMTP_PORT("channel.smtp-port", "587", Scope.MAILBOX, "SMTP port: 587 STARTTLS (required), 465 SSL"),
    SMTP_ENCRYPTION("channel.smtp-encryption", "auto", Scope.MAILBOX, "auto (465 SSL, 587 STARTTLS required, other ports as the server greets), ssl or starttls"),
    OAUTH_ENABLED("channel.oauth-enabled", "false", Scope.CONNECTION, "Sign in with OAuth 2.0 (XOAUTH2) instead of passwords"),
    OAUTH_REFRESH_TOKEN("channel.oauth-refresh-token", "", Scope.MAILBOX_SECRET, "One refresh token per mailbox"),
    OAUTH_TOKEN_URI("channel.oauth-token-uri", "", Scope.MAILBOX, "Token endpoint; empty means Google's"),
    OAUTH_CLIENT_ID("channel.oauth-client-id", "", Scope.MAILBOX, "OAuth client ID"),
    OAUTH_CLIENT_SECRET("channel.oauth-client-secret", "", Scope.MAILBOX_SECRET, "OAuth client secret"),
    CHECK_INTERVAL("channel.check-interval", "15", Scope.MAILBOX, "Seconds between inbox checks: the pickup without IDLE, the safety poll with it; several values: the smallest"),
    EMAIL_NAME("channel.email-name", "", Scope.MAILBOX, "Display name in the From header"),
    IMAP_MAILBOX("channel.imap-mailbox", "INBOX", Scope.MAILBOX, "Folder the channel reads"),
    MESSAGE_CONTENT_TYPE("channel.message-content-type", "text/plain", Scope.MAILBOX, "text/plain or text/html"),
    SMTP_SIGNATURE("channel.smtp-signature", "", Scope.CONNECTION, "Appended to every outgoing email; {{ sender_name }}, {{ sender_email }}"),
    EMAIL_MAX_ATTACHMENT_BYTES("channel.email-max-attachment-bytes", "10485760", Scope.CONNECTION, "Largest inbound file passed to the agent; 0 = no limit"),
    AGENT_URL("channel.agent-url", null, Scope.CONNECTION, "Agent endpoint: http(s) URL (JSON POST) or any Camel endpoint URI (required)"),
    AGENT_TOKEN("channel.agent-token", "", Scope.CONNECTION_SECRET, "Sent as Authorization: Bearer to the agent"),
    AGENT_SIGNING_SECRET("channel.agent-signing-secret", "", Scope.CONNECTION_SECRET, "Signs every agent call: X-Email-Channel-Signature, HMAC-SHA256 of timestamp and body"),
    INBOUND_ENABLED("channel.inbound-enabled", "true", Scope.CONNECTION, "false: no inbox polling, outbound only"),
    TRUSTED_AUTHSERV_IDS("channel.trusted-authserv-ids", "", Scope.CONNECTION, "Servers whose Authentication-Results (SPF, DKIM, DMARC) are believed, comma-separated; empty: those of EMAIL_PROVIDER"),
    CHANNEL_API_TOKEN("channel.api-token", "", Scope.CONNECTION_SECRET, "Bearer token of the HTTP API (required for the API)"),
    HTTP_PORT("channel.http-port", "8080", Scope.CONNECTION, "Port of the HTTP API, health and metrics"),
    DATABASE_URL("channel.database-url", "jdbc:h2:file:./data/email-channel", Scope.CONNECTION, "JDBC URL: embedded H2 file by default, or PostgreSQL"),
    DATABASE_USER("channel.database-user", "", Scope.CONNECTION, "Database user"),
    DATABASE_PASSWORD("channel.database-password", "", Scope.CONNECTION_SECRET, "Database password"),
    SECRETS_KEY("channel.secrets-key", "", Scope.CONNECTION_SECRET, "Encrypts stored OAuth refresh tokens (AES-256-GCM); new,old to rotate"),
    SESSION_IDLE_TIMEOUT("channel.session-idle-timeout", "P7D", Scope.CONNECTION, "ISO-8601 duration after which an idle session closes"),
    AUTOSTART("channel.autostart", "true", Scope.CONNECTION, "Start the channel when the process starts"),
    IMAP_IDLE("channel.imap-idle", "true", Scope.CONNECTION, "Push pickup with IMAP IDLE where the server offers it; false: poll at CHECK_INTERVAL only"),
    AGENT_CONCURRENCY("channel.agent-concurrency", "8", Scope.CONNECTION, "Agent calls at once: different customers in parallel, one customer's mails in order"),
    LOOP_GUARD_MAX_REPLIES("channel.loop-guard-max-replies", "30", Scope.CONNECTION, "Replies to one address per LOOP_GUARD_WINDOW before further replies are held"),
    LOOP_GUARD_WINDOW("channel.loop-guard-window", "PT10M", Scope.CONNECTION, "ISO-8601 duration the reply cap counts over"),
    CLUSTER_SERVICE("channel.cluster-service", "none", Scope.CONNECTION, "none (this instance watches every mailbox), zookeeper, kubernetes (Lease objects) or file (a lock directory shared by instances on one host)"),
    CLUSTER_NODES("channel.cluster-nodes", "", Scope.CONNECTION, "ZooKeeper connect string (host:port,…), or the lock directory for file"),
    CLUSTER_NAMESPACE("channel.cluster-namespace", "", Scope.CONNECTION, "Kubernetes namespace of the Lease objects (default: the pod's own)"),
    INSTANCE_ID("channel.instance-id", "", Scope.CONNECTION, "Name of this instance (default: host name and process id; kubernetes: the host name, which is the pod name)"),
    JIT_COMPILER("channel.jit-compiler", "auto", Scope.CONNECTION, "auto (C1 only on 1–2 processors, C2 still for the JDK's cryptography; the JVM's default on more), c1 or tiered (the JVM's default): which JIT compilers compile the channel; `bin/email-channel` adds the JVM options for C1 only; JVM options that choose them win");

    /** How a setting's value is read. */
    public enum Scope {
        CONNECTION, CONNECTION_SECRET, MAILBOX, MAILBOX_SECRET;

        public boolean perMailbox() {
            return this == MAILBOX || this == MAILBOX_SECRET;
        }

        public boolean secret() {
            return this == CONNECTION_SECRET || this == MAILBOX_SECRET;
        }
    }

    private final String propertyKey;
    private final String defaultValue;
    private final Scope scope;
    private final String description;

    Setting(String propertyKey, String defaultValue, Scope scope, String description) {
        this.propertyKey = propertyKey;
        this.defaultValue = defaultValue;
        this.scope = scope;
        this.description = description;
    }

    public String propertyKey() {
        return propertyKey;
    }

    /** null for a required setting, "" for an optional one without default. */
    public String defaultValue() {
        return defaultValue;
    }

    public Scope scope() {
        return scope;
    }

    public String description() {
        return description;
    }
}
