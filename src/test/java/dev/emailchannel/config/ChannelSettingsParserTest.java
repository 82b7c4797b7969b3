package dev.emailchannel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChannelSettingsParserTest {

    private static Map<String, String> valid() {
        Map<String, String> env = new HashMap<>();
        env.put("EMAIL_ADDRESS", "sales@acme.test");
        env.put("EMAIL_PASSWORD", "secret");
        env.put("IMAP_SERVER", "imap.acme.test");
        env.put("SMTP_SERVER", "smtp.acme.test");
        env.put("AGENT_URL", "http://agent.local/events");
        return env;
    }

    private static ChannelSettings parse(Map<String, String> env) {
        return ChannelSettingsParser.parse(s -> env.get(s.name()));
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> env = valid();
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) {
                env.remove(keyValues[i]);
            } else {
                env.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return env;
    }

    @Test
    void should_apply_the_documented_defaults() {
        ChannelSettings s = parse(valid());
        MailboxSettings m = s.mailboxes().get(0);
        assertThat(s.name()).isEqualTo("email");
        assertThat(s.description()).isEmpty();
        assertThat(m.imapPort()).isEqualTo(993);
        assertThat(m.smtpPort()).isEqualTo(587);
        assertThat(m.folder()).isEqualTo("INBOX");
        assertThat(m.contentType()).isEqualTo("text/plain");
        assertThat(m.displayName()).isNull();
        assertThat(m.usesOAuth()).isFalse();
        assertThat(s.checkIntervalSeconds()).isEqualTo(15);
        assertThat(s.maxAttachmentBytes()).isEqualTo(10_485_760L);
        assertThat(s.inboundEnabled()).isTrue();
        assertThat(s.sessionIdleTimeout()).isEqualTo(Duration.ofDays(7));
        assertThat(s.signature()).isEmpty();
        assertThat(s.jitCompiler()).isEqualTo(JitCompiler.AUTO);
        assertThat(parse(with("JIT_COMPILER", "C1")).jitCompiler()).isEqualTo(JitCompiler.C1);
        assertThat(parse(with("JIT_COMPILER", " tiered ")).jitCompiler()).isEqualTo(JitCompiler.TIERED);
    }

    @Test
    void should_repeat_the_last_value_when_a_field_has_fewer_values_than_addresses() {
        ChannelSettings s = parse(with("EMAIL_ADDRESS", "sales@acme.test, support@acme.test,billing@acme.test",
                "EMAIL_PASSWORD", "a,b,c", "IMAP_PORT", "993, 994", "EMAIL_NAME", "Sales,Support"));
        assertThat(s.mailboxes()).hasSize(3);
        assertThat(s.mailboxes()).extracting(m -> m.address().address())
                .containsExactly("sales@acme.test", "support@acme.test", "billing@acme.test");
        assertThat(s.mailboxes()).extracting(MailboxSettings::imapHost).containsOnly("imap.acme.test");
        assertThat(s.mailboxes()).extracting(MailboxSettings::imapPort).containsExactly(993, 994, 994);
        assertThat(s.mailboxes()).extracting(MailboxSettings::displayName)
                .containsExactly("Sales", "Support", "Support");
        assertThat(s.mailboxes()).extracting(m -> m.password().value()).containsExactly("a", "b", "c");
    }

    @Test
    void should_use_the_smallest_check_interval() {
        assertThat(parse(with("EMAIL_ADDRESS", "a@x.test,b@x.test", "CHECK_INTERVAL", "30, 5")).checkIntervalSeconds())
                .isEqualTo(5);
    }

    @Test
    void should_read_escaped_commas_and_keep_other_special_characters() {
        ChannelSettings s = parse(with("EMAIL_PASSWORD", "p+w#d%1\\,x\\y"));
        assertThat(s.mailboxes().get(0).password().value()).isEqualTo("p+w#d%1,x\\y");
    }

    @Test
    void should_never_split_the_signature_or_the_size_limit() {
        ChannelSettings s = parse(with("EMAIL_ADDRESS", "a@x.test,b@x.test", "SMTP_SIGNATURE",
                "Best, {{ sender_name }}, Acme", "EMAIL_MAX_ATTACHMENT_BYTES", "0"));
        assertThat(s.signature()).isEqualTo("Best, {{ sender_name }}, Acme");
        assertThat(s.maxAttachmentBytes()).isZero();
    }

    @Test
    void should_mask_secrets_in_every_string_form() {
        ChannelSettings s = parse(with("AGENT_TOKEN", "agent-secret"));
        assertThat(s.toString()).doesNotContain("secret").doesNotContain("agent-secret");
        assertThat(s.mailboxes().get(0).password().masked()).isEqualTo("********");
    }

    @Test
    void should_configure_oauth_mailboxes_with_google_as_default_token_uri() {
        ChannelSettings s = parse(with("EMAIL_PASSWORD", null, "OAUTH_ENABLED", "true", "OAUTH_REFRESH_TOKEN", "r1",
                "OAUTH_CLIENT_ID", "id", "OAUTH_CLIENT_SECRET", "cs"));
        MailboxSettings m = s.mailboxes().get(0);
        assertThat(m.usesOAuth()).isTrue();
        assertThat(m.oauth().tokenUri()).isEqualTo("https://oauth2.googleapis.com/token");
        assertThat(m.oauth().refreshToken().value()).isEqualTo("r1");
    }

    @Test
    void should_fill_servers_and_token_uri_from_a_provider_preset_unless_given() {
        ChannelSettings s = parse(with("EMAIL_PROVIDER", "outlook", "IMAP_SERVER", null, "SMTP_SERVER", "relay.acme.test",
                "EMAIL_PASSWORD", null, "OAUTH_ENABLED", "true", "OAUTH_REFRESH_TOKEN", "r", "OAUTH_CLIENT_ID", "i",
                "OAUTH_CLIENT_SECRET", "c"));
        MailboxSettings m = s.mailboxes().get(0);
        assertThat(m.imapHost()).isEqualTo("outlook.office365.com");
        assertThat(m.smtpHost()).isEqualTo("relay.acme.test");
        assertThat(m.oauth().tokenUri()).contains("login.microsoftonline.com");
    }

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of(with("EMAIL_ADDRESS", null), "EMAIL_ADDRESS is required"),
                Arguments.of(with("EMAIL_ADDRESS", "not-an-address"),
                        "EMAIL_ADDRESS: \"not-an-address\" is not a valid email address"),
                Arguments.of(with("EMAIL_ADDRESS", "a@x.test,a@x.test", "EMAIL_PASSWORD", "p"),
                        "EMAIL_ADDRESS: a@x.test is listed twice"),
                Arguments.of(with("EMAIL_PASSWORD", null),
                        "sales@acme.test: EMAIL_PASSWORD is required (or set OAUTH_ENABLED=true with OAuth credentials)"),
                Arguments.of(with("IMAP_SERVER", null), "sales@acme.test: IMAP_SERVER is required"),
                Arguments.of(with("SMTP_SERVER", " "), "sales@acme.test: SMTP_SERVER is required"),
                Arguments.of(with("IMAP_PORT", "99x"), "sales@acme.test: IMAP_PORT \"99x\" is not a number"),
                Arguments.of(with("SMTP_PORT", "70000"), "sales@acme.test: SMTP_PORT 70000 is out of range (1-65535)"),
                Arguments.of(with("SMTP_PORT", "587,465"), "SMTP_PORT has 2 values but EMAIL_ADDRESS has 1"),
                Arguments.of(with("CHECK_INTERVAL", "0"), "CHECK_INTERVAL 0 is out of range (1-86400)"),
                Arguments.of(with("CHECK_INTERVAL", "soon"), "CHECK_INTERVAL \"soon\" is not a number"),
                Arguments.of(with("MESSAGE_CONTENT_TYPE", "text/markdown"),
                        "sales@acme.test: MESSAGE_CONTENT_TYPE \"text/markdown\" is not supported (use text/plain or text/html)"),
                Arguments.of(with("SMTP_ENCRYPTION", "tls13"),
                        "sales@acme.test: SMTP_ENCRYPTION \"tls13\" is not supported (use auto, ssl or starttls)"),
                Arguments.of(with("EMAIL_MAX_ATTACHMENT_BYTES", "-1"), "EMAIL_MAX_ATTACHMENT_BYTES -1 is out of range (0-)"),
                Arguments.of(with("AGENT_URL", null), "AGENT_URL is required"),
                Arguments.of(with("AGENT_URL", "agent"), "AGENT_URL \"agent\" is not a URL or Camel endpoint URI"),
                Arguments.of(with("OAUTH_ENABLED", "yes"), "OAUTH_ENABLED \"yes\" must be true or false"),
                Arguments.of(with("INBOUND_ENABLED", "off"), "INBOUND_ENABLED \"off\" must be true or false"),
                Arguments.of(with("SESSION_IDLE_TIMEOUT", "7 days"),
                        "SESSION_IDLE_TIMEOUT \"7 days\" is not an ISO-8601 duration such as P7D or PT12H"),
                Arguments.of(with("EMAIL_PROVIDER", "hotmail"), "sales@acme.test: EMAIL_PROVIDER: Unknown mail provider preset 'hotmail'; known presets: gmail, outlook, yahoo"),
                Arguments.of(with("OAUTH_ENABLED", "true", "OAUTH_REFRESH_TOKEN", "r", "OAUTH_CLIENT_ID", "i",
                        "OAUTH_CLIENT_SECRET", "c"),
                        "EMAIL_PASSWORD: password and OAuth mailboxes cannot share one connection (leave EMAIL_PASSWORD empty when OAUTH_ENABLED=true)"),
                Arguments.of(with("EMAIL_PASSWORD", null, "OAUTH_ENABLED", "true", "OAUTH_CLIENT_ID", "i",
                        "OAUTH_CLIENT_SECRET", "c"), "sales@acme.test: OAUTH_REFRESH_TOKEN is required"),
                Arguments.of(with("EMAIL_PASSWORD", null, "OAUTH_ENABLED", "true", "OAUTH_REFRESH_TOKEN", "r",
                        "OAUTH_CLIENT_SECRET", "c"), "sales@acme.test: OAUTH_CLIENT_ID is required"),
                Arguments.of(with("EMAIL_PASSWORD", null, "OAUTH_ENABLED", "true", "OAUTH_REFRESH_TOKEN", "r",
                        "OAUTH_CLIENT_ID", "i"), "sales@acme.test: OAUTH_CLIENT_SECRET is required"),
                Arguments.of(with("EMAIL_PASSWORD", null, "OAUTH_ENABLED", "true", "OAUTH_REFRESH_TOKEN", "r",
                        "OAUTH_CLIENT_ID", "i", "OAUTH_CLIENT_SECRET", "c", "OAUTH_TOKEN_URI", "ftp://x"),
                        "sales@acme.test: OAUTH_TOKEN_URI \"ftp://x\" is not an http(s) URL"),
                Arguments.of(with("JIT_COMPILER", "graal"),
                        "JIT_COMPILER \"graal\" is not supported (use auto, c1 or tiered)"),
                Arguments.of(with("CLUSTER_SERVICE", "consul"),
                        "CLUSTER_SERVICE \"consul\" is not supported (use none, zookeeper, kubernetes or file)"),
                Arguments.of(with("CLUSTER_SERVICE", "zookeeper"),
                        "CLUSTER_NODES is required with CLUSTER_SERVICE=zookeeper (the ZooKeeper servers as host:port,...)"),
                Arguments.of(with("CLUSTER_SERVICE", "zookeeper", "CLUSTER_NODES", "zk1:2181,zk2"),
                        "CLUSTER_NODES: \"zk2\" is not a ZooKeeper server as host:port"),
                Arguments.of(with("CLUSTER_SERVICE", "zookeeper", "CLUSTER_NODES", "zk1:99999"),
                        "CLUSTER_NODES: \"zk1:99999\" is not a ZooKeeper server as host:port"),
                Arguments.of(with("CLUSTER_SERVICE", "file"),
                        "CLUSTER_NODES is required with CLUSTER_SERVICE=file (the lock directory the instances share)"),
                Arguments.of(with("CLUSTER_NODES", "zk1:2181"),
                        "CLUSTER_NODES is set but CLUSTER_SERVICE is none (it is read only with zookeeper or file)"),
                Arguments.of(with("CLUSTER_SERVICE", "kubernetes", "CLUSTER_NODES", "zk1:2181"),
                        "CLUSTER_NODES is set but CLUSTER_SERVICE is kubernetes (it is read only with zookeeper or file)"),
                Arguments.of(with("CLUSTER_SERVICE", "zookeeper", "CLUSTER_NODES", "zk1:2181", "CLUSTER_NAMESPACE", "mail"),
                        "CLUSTER_NAMESPACE is set but CLUSTER_SERVICE is zookeeper (it is read only with kubernetes)"),
                Arguments.of(with("CLUSTER_SERVICE", "kubernetes", "CLUSTER_NAMESPACE", "Mail_Prod"),
                        "CLUSTER_NAMESPACE \"Mail_Prod\" is not a Kubernetes namespace name (lower-case letters, digits and -, at most 63)"),
                Arguments.of(with("INSTANCE_ID", "node one"),
                        "INSTANCE_ID \"node one\" may contain only letters, digits and . _ - : @ (at most 128)"));
    }

    @Test
    void should_default_to_a_single_instance_named_after_host_and_process() {
        ClusterSettings cluster = parse(valid()).cluster();
        assertThat(cluster.service()).isEqualTo(ClusterSettings.Service.NONE);
        assertThat(cluster.enabled()).isFalse();
        assertThat(cluster.nodes()).isEmpty();
        assertThat(cluster.instanceId()).endsWith("-" + ProcessHandle.current().pid());
    }

    @Test
    void should_read_the_zookeeper_servers_with_a_chroot_on_the_last_one() {
        ClusterSettings cluster = parse(with("CLUSTER_SERVICE", "ZooKeeper", "CLUSTER_NODES",
                "zk1.acme.test:2181, 10.0.0.7:2182,[::1]:2183/email", "INSTANCE_ID", "mail-1")).cluster();
        assertThat(cluster.service()).isEqualTo(ClusterSettings.Service.ZOOKEEPER);
        assertThat(cluster.nodes()).containsExactly("zk1.acme.test:2181", "10.0.0.7:2182", "[::1]:2183/email");
        assertThat(cluster.instanceId()).isEqualTo("mail-1");
    }

    @Test
    void should_keep_a_lock_directory_whole_and_name_kubernetes_instances_after_the_host() {
        assertThat(parse(with("CLUSTER_SERVICE", "file", "CLUSTER_NODES", "/var/lib/channel/locks")).cluster().nodes())
                .containsExactly("/var/lib/channel/locks");
        ClusterSettings kubernetes = parse(with("CLUSTER_SERVICE", "kubernetes", "CLUSTER_NAMESPACE", "mail")).cluster();
        assertThat(kubernetes.namespace()).isEqualTo("mail");
        assertThat(kubernetes.instanceId()).doesNotEndWith("-" + ProcessHandle.current().pid());
    }

    @ParameterizedTest
    @MethodSource("problems")
    void should_name_the_field_and_the_mailbox_of_each_problem(Map<String, String> env, String expected) {
        assertThatThrownBy(() -> parse(env)).isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).contains(expected));
    }

    @Test
    void should_report_every_problem_at_once_naming_the_second_mailbox() {
        assertThatThrownBy(() -> parse(with("EMAIL_ADDRESS", "a@x.test,b@x.test", "EMAIL_PASSWORD", "p",
                "IMAP_PORT", "993,abc", "AGENT_URL", null)))
                .isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems())
                        .containsExactlyInAnyOrder("b@x.test: IMAP_PORT \"abc\" is not a number", "AGENT_URL is required"));
    }

    @Test
    void should_split_only_on_unescaped_commas_and_trim() {
        assertThat(ChannelSettingsParser.split(" a , b\\,c ,d ")).containsExactly("a", "b,c", "d");
        assertThat(ChannelSettingsParser.split("")).isEmpty();
    }

    @Test
    void should_collect_every_secret_as_the_channel_uses_it_for_log_masking() {
        Map<Setting, String> env = Map.of(Setting.EMAIL_PASSWORD, "first,p+w#d%1\\,x\\y", Setting.AGENT_TOKEN, "tok",
                Setting.EMAIL_ADDRESS, "a@x.test,b@x.test", Setting.SECRETS_KEY, "new-key-0123456789,old-key-0123456789",
                Setting.DATABASE_URL, "jdbc:postgresql://db.acme.test/channel?user=app&password=db%2Bpw",
                Setting.AGENT_URL, "https://bot:agent-pw@agent.acme.test/events?access_token=tk-123&x=1");
        assertThat(ChannelSettingsParser.secretValues(env::get))
                .contains("first", "p+w#d%1,x\\y", "tok", "new-key-0123456789", "old-key-0123456789", "db%2Bpw",
                        "db+pw", "agent-pw", "tk-123")
                .doesNotContain("a@x.test", "app", "bot", "1");
    }

    @Test
    void should_read_the_trust_and_secret_settings() {
        ChannelSettings s = parse(with("AGENT_SIGNING_SECRET", "sign-me", "SECRETS_KEY", "k-0123456789abcdef, k-old-0123456789ab",
                "TRUSTED_AUTHSERV_IDS", "mx.acme.test"));
        assertThat(s.agentSigningSecret().value()).isEqualTo("sign-me");
        assertThat(s.encryptionKeys()).extracting(Secret::value).containsExactly("k-0123456789abcdef", "k-old-0123456789ab");
        assertThat(s.trustedAuthservIds().entries()).containsExactly("mx.acme.test");

        ChannelSettings defaults = parse(valid());
        assertThat(defaults.agentSigningSecret().isEmpty()).isTrue();
        assertThat(defaults.encryptionKeys()).isEmpty();
        assertThat(defaults.trustedAuthservIds().isEmpty()).as("no provider, nothing trusted").isTrue();
        assertThat(parse(with("EMAIL_PROVIDER", "gmail", "IMAP_SERVER", null, "SMTP_SERVER", null))
                .trustedAuthservIds().entries()).containsExactly("mx.google.com");
    }

    @Test
    void should_refuse_short_secrets_keys_and_bad_authserv_ids_without_showing_the_key() {
        assertThatThrownBy(() -> parse(with("SECRETS_KEY", "0123456789abcdef,short-key", "TRUSTED_AUTHSERV_IDS", "a b")))
                .isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).containsExactlyInAnyOrder(
                        "SECRETS_KEY: key 2 of 2 has 9 characters; use at least 16 random ones (openssl rand -base64 32)",
                        "TRUSTED_AUTHSERV_IDS: 'a b' is not a host name, *.domain or (none)"));
    }
}
