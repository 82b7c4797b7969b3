package dev.emailchannel.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.component.zookeeper.ZooKeeperCuratorConfiguration;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Camel's {@link ZooKeeperClusterService} on a Curator client of our own, so that the session state reaches
 * {@link MailboxLeadership} directly.
 *
 * <p>Why an own client: Camel's ZooKeeper view runs Curator's {@code LeaderSelector}; on {@code SUSPENDED} or
 * {@code LOST} the selector interrupts the leader (Curator's {@link StandardConnectionStateErrorPolicy}, set here
 * explicitly), but the view then asks ZooKeeper for the new leader before it fires its "leadership changed" event,
 * and that call fails while the connection is down, so the event may never come. The connection-state listener
 * here does not depend on it. Without {@code autoRequeue} the interrupted selectors also stay out of their
 * elections after the connection returns; {@link MailboxLeadership} re-enters them when told "connected".
 */
public final class ZooKeeperCoordination extends ZooKeeperClusterService implements SessionAware {

    private final CuratorFramework curator;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param connectString     {@code host:port,...}, optionally with a chroot after the last server
     * @param basePath          the ZooKeeper path under which each namespace gets its election
     * @param sessionTimeout    how long the server keeps the session (and its elections) of a silent instance
     * @param connectionTimeout how long a Curator operation waits for a connection
     */
    public ZooKeeperCoordination(String instanceId, String connectString, String basePath, Duration sessionTimeout,
                                 Duration connectionTimeout) {
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs((int) connectionTimeout.toMillis())
                .connectionStateErrorPolicy(new StandardConnectionStateErrorPolicy())
                .retryPolicy(new ExponentialBackoffRetry(500, 3, 2_000))
                .build();
        curator.getConnectionStateListenable().addListener((client, state) -> {
            // READ_ONLY never happens (canBeReadOnly is off); SUSPENDED and LOST both mean: stop watching now
            boolean connected = state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED;
            listeners.forEach(l -> l.sessionChanged(connected));
        });
        ZooKeeperCuratorConfiguration configuration = new ZooKeeperCuratorConfiguration();
        configuration.setCuratorFramework(curator);
        configuration.setBasePath(basePath);
        setConfiguration(configuration);
        setBasePath(basePath);
        setId(instanceId);
    }

    @Override
    public void addSessionListener(SessionListener listener) {
        listeners.add(listener);
    }

    /** The Curator client, for tests that expire this instance's session on the server. */
    public CuratorFramework curator() {
        return curator;
    }

    @Override
    protected void doStart() throws Exception {
        curator.start(); // Camel does not start a client it was given
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        try {
            super.doStop();
        } finally {
            curator.close(); // nor close it
        }
    }
}
