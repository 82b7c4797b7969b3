package dev.emailchannel.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.emailchannel.config.Setting;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes/ read with fabric8's model classes (no cluster here): the parts the channel relies on. */
class KubernetesManifestTest {

    private static final Path DIR = Path.of("deploy/kubernetes");

    private static List<HasMetadata> read(String file) throws Exception {
        try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
            Object parsed = new KubernetesSerialization().unmarshal(in);
            return parsed instanceof List<?> list ? list.stream().map(HasMetadata.class::cast).toList()
                    : List.of((HasMetadata) parsed);
        }
    }

    private static <T> T only(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    @Test
    void should_run_three_replicas_as_members_of_the_kubernetes_cluster_service() throws Exception {
        List<HasMetadata> resources = read("email-channel.yaml");
        Deployment deployment = only(resources, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsAllEntriesOf(ClusterServiceFactory.POD_LABELS);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(ClusterServiceFactory.POD_LABELS);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(only(resources, ServiceAccount.class).getMetadata().getName());

        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(container, "CLUSTER_SERVICE").getValue()).isEqualTo("kubernetes");
        assertThat(env(container, "INSTANCE_ID").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        assertThat(env(container, "CLUSTER_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        int httpPort = Integer.parseInt(env(container, "HTTP_PORT").getValue());
        assertThat(container.getPorts()).anyMatch(p -> p.getName().equals("http") && p.getContainerPort() == httpPort);
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("longer than camel.main.shutdown-timeout").isGreaterThan(15L);
    }

    @Test
    void should_let_the_service_account_hold_leases_and_list_the_pods() throws Exception {
        List<HasMetadata> resources = read("email-channel.yaml");
        Role role = only(resources, Role.class);
        PolicyRule leases = role.getRules().stream().filter(r -> r.getApiGroups().contains("coordination.k8s.io")
                && r.getResources().contains("leases")).findFirst().orElseThrow();
        assertThat(leases.getVerbs()).contains("get", "list", "watch", "create", "update", "patch");
        PolicyRule pods = role.getRules().stream().filter(r -> r.getApiGroups().contains("")
                && r.getResources().contains("pods")).findFirst().orElseThrow();
        assertThat(pods.getVerbs()).contains("get", "list");

        RoleBinding binding = only(resources, RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).anyMatch(s -> s.getKind().equals("ServiceAccount")
                && s.getName().equals(only(resources, ServiceAccount.class).getMetadata().getName()));
    }

    @Test
    void should_take_the_database_and_every_secret_from_the_secret_and_name_only_known_settings() throws Exception {
        List<HasMetadata> resources = read("email-channel.yaml");
        Secret secret = only(read("secret.example.yaml"), Secret.class);
        Container container = only(resources, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnvFrom()).anyMatch(e -> e.getSecretRef() != null
                && e.getSecretRef().getName().equals(secret.getMetadata().getName()));
        assertThat(secret.getStringData()).containsKeys("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD");
        assertThat(secret.getStringData().get("DATABASE_URL")).startsWith("jdbc:postgresql://");

        ConfigMap config = only(resources, ConfigMap.class);
        Set<String> secrets = Arrays.stream(Setting.values()).filter(s -> s.scope().secret()).map(Setting::name)
                .collect(Collectors.toSet());
        assertThat(config.getData().keySet()).as("no secret in the ConfigMap").doesNotContainAnyElementsOf(secrets);
        assertThat(container.getEnv()).as("no secret written into the Deployment")
                .noneMatch(e -> secrets.contains(e.getName()));

        Set<String> known = Arrays.stream(Setting.values()).map(Setting::name).collect(Collectors.toSet());
        Set<String> named = new HashSet<>();
        Stream.of(config.getData().keySet(), secret.getStringData().keySet(),
                container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet())).forEach(named::addAll);
        assertThat(known).as("every variable the manifest sets is a setting of the channel").containsAll(named);
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not set"));
    }
}
