package dev.emailchannel.cluster;

import dev.emailchannel.config.ClusterSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;

/**
 * Builds the Camel cluster service that {@code CLUSTER_SERVICE} names; the caller adds it with
 * {@code context.addService(service)} before the context starts (a {@code camel.beans.*} definition is not found).
 *
 * <h2>Timeouts, and why a lost instance stops watching before another starts</h2>
 * <ul>
 *   <li><b>ZooKeeper</b>: session timeout {@value #ZOOKEEPER_SESSION_SECONDS} s, connection timeout
 *   {@value #ZOOKEEPER_CONNECTION_SECONDS} s. The ZooKeeper client declares the connection lost when it has heard
 *   nothing from the server for two thirds of the session timeout (10 s; it pings every third). Curator then reports
 *   {@code SUSPENDED}, which {@link MailboxLeadership} treats as "owns nothing": it stops watching every mailbox at
 *   once. The server expires the session, and only then lets another instance win the mailbox's election, after the
 *   full session timeout without hearing from the instance (15 s, up to one tick later). So the lost instance stops
 *   about 5 s before anybody else may start. A session that is not heard from is expired in 15-17 s (the server
 *   checks every tick) and the next candidate is told at once: failover in about 15-17 s (14.9-15.9 s measured,
 *   {@code bench/cluster.sh}). (The guarantee assumes the instance is running: a process
 *   frozen for longer than the session, e.g. stopped by a debugger, notices only when it runs again; what it
 *   fetched meanwhile is kept once by the inbox key.)</li>
 *   <li><b>Kubernetes</b> (Lease objects): lease {@value #LEASE_SECONDS} s, renew deadline
 *   {@value #RENEW_DEADLINE_SECONDS} s, retry every {@value #RETRY_PERIOD_SECONDS} s. A leader that could not renew
 *   its lease for the renew deadline (6 s) gives up; another pod may take an expired lease (8 s after the last
 *   renewal) and Camel then waits one more lease duration before it acts: the new owner starts at the earliest 16 s
 *   after the last renewal, 10 s after the old one stopped. Failover in about 16-19 s.</li>
 *   <li><b>file</b> (instances on one host): the leader rewrites its heartbeat every
 *   {@value #FILE_INTERVAL_SECONDS} s; a heartbeat older than {@value #FILE_STALE_MULTIPLIER} intervals (10 s) is
 *   stale, and the lock itself is released by the operating system when the process dies. Failover in about
 *   10-14 s. File locks name no members, so there is no spreading: each mailbox stays with whichever instance
 *   locked it first.</li>
 * </ul>
 */
public final class ClusterServiceFactory {

    static final int ZOOKEEPER_SESSION_SECONDS = 15;
    static final int ZOOKEEPER_CONNECTION_SECONDS = 5;
    static final String ZOOKEEPER_BASE_PATH = "/email-channel";
    static final int LEASE_SECONDS = 8;
    static final int RENEW_DEADLINE_SECONDS = 6;
    static final int RETRY_PERIOD_SECONDS = 2;
    static final int FILE_INTERVAL_SECONDS = 2;
    static final int FILE_STALE_MULTIPLIER = 5;
    /** Name of the Lease objects ({@code email-channel-<namespace>}). */
    static final String LEASE_NAME = "email-channel";
    /** Pods carrying this label are the members (a Deployment's pod template must set it). */
    public static final Map<String, String> POD_LABELS = Map.of("app.kubernetes.io/name", "email-channel");

    private ClusterServiceFactory() {
    }

    /** The cluster service for these settings; empty for {@code CLUSTER_SERVICE=none}. */
    public static Optional<CamelClusterService> create(ClusterSettings settings) {
        return Optional.ofNullable(switch (settings.service()) {
            case NONE -> null;
            case ZOOKEEPER -> new ZooKeeperCoordination(settings.instanceId(), String.join(",", settings.nodes()),
                    ZOOKEEPER_BASE_PATH, Duration.ofSeconds(ZOOKEEPER_SESSION_SECONDS),
                    Duration.ofSeconds(ZOOKEEPER_CONNECTION_SECONDS));
            case KUBERNETES -> kubernetes(settings);
            case FILE -> file(settings);
        });
    }

    private static KubernetesClusterService kubernetes(ClusterSettings settings) {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setId(settings.instanceId());
        // Camel recognises the members (ready pods with the labels) by pod name: INSTANCE_ID must be the pod name
        service.setPodName(settings.instanceId());
        service.setClusterLabels(POD_LABELS);
        if (!settings.namespace().isEmpty()) { // else the pod's own, read from its service account
            service.setNamespace(settings.namespace());
            service.setKubernetesResourcesNamespace(settings.namespace());
        }
        service.setKubernetesResourceName(LEASE_NAME);
        service.setLeaseDurationMillis(TimeUnit.SECONDS.toMillis(LEASE_SECONDS));
        service.setRenewDeadlineMillis(TimeUnit.SECONDS.toMillis(RENEW_DEADLINE_SECONDS));
        service.setRetryPeriodMillis(TimeUnit.SECONDS.toMillis(RETRY_PERIOD_SECONDS));
        return service;
    }

    private static FileLockClusterService file(ClusterSettings settings) {
        FileLockClusterService service = new FileLockClusterService();
        service.setId(settings.instanceId());
        service.setRoot(settings.nodes().get(0));
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setAcquireLockInterval(FILE_INTERVAL_SECONDS, TimeUnit.SECONDS);
        service.setHeartbeatTimeoutMultiplier(FILE_STALE_MULTIPLIER);
        return service;
    }
}
