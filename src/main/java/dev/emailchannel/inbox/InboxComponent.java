package dev.emailchannel.inbox;

import dev.emailchannel.session.Inbox;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code inbox:} component: {@code from: inbox:dispatch} delivers the durable inbox's pending mail, each claimed
 * mail one exchange, with {@code AGENT_CONCURRENCY} exchanges at once (see {@link Dispatcher}).
 */
public final class InboxComponent extends DefaultComponent {

    public static final String SCHEME = "inbox";

    private final Inbox inbox;
    private final List<String> mailboxes;
    private final String instance;
    private final int concurrency;
    private final Duration stopGrace;
    private final WorkSignal signal;
    private final Clock clock;

    /**
     * @param mailboxes   the connection's mailbox addresses: only their mail is dispatched here
     * @param concurrency {@code AGENT_CONCURRENCY}
     * @param stopGrace   how long a stop waits for the agent calls in flight
     */
    public InboxComponent(Inbox inbox, List<String> mailboxes, String instance, int concurrency, Duration stopGrace,
            WorkSignal signal, Clock clock) {
        this.inbox = inbox;
        this.mailboxes = List.copyOf(mailboxes);
        this.instance = instance;
        this.concurrency = concurrency;
        this.stopGrace = stopGrace;
        this.signal = signal;
        this.clock = clock;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        InboxEndpoint endpoint = new InboxEndpoint(uri, this);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    Dispatcher dispatcher(Dispatcher.Handler handler) {
        return new Dispatcher(inbox, mailboxes, instance, concurrency, clock, handler);
    }

    Duration stopGrace() {
        return stopGrace;
    }

    WorkSignal signal() {
        return signal;
    }
}
