package dev.emailchannel.mailbox;

import dev.emailchannel.pickup.FetchedMail;
import dev.emailchannel.pickup.MailboxSource;
import dev.emailchannel.pickup.MailboxWatch;
import dev.emailchannel.pickup.PickupListener;
import dev.emailchannel.pickup.PickupMode;
import dev.emailchannel.pickup.PickupSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * The pickup of one mailbox as a Camel consumer: the shared pickup engine watches the mailbox (IMAP IDLE where the
 * server offers it and {@code IMAP_IDLE} allows, polling at the check interval otherwise and as the safety poll), and
 * every fetched batch runs through the route as one exchange, synchronously on the engine's worker. The engine marks
 * the batch read on the server only when the exchange completed — when the route's first step has stored it in the
 * inbox; a failed exchange leaves the mails unread and the engine tries again with backoff.
 */
public final class MailboxConsumer extends DefaultConsumer implements PickupSink {

    /** Exchange variable: the fetched mails of the batch ({@code List<FetchedMail>}). */
    public static final String BATCH = "pickupBatch";
    /** Exchange variable: the folder's UIDVALIDITY (Long). */
    public static final String UID_VALIDITY = "pickupUidValidity";

    private final MailboxEndpoint endpoint;
    private final MailboxComponent component;
    private MailboxWatch watch;

    MailboxConsumer(MailboxEndpoint endpoint, Processor processor, MailboxComponent component) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.component = component;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Mailbox mailbox = endpoint.mailbox();
        MailboxSource source = component.source(mailbox, Duration.ofSeconds(endpoint.getCheckInterval()));
        watch = component.engine().watch(source, this, new Health(mailbox, component.pickupEvents()));
    }

    @Override
    protected void doStop() throws Exception {
        if (watch != null) {
            watch.stop(); // waits for the batch in progress, never expunges
            watch = null;
        }
        endpoint.mailbox().health().watched(null, null);
        super.doStop();
    }

    @Override
    public Set<Long> known(long uidValidity, List<Long> uids) {
        return component.knownUids().known(endpoint.mailbox().address(), uidValidity, uids);
    }

    @Override
    public Long highestStored(long uidValidity) {
        return component.knownUids().highest(endpoint.mailbox().address(), uidValidity);
    }

    @Override
    public void store(long uidValidity, List<FetchedMail> batch) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.setVariable(BATCH, batch);
            exchange.setVariable(UID_VALIDITY, uidValidity);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** The engine's news about the mailbox, into its health (the API) and the channel's meters. */
    private record Health(Mailbox mailbox, PickupEvents events) implements PickupListener {

        @Override
        public void connected(PickupMode mode, boolean reconnect) {
            mailbox.health().watching(mode.name());
            events.connected(mailbox, mode, reconnect);
        }

        @Override
        public void checked(Instant at, int stored) {
            mailbox.health().pickedUp(at);
            events.healthChanged();
        }

        @Override
        public void mailStored(long uid, Duration latency) {
            events.mailStored(mailbox, latency);
        }

        @Override
        public void failed(String message, Instant nextAttempt) {
            mailbox.health().failed(message, nextAttempt);
            events.healthChanged();
        }

        @Override
        public void recovered() {
            mailbox.health().recovered();
            events.healthChanged();
        }

        @Override
        public void pollFallback(String reason) {
            events.pollFallback(mailbox, reason);
        }
    }
}
