package dev.emailchannel.config;

import java.util.List;

/**
 * How this instance shares the mailboxes with other instances (SPEC §9).
 *
 * @param service    which coordination service decides who watches each mailbox
 * @param nodes      ZooKeeper servers ({@code host:port}) for {@link Service#ZOOKEEPER}, the lock directory (one
 *                   element) for {@link Service#FILE}, empty otherwise
 * @param namespace  Kubernetes namespace of the Lease objects; empty means the pod's own
 * @param instanceId the name this instance has in the cluster (and in the API's {@code owner})
 */
public record ClusterSettings(Service service, List<String> nodes, String namespace, String instanceId) {

    /** The values of {@code CLUSTER_SERVICE}. */
    public enum Service {
        /** This instance watches every mailbox; no coordination. */
        NONE,
        ZOOKEEPER,
        KUBERNETES,
        /** A lock directory shared by instances on one host: failover, but no spreading (no membership). */
        FILE
    }

    public ClusterSettings {
        nodes = List.copyOf(nodes);
    }

    /** A single instance that watches every mailbox. */
    public static ClusterSettings standalone(String instanceId) {
        return new ClusterSettings(Service.NONE, List.of(), "", instanceId);
    }

    /**
     * The default {@code INSTANCE_ID}: host name and process id, unique per process on a host. On Kubernetes the host
     * name alone, which is the pod name: Camel's Lease-based service recognises members by pod name.
     */
    public static String defaultInstanceId(Service service) {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return service == Service.KUBERNETES ? host : host + "-" + ProcessHandle.current().pid();
    }

    public boolean enabled() {
        return service != Service.NONE;
    }
}
