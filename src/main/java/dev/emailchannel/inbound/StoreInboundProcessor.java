package dev.emailchannel.inbound;

import dev.emailchannel.inbox.WorkSignal;
import dev.emailchannel.mailbox.MailboxConsumer;
import dev.emailchannel.pickup.FetchedMail;
import dev.emailchannel.session.Inbox;
import dev.emailchannel.status.ChannelMetrics;
import dev.emailchannel.status.Tracing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pickup's one step: stores a fetched batch in the durable inbox (each mail raw, with its metadata, all in one
 * transaction) and lets the dispatchers know. When the exchange completes the pickup marks the batch read on the
 * server — the mails are the channel's from now on. A mail stored before (same Message-ID, or same content) is not
 * stored again.
 */
public final class StoreInboundProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StoreInboundProcessor.class);

    private final Inbox inbox;
    private final String connection;
    private final WorkSignal signal;
    private final ChannelMetrics metrics;
    private final Clock clock;

    /** @param connection {@code CHANNEL_NAME}, part of every event id */
    public StoreInboundProcessor(Inbox inbox, String connection, WorkSignal signal, ChannelMetrics metrics,
            Clock clock) {
        this.inbox = inbox;
        this.connection = connection;
        this.signal = signal;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        String mailbox = exchange.getVariable(InboundVariables.MAILBOX, String.class);
        @SuppressWarnings("unchecked")
        List<FetchedMail> batch = exchange.getVariable(MailboxConsumer.BATCH, List.class);
        Long uidValidity = exchange.getVariable(MailboxConsumer.UID_VALIDITY, Long.class);
        String trace = Tracing.current();
        List<Inbox.NewMail> mails = new ArrayList<>(batch.size());
        for (FetchedMail f : batch) {
            mails.add(InboundMails.of(connection, mailbox, f.buffer(), f.offset(), f.length(), uidValidity, f.uid(),
                    f.internalDate())
                    .tracedBy(trace));
        }
        List<Inbox.Stored> stored = inbox.store(mails, clock.instant());
        int fresh = 0;
        for (int i = 0; i < stored.size(); i++) {
            Inbox.NewMail m = mails.get(i);
            if (stored.get(i).isNew()) {
                fresh++;
                metrics.fetched(mailbox);
                LOG.info("{}: stored {} from {} in the inbox (#{})", mailbox, describe(m.messageId()), m.customer(),
                        stored.get(i).id());
            } else {
                LOG.info("{}: {} is already in the inbox (#{}); marking it read", mailbox, describe(m.messageId()),
                        stored.get(i).id());
            }
        }
        if (fresh > 0) {
            signal.mailStored();
        }
    }

    static String describe(String messageId) {
        return messageId == null ? "a message without Message-ID" : messageId;
    }
}
