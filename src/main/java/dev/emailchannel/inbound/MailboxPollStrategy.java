package dev.emailchannel.inbound;

import dev.emailchannel.connect.SignInCheck;
import dev.emailchannel.status.ChannelState;
import java.time.Clock;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the polls of one mailbox's IMAP consumer: records the time of the last good poll for the API, and reports a
 * failed poll in one line (an expired OAuth token is dropped so that the next connection fetches a new one).
 */
public final class MailboxPollStrategy implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPollStrategy.class);

    private final String mailbox;
    private final ChannelState state;
    private final java.util.function.Consumer<Throwable> onFailure;
    private final Clock clock;

    /** @param onFailure told about a failed poll, e.g. to drop an OAuth access token the server rejected */
    public MailboxPollStrategy(String mailbox, ChannelState state,
            java.util.function.Consumer<Throwable> onFailure, Clock clock) {
        this.mailbox = mailbox;
        this.state = state;
        this.onFailure = onFailure;
        this.clock = clock;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        state.polled(mailbox, clock.instant());
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        LOG.warn("{}: IMAP poll failed: {}", mailbox, SignInCheck.describe(cause));
        onFailure.accept(cause);
        return false;
    }
}
