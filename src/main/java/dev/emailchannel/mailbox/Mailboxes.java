package dev.emailchannel.mailbox;

import dev.emailchannel.config.ChannelSettings;
import dev.emailchannel.config.MailboxSettings;
import dev.emailchannel.oauth.RefreshTokenStore;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The mailboxes of the connection, in {@code EMAIL_ADDRESS} order; empty when the settings are invalid. */
public final class Mailboxes {

    private final List<Mailbox> all;

    public Mailboxes(List<Mailbox> all) {
        this.all = List.copyOf(all);
    }

    public static Mailboxes of(ChannelSettings settings, RefreshTokenStore rotatedTokens) {
        if (settings == null) {
            return new Mailboxes(List.of());
        }
        return new Mailboxes(settings.mailboxes().stream().map(m -> Mailbox.of(m, rotatedTokens)).toList());
    }

    public List<Mailbox> all() {
        return all;
    }

    public List<String> addresses() {
        return all.stream().map(Mailbox::address).toList();
    }

    /** The mailbox with this address (case-insensitive). */
    public Optional<Mailbox> byAddress(String address) {
        return all.stream().filter(m -> m.address().equalsIgnoreCase(address)).findFirst();
    }

    /** The mailbox with this address; {@link IllegalArgumentException} naming it when it is not configured. */
    public Mailbox require(String address) {
        return byAddress(address).orElseThrow(() -> new IllegalArgumentException(
                "not a mailbox of this connection: " + address));
    }

    public Optional<Mailbox> byId(String id) {
        return all.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public List<MailboxSettings> settings() {
        return all.stream().map(Mailbox::settings).toList();
    }

    /** Lower-cased addresses of every mailbox, to recognise mail the channel sent itself. */
    public Set<String> ownAddressKeys() {
        return all.stream().map(m -> m.settings().address().key()).collect(Collectors.toUnmodifiableSet());
    }
}
