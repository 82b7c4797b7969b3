package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.config.ClusterSettings;
import dev.emailchannel.config.ClusterSettings.Service;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ClusterServiceFactoryTest {

    @Test
    void should_build_no_service_for_a_single_instance() {
        assertThat(ClusterServiceFactory.create(ClusterSettings.standalone("solo"))).isEmpty();
    }

    @Test
    void should_build_a_zookeeper_service_whose_session_outlives_the_connection_loss_it_reacts_to() {
        CamelClusterService service = ClusterServiceFactory.create(new ClusterSettings(Service.ZOOKEEPER,
                List.of("zk1:2181", "zk2:2181/mail"), "", "node-1")).orElseThrow();
        assertThat(service).isInstanceOf(ZooKeeperCoordination.class).isInstanceOf(SessionAware.class);
        ZooKeeperCoordination zookeeper = (ZooKeeperCoordination) service;
        assertThat(zookeeper.getId()).isEqualTo("node-1");
        assertThat(zookeeper.getBasePath()).isEqualTo("/email-channel");
        assertThat(zookeeper.curator().getZookeeperClient().getCurrentConnectionString()).isEqualTo("zk1:2181,zk2:2181/mail");
        assertThat(zookeeper.curator().getZookeeperClient().getConnectionTimeoutMs())
                .isEqualTo(ClusterServiceFactory.ZOOKEEPER_CONNECTION_SECONDS * 1000);
        // the client gives up on a silent server after 2/3 of the session; the server expires the session after all
        // of it: the margin is what lets a cut-off instance stop before another starts
        assertThat(ClusterServiceFactory.ZOOKEEPER_SESSION_SECONDS * 2 / 3 + 3)
                .isLessThanOrEqualTo(ClusterServiceFactory.ZOOKEEPER_SESSION_SECONDS);
        assertThat(ClusterServiceFactory.ZOOKEEPER_SESSION_SECONDS + 2).as("failover within about 20 s").isLessThanOrEqualTo(20);
        zookeeper.curator().close();
    }

    @Test
    void should_build_a_file_lock_service_on_the_shared_directory() {
        FileLockClusterService file = (FileLockClusterService) ClusterServiceFactory.create(new ClusterSettings(
                Service.FILE, List.of("/var/lib/channel/locks"), "", "node-1")).orElseThrow();
        assertThat(file.getRoot()).isEqualTo("/var/lib/channel/locks");
        assertThat(file.getId()).isEqualTo("node-1");
        assertThat(TimeUnit.SECONDS.convert(file.getAcquireLockInterval(), file.getAcquireLockIntervalUnit())).isEqualTo(2);
        assertThat(file.getHeartbeatTimeoutMultiplier()).isEqualTo(5);
    }

    @Test
    void should_build_a_lease_based_kubernetes_service_named_after_the_pod() throws Exception {
        KubernetesClusterService kubernetes = (KubernetesClusterService) ClusterServiceFactory.create(
                new ClusterSettings(Service.KUBERNETES, List.of(), "mail", "email-channel-7d9c-x2k4p")).orElseThrow();
        assertThat(kubernetes.getId()).isEqualTo("email-channel-7d9c-x2k4p");
        assertThat(kubernetes.getPodName()).isEqualTo("email-channel-7d9c-x2k4p");
        assertThat(kubernetes.getNamespace()).isEqualTo("mail");
        assertThat(kubernetes.getKubernetesResourcesNamespace()).isEqualTo("mail");
        assertThat(kubernetes.getLeaseResourceType().name()).isEqualTo("Lease");
        assertThat(kubernetes.getKubernetesResourceName()).isEqualTo("email-channel");
        assertThat(kubernetes.getClusterLabels()).containsEntry("app.kubernetes.io/name", "email-channel");
        assertThat(kubernetes.getLeaseDurationMillis()).isEqualTo(8000);
        assertThat(kubernetes.getRenewDeadlineMillis()).isEqualTo(6000);
        assertThat(kubernetes.getRetryPeriodMillis()).isEqualTo(2000);

        // Camel checks the lease timing when it creates a view (not started: no API server is contacted)
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            kubernetes.setCamelContext(context);
            kubernetes.init();
            CamelClusterView view = kubernetes.getView(MailboxElection.namespace("sales@acme.test"));
            assertThat(view.getLocalMember().getId()).isEqualTo("email-channel-7d9c-x2k4p");
            assertThat(view.getNamespace()).matches("[a-z0-9-]+");
        }
    }

    @Test
    void should_give_each_mailbox_a_namespace_valid_for_zookeeper_files_and_leases() {
        String namespace = MailboxElection.namespace("Sales.Team+EU@Acme.example");
        assertThat(namespace).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").startsWith("mailbox-sales-team-eu-acme-example-");
        assertThat(MailboxElection.namespace("sales@acme.test")).isNotEqualTo(MailboxElection.namespace("sales@acme-test"));
        assertThat(MailboxElection.namespace("x".repeat(300) + "@acme.test")).hasSizeLessThanOrEqualTo(60);
    }
}
