package dev.emailchannel.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.cluster.MailboxLeadership;
import dev.emailchannel.config.ChannelSettings;
import dev.emailchannel.config.LoadedSettings;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.mailbox.Mailbox;
import dev.emailchannel.mailbox.MailboxHealth;
import dev.emailchannel.mailbox.Mailboxes;
import dev.emailchannel.status.ChannelLifecycle;
import dev.emailchannel.status.ChannelState;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;

/** The channel calls of the HTTP API: status with masked settings, start and stop. */
public final class ChannelApi {

    /** {@code GET /api/channel}. */
    @JsonPropertyOrder({"name", "description", "status", "error", "agent_error", "instance", "inbound_enabled",
        "check_interval", "agent_url", "agent_token", "mailboxes"})
    public record ChannelView(String name, String description, String status, String error,
            @JsonProperty("agent_error") String agentError, String instance,
            @JsonProperty("inbound_enabled") Boolean inboundEnabled,
            @JsonProperty("check_interval") Integer checkInterval,
            @JsonProperty("agent_url") String agentUrl, @JsonProperty("agent_token") String agentToken,
            List<MailboxView> mailboxes) {
    }

    /** One mailbox: settings with secrets masked, and its health. */
    @JsonPropertyOrder({"address", "name", "imap_server", "imap_port", "smtp_server", "smtp_port", "folder",
        "content_type", "password", "oauth", "imap_ok", "smtp_ok", "last_poll", "pickup", "owner", "error",
        "retry_at"})
    public record MailboxView(String address, String name, @JsonProperty("imap_server") String imapServer,
            @JsonProperty("imap_port") int imapPort, @JsonProperty("smtp_server") String smtpServer,
            @JsonProperty("smtp_port") int smtpPort, String folder, @JsonProperty("content_type") String contentType,
            String password, OAuthView oauth, @JsonProperty("imap_ok") Boolean imapOk,
            @JsonProperty("smtp_ok") Boolean smtpOk, @JsonProperty("last_poll") String lastPoll, String pickup,
            String owner, String error, @JsonProperty("retry_at") String retryAt) {
    }

    /** OAuth settings of a mailbox, secrets masked. */
    public record OAuthView(@JsonProperty("token_uri") String tokenUri, @JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret, @JsonProperty("refresh_token") String refreshToken) {
    }

    private final LoadedSettings loaded;
    private final Mailboxes mailboxes;
    private final ChannelState state;
    private final ChannelLifecycle lifecycle;
    private final MailboxLeadership leadership;
    private final ObjectMapper json;

    /** @param leadership who watches which mailbox (this instance's name, the owners) */
    public ChannelApi(LoadedSettings loaded, Mailboxes mailboxes, ChannelState state, ChannelLifecycle lifecycle,
            MailboxLeadership leadership, ObjectMapper json) {
        this.loaded = loaded;
        this.mailboxes = mailboxes;
        this.state = state;
        this.lifecycle = lifecycle;
        this.leadership = leadership;
        this.json = json;
    }

    /** {@code GET /api/channel}. */
    public void describe(Exchange exchange) throws Exception {
        ApiCall.json(exchange, json, 200, view());
    }

    /** {@code POST /api/channel/start}. */
    public void start(Exchange exchange) throws Exception {
        lifecycle.start();
        ApiCall.json(exchange, json, 200, view());
    }

    /** {@code POST /api/channel/stop}. */
    public void stop(Exchange exchange) throws Exception {
        lifecycle.stop();
        ApiCall.json(exchange, json, 200, view());
    }

    ChannelView view() {
        ChannelState.Snapshot s = state.snapshot();
        ChannelSettings c = loaded.settings();
        if (c == null) {
            return new ChannelView(null, null, s.status().name(), s.error(), null, leadership.instanceId(), null, null,
                    null, null, List.of());
        }
        return new ChannelView(c.name(), c.description(), s.status().name(), s.error(), state.agentError(),
                leadership.instanceId(),
                c.inboundEnabled(),
                c.checkIntervalSeconds(), withoutSecrets(c.agentUrl()), c.agentToken().masked(),
                mailboxes.all().stream().map(this::mailbox).toList());
    }

    private MailboxView mailbox(Mailbox mailbox) {
        MailboxSettings m = mailbox.settings();
        MailboxHealth.Snapshot h = mailbox.health().snapshot();
        return new MailboxView(m.address().address(), m.displayName(), m.imapHost(), m.imapPort(), m.smtpHost(),
                m.smtpPort(), m.folder(), m.contentType(), m.password().masked(),
                m.usesOAuth() ? new OAuthView(m.oauth().tokenUri(), m.oauth().clientId(),
                        m.oauth().clientSecret().masked(), m.oauth().refreshToken().masked()) : null,
                h.imapOk(), h.smtpOk(), string(h.lastPickup()), h.pickupMode(),
                leadership.owner(mailbox.address()).orElse(h.owner()), h.error(), string(h.retryAt()));
    }

    private static String string(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** The agent URL without user info and query, where credentials may hide. */
    static String withoutSecrets(String url) {
        String s = url;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q) + "?" + Secret.MASK;
        }
        return s.replaceFirst("//[^/@]*@", "//" + Secret.MASK + "@");
    }
}
