package dev.emailchannel;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.emailchannel.attachment.AttachmentPolicy;
import dev.emailchannel.config.ChannelSettings;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.config.Secret;
import dev.emailchannel.inbound.AutoReplyGuard;
import dev.emailchannel.mime.MailParser;
import dev.emailchannel.quote.NewContentExtractor;
import dev.emailchannel.reply.ReplyComposer;
import dev.emailchannel.session.Database;
import dev.emailchannel.session.DeliveryLedger;
import dev.emailchannel.session.Outbox;
import dev.emailchannel.session.SessionStore;
import dev.emailchannel.status.ChannelState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Everything one channel connection needs at run time, created once at start-up: its settings (or the problems with
 * them), the stores and the pure-logic components. Processors read what they need from here.
 *
 * @param settings         null when the configuration is invalid; {@code settingsProblems} then says why
 * @param apiToken         {@code CHANNEL_API_TOKEN}, read even when other settings are invalid so that the API can
 *                         report the problem
 * @param secrets          the password or a fresh OAuth access token of a mailbox
 * @param authFailureHandlers per mailbox id: told about a failed sign-in, drops a rejected OAuth access token
 */
public record Channel(
        ChannelSettings settings,
        List<String> settingsProblems,
        Secret apiToken,
        Database database,
        SessionStore sessions,
        DeliveryLedger ledger,
        Outbox outbox,
        ChannelState state,
        MailParser parser,
        AutoReplyGuard guard,
        NewContentExtractor contentExtractor,
        AttachmentPolicy attachmentPolicy,
        ReplyComposer composer,
        Function<MailboxSettings, String> secrets,
        Map<String, Consumer<Throwable>> authFailureHandlers,
        ObjectMapper json,
        Clock clock) {

    /** The registry name of this object. */
    public static final String BEAN = "channel";

    public boolean configured() {
        return settings != null;
    }

    public MailboxSettings mailbox(String address) {
        return settings.mailbox(address);
    }
}
