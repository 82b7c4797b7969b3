package dev.emailchannel.api;

import dev.emailchannel.Channel;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.status.ChannelLifecycle;
import dev.emailchannel.status.ChannelState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/** The channel calls of the HTTP API: status with masked settings, start and stop. */
public final class ChannelApi {

    private final Channel channel;
    private final ChannelLifecycle lifecycle;

    public ChannelApi(Channel channel, ChannelLifecycle lifecycle) {
        this.channel = channel;
        this.lifecycle = lifecycle;
    }

    /** {@code GET /api/channel}. */
    public void describe(Exchange exchange) throws Exception {
        ApiCall.json(exchange, channel.json(), 200, view());
    }

    /** {@code POST /api/channel/start}. */
    public void start(Exchange exchange) throws Exception {
        lifecycle.start();
        ApiCall.json(exchange, channel.json(), 200, view());
    }

    /** {@code POST /api/channel/stop}. */
    public void stop(Exchange exchange) throws Exception {
        lifecycle.stop();
        ApiCall.json(exchange, channel.json(), 200, view());
    }

    Map<String, Object> view() {
        Map<String, Object> out = new LinkedHashMap<>();
        ChannelState state = channel.state();
        out.put("name", channel.configured() ? channel.settings().name() : null);
        out.put("description", channel.configured() ? channel.settings().description() : null);
        out.put("status", state.status().name());
        out.put("error", state.error());
        List<Map<String, Object>> boxes = new ArrayList<>();
        if (channel.configured()) {
            out.put("inbound_enabled", channel.settings().inboundEnabled());
            out.put("check_interval", channel.settings().checkIntervalSeconds());
            out.put("agent_url", withoutSecrets(channel.settings().agentUrl()));
            out.put("agent_token", channel.settings().agentToken().masked());
            for (MailboxSettings m : channel.settings().mailboxes()) {
                Map<String, Object> box = new LinkedHashMap<>();
                ChannelState.MailboxState ms = state.mailbox(m.address().address());
                box.put("address", m.address().address());
                box.put("name", m.displayName());
                box.put("imap_server", m.imapHost());
                box.put("imap_port", m.imapPort());
                box.put("smtp_server", m.smtpHost());
                box.put("smtp_port", m.smtpPort());
                box.put("folder", m.folder());
                box.put("content_type", m.contentType());
                box.put("password", m.password().masked());
                box.put("oauth", m.usesOAuth() ? oauth(m) : null);
                box.put("imap_ok", ms.imapOk());
                box.put("smtp_ok", ms.smtpOk());
                box.put("last_poll", ms.lastPoll() == null ? null : ms.lastPoll().toString());
                box.put("error", ms.lastError());
                boxes.add(box);
            }
        }
        out.put("mailboxes", boxes);
        return out;
    }

    private static Map<String, Object> oauth(MailboxSettings m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("token_uri", m.oauth().tokenUri());
        o.put("client_id", m.oauth().clientId());
        o.put("client_secret", m.oauth().clientSecret().masked());
        o.put("refresh_token", m.oauth().refreshToken().masked());
        return o;
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
