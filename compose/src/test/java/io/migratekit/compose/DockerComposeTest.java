package io.migratekit.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Checks {@code docker-compose.yml} without Docker: every service and dependency is declared, each
 * service is its own image built from {@code Dockerfile.service} on its default port, only the REST
 * API is published to the network, each service is given only settings it reads, no secret value is
 * in the file, and the start order: every container waits for its dependencies to report healthy,
 * and a service that reads tables waits for the services that migrate them; job-service and
 * failover-service drive the CloudStack API simulator's container through the real client, with its
 * key pair from the env file and its seeded ids. What it cannot check here (no Docker engine): that
 * the images build and start (nbdkit in them included), and that the healthchecks pass.
 */
class DockerComposeTest {

    /** The services and their default HTTP ports. */
    private static final Map<String, Integer> SERVICE_PORTS = orderedMap(
            "job-intake", 8082,
            "discovery-service", 8083,
            "job-service", 8084,
            "progress-service", 8085,
            "failover-service", 8086,
            "scheduler-service", 8087);

    private static final Set<String> KAFKA_NODES = Set.of("kafka-1", "kafka-2", "kafka-3");

    // The environment names the services read (Spring relaxed binding of their properties).
    // Keep in step with the services: a setting a service adds goes here, under that service.
    private static final Set<String> SHARED = Set.of(
            "SPRING_KAFKA_BOOTSTRAP_SERVERS",           // spring.kafka.bootstrap-servers (platform)
            "MIGRATEKIT_REGISTRY_URL",                  // migratekit.registry.url (PlatformProperties)
            "MIGRATEKIT_TOPICS_PARTITIONS",             // migratekit.topics.* (PlatformProperties)
            "MIGRATEKIT_TOPICS_REPLICATION_FACTOR",
            "MIGRATEKIT_TOPICS_MIN_INSYNC_REPLICAS",
            "MIGRATEKIT_MANAGEMENT_TOKEN_SHA256");      // migratekit.management.token-sha256 (platform)
    private static final Set<String> DATABASE = Set.of(
            "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
    private static final Set<String> VMA_LOGIN = Set.of(  // migratekit.vma.credentials[0].* (VmaProperties)
            "MIGRATEKIT_VMA_CREDENTIALS_0_VCENTER_HOST",
            "MIGRATEKIT_VMA_CREDENTIALS_0_USERNAME",
            "MIGRATEKIT_VMA_CREDENTIALS_0_PASSWORD");
    private static final Set<String> API_TOKENS = Set.of(  // migratekit.security.tokens[n].* (job-intake)
            "MIGRATEKIT_SECURITY_TOKENS_0_NAME", "MIGRATEKIT_SECURITY_TOKENS_0_ROLE",
            "MIGRATEKIT_SECURITY_TOKENS_0_SHA256",
            "MIGRATEKIT_SECURITY_TOKENS_1_NAME", "MIGRATEKIT_SECURITY_TOKENS_1_ROLE",
            "MIGRATEKIT_SECURITY_TOKENS_1_SHA256");

    private static final Set<String> CLOUDSTACK_TARGET = Set.of(  // CloudStackProperties (platform)
            "MIGRATEKIT_CLOUDSTACK_TARGET", "MIGRATEKIT_CLOUDSTACK_TARGETS_0_ID",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_API_URL", "MIGRATEKIT_CLOUDSTACK_TARGETS_0_API_KEY",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_SECRET_ENV", "CLOUDSTACK_SECRET_KEY",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_ZONE_ID", "MIGRATEKIT_CLOUDSTACK_TARGETS_0_DISK_OFFERING_ID",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_SERVICE_OFFERING_ID", "MIGRATEKIT_CLOUDSTACK_TARGETS_0_TEMPLATE_ID",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_APPLIANCE_VM_ID",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_TEST_NETWORKS_DEFAULTS_0",
            "MIGRATEKIT_CLOUDSTACK_TARGETS_0_LIVE_NETWORKS_DEFAULTS_0",
            "MIGRATEKIT_CLOUDSTACK_NBD_HOST", "MIGRATEKIT_CLOUDSTACK_NBD_PORT", "MIGRATEKIT_CLOUDSTACK_NBD_STATE_DIR",
            "MIGRATEKIT_CLOUDSTACK_NBD_DEVICE_DIR");
    /** The CloudStack API simulator's container, its port and where its state is. */
    private static final String SIMULATOR = "cloudstack-simulator";
    private static final int SIMULATOR_PORT = 8088;
    private static final String CLOUDSTACK_DATA = "/var/lib/migratekit/cloudstack";
    /** The services that drive the target platform. */
    private static final Set<String> TARGET_USERS = Set.of("job-service", "failover-service");

    private static final Set<String> CALLBACK_LISTENER = Set.of("MIGRATEKIT_INTAKE_CALLBACK_LISTENER_PORT",
            "MIGRATEKIT_INTAKE_CALLBACK_LISTENER_ADDRESS", "MIGRATEKIT_INTAKE_CALLBACK_LISTENER_ALLOWED_SOURCES_0");
    /** job-intake's callback listener for the VMA copy engine. */
    private static final int CALLBACK_PORT = 8090;

    private static final Map<String, Set<String>> READS = Map.of(
            "job-intake", union(SHARED, DATABASE, API_TOKENS, CALLBACK_LISTENER),
            "discovery-service", union(SHARED, VMA_LOGIN, Set.of("MIGRATEKIT_VMA_URL",
                    "MIGRATEKIT_VMA_DISCOVERY_TIMEOUT", "MIGRATEKIT_DISCOVERY_MAX_IN_FLIGHT")),
            "job-service", union(SHARED, DATABASE, VMA_LOGIN, CLOUDSTACK_TARGET, Set.of("MIGRATEKIT_VMA_URL",
                    "MIGRATEKIT_VMA_OMA_URL", "MIGRATEKIT_STREAMS_STATE_DIR")),
            "progress-service", union(SHARED, Set.of("MIGRATEKIT_VMA_URL", "MIGRATEKIT_STREAMS_STATE_DIR")),
            "failover-service", union(SHARED, DATABASE, VMA_LOGIN, CLOUDSTACK_TARGET, Set.of("MIGRATEKIT_VMA_URL")),
            "scheduler-service", union(SHARED, DATABASE, Set.of("MIGRATEKIT_SCHEDULER_INSTANCE_ID")));

    /** Services that read or write tables of the database. */
    private static final Set<String> DATABASE_USERS = Set.of("job-intake", "job-service", "failover-service",
            "scheduler-service");

    /** Names whose values are secrets. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|SECRET_KEY|API_KEY|TOKEN|SHA256)");
    /** A required variable from the env file: {@code ${NAME:?message}}, no default. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{[A-Z][A-Z0-9_]*:\\?[^}]*}");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        String text = Files.readString(Path.of("docker-compose.yml"), StandardCharsets.UTF_8);
        compose = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void everyServiceAndDependencyIsDeclared() {
        // when
        Set<String> declared = services.keySet();

        // then
        Set<String> expected = new LinkedHashSet<>(KAFKA_NODES);
        expected.addAll(List.of("postgres", "registry", SIMULATOR));
        expected.addAll(SERVICE_PORTS.keySet());
        assertThat(declared).containsExactlyInAnyOrderElementsOf(expected);
        KAFKA_NODES.forEach(node -> assertThat(image(node)).startsWith("apache/kafka:"));
        assertThat(image("registry")).isEqualTo("apicurio/apicurio-registry:3.0.9");
        assertThat(image("postgres")).startsWith("postgres:");
    }

    @Test
    void kafkaIsAKraftQuorumOfEveryNodeAndEveryServiceBootstrapsFromAllOfThem() {
        // given
        String voters = "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093";

        // then
        Set<Object> clusterIds = KAFKA_NODES.stream().map(node -> env(node).get("CLUSTER_ID")).collect(Collectors.toSet());
        assertThat(clusterIds).hasSize(1);
        for (String node : KAFKA_NODES) {
            Map<String, String> env = env(node);
            assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).isEqualTo(voters);
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://" + node + ":9092");
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
        }
        for (String service : SERVICE_PORTS.keySet()) {
            assertThat(env(service).get("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                    .isEqualTo("kafka-1:9092,kafka-2:9092,kafka-3:9092");
            assertThat(env(service).get("MIGRATEKIT_TOPICS_REPLICATION_FACTOR"))
                    .isEqualTo("${MIGRATEKIT_TOPICS_REPLICATION_FACTOR:-3}");
            assertThat(env(service).get("MIGRATEKIT_REGISTRY_URL")).isEqualTo("http://registry:8080");
        }
    }

    @Test
    void theRegistryKeepsItsSchemasInPostgresql() {
        // when
        Map<String, String> env = env("registry");

        // then
        assertThat(env).containsEntry("APICURIO_STORAGE_KIND", "sql")
                .containsEntry("APICURIO_STORAGE_SQL_KIND", "postgresql")
                .containsEntry("APICURIO_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/registry")
                .containsKeys("APICURIO_DATASOURCE_USERNAME", "APICURIO_DATASOURCE_PASSWORD");
        assertThat(dependsOn("registry")).containsExactly("postgres");
        assertThat(Path.of("postgres/init-databases.sh")).exists();
    }

    @Test
    void eachServiceIsItsOwnImageBuiltFromTheServiceDockerfile() {
        for (String service : SERVICE_PORTS.keySet()) {
            // when
            Map<String, Object> build = map(services.get(service).get("build"));
            Map<String, String> args = strings(build.get("args"));

            // then
            assertThat(image(service)).isEqualTo("migratekit/" + service + ":0.1.0");
            assertThat(build.get("context")).isEqualTo("..");
            assertThat(build.get("dockerfile")).isEqualTo("compose/Dockerfile.service");
            assertThat(args.get("JAR_FILE")).isEqualTo(service + "/target/" + service + "-0.1.0-SNAPSHOT-exec.jar");
            assertThat(args.get("SERVICE_PORT")).isEqualTo(String.valueOf(SERVICE_PORTS.get(service)));
        }
        assertThat(Path.of("Dockerfile.service")).exists();
    }

    @Test
    void onlyTheRestApiIsPublishedToTheNetworkTheOtherPortsToThisHostOnly() {
        for (Map.Entry<String, Integer> service : SERVICE_PORTS.entrySet()) {
            // when
            Object ports = services.get(service.getKey()).get("ports");

            // then: job-intake publishes the API and its callback listener, job-service the NBD exports
            // the VMA writes through; the other ports serve only management endpoints, on this host
            String port = service.getValue() + ":" + service.getValue();
            List<String> expected = switch (service.getKey()) {
                case "job-intake" -> List.of(port, CALLBACK_PORT + ":" + CALLBACK_PORT);
                case "job-service" -> List.of("127.0.0.1:" + port, "10809:10809");
                default -> List.of("127.0.0.1:" + port);
            };
            assertThat(ports).as("ports of %s", service.getKey()).isEqualTo(expected);
        }
        // and: the CloudStack simulator is reached inside the compose network only
        assertThat(services.get(SIMULATOR)).doesNotContainKey("ports");
    }

    @Test
    void eachServiceIsGivenOnlySettingsItReadsAndEveryOneItNeeds() {
        for (String service : SERVICE_PORTS.keySet()) {
            // when
            Set<String> names = env(service).keySet();

            // then
            assertThat(names).as("settings of %s", service).isSubsetOf(READS.get(service));
            assertThat(names).as("settings of %s", service).containsAll(SHARED);
            if (DATABASE_USERS.contains(service)) {
                assertThat(names).as("settings of %s", service).containsAll(DATABASE);
            } else {
                assertThat(names).as("settings of %s", service).doesNotContainAnyElementsOf(DATABASE);
            }
        }
        assertThat(env("job-intake").keySet()).containsAll(API_TOKENS).containsAll(CALLBACK_LISTENER);
        for (String service : List.of("discovery-service", "job-service", "failover-service")) {
            assertThat(env(service).keySet()).as("settings of %s", service).contains("MIGRATEKIT_VMA_URL")
                    .containsAll(VMA_LOGIN);
        }
        assertThat(env("progress-service").keySet()).contains("MIGRATEKIT_VMA_URL");
        assertThat(env("job-service").keySet()).contains("MIGRATEKIT_VMA_OMA_URL");
        for (String service : TARGET_USERS) {
            assertThat(env(service).keySet()).as("settings of %s", service).containsAll(CLOUDSTACK_TARGET);
        }
    }

    @Test
    void jobAndFailoverServiceDriveTheCloudStackSimulatorThroughTheRealClient() {
        // given: the simulator's container, its image built like the services', its state in a volume
        Map<String, Object> build = map(services.get(SIMULATOR).get("build"));
        assertThat(image(SIMULATOR)).isEqualTo("migratekit/cloudstack-simulator:0.1.0");
        assertThat(build.get("dockerfile")).isEqualTo("compose/Dockerfile.service");
        assertThat(strings(build.get("args"))).containsEntry("JAR_FILE",
                "cloudstack-simulator/target/cloudstack-simulator-0.1.0-SNAPSHOT-exec.jar");
        Map<String, String> simulator = env(SIMULATOR);
        assertThat(simulator).containsOnlyKeys("CS_SIM_PORT", "CS_SIM_DATA_DIR", "CS_SIM_API_KEY", "CS_SIM_SECRET_KEY")
                .containsEntry("CS_SIM_PORT", String.valueOf(SIMULATOR_PORT))
                .containsEntry("CS_SIM_DATA_DIR", CLOUDSTACK_DATA);
        assertThat(services.get(SIMULATOR).get("volumes")).isEqualTo(List.of("cloudstack-data:" + CLOUDSTACK_DATA));
        assertThat(map(compose.get("volumes"))).containsKey("cloudstack-data");
        assertThat(String.valueOf(map(services.get(SIMULATOR).get("healthcheck")).get("test")))
                .contains("/dev/tcp/127.0.0.1/" + SIMULATOR_PORT).contains("GET /sim/faults");
        // and: the ids the simulator seeds (its defaults)
        io.migratekit.cssim.SimulatorConfig seeded = io.migratekit.cssim.SimulatorConfig.builder()
                .dataDir(Path.of(CLOUDSTACK_DATA)).apiKey("k").secretKey("s").build();

        for (String service : TARGET_USERS) {
            // when
            Map<String, String> env = env(service);

            // then: the target is the simulator, called with the simulator's own key pair, on its seeded ids
            assertThat(env).as("settings of %s", service)
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGET", "cloudstack")
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_ID", "1")
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_API_URL",
                            "http://" + SIMULATOR + ":" + SIMULATOR_PORT + "/client/api")
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_API_KEY", simulator.get("CS_SIM_API_KEY"))
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_SECRET_ENV", "CLOUDSTACK_SECRET_KEY")
                    .containsEntry("CLOUDSTACK_SECRET_KEY", simulator.get("CS_SIM_SECRET_KEY"))
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_ZONE_ID", seeded.zone().id())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_DISK_OFFERING_ID", seeded.diskOffering().id())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_SERVICE_OFFERING_ID", seeded.serviceOffering().id())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_TEMPLATE_ID", seeded.template().id())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_APPLIANCE_VM_ID", seeded.applianceVm().id())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_TEST_NETWORKS_DEFAULTS_0", seeded.networks().get(0).id())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_TARGETS_0_LIVE_NETWORKS_DEFAULTS_0", seeded.networks().get(1).id())
                    // nbdkit serves the simulator's device links: the same volume at the same path
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_NBD_DEVICE_DIR",
                            seeded.deviceDir().toString())
                    .containsEntry("MIGRATEKIT_CLOUDSTACK_NBD_PORT", "10809");
            assertThat(list(services.get(service).get("volumes"))).as("volumes of %s", service)
                    .contains("cloudstack-data:" + CLOUDSTACK_DATA);
            assertThat(strings(map(services.get(service).get("build")).get("args")))
                    .containsEntry("APT_PACKAGES", "nbdkit");
        }
    }

    @Test
    void servicesStartAfterTheirDependenciesAreHealthy() throws IOException {
        // given: the services that apply the database migrations (Flyway) when they start
        Set<String> migrating = migratingServices();
        assertThat(migrating).containsExactlyInAnyOrder("job-service", "failover-service", "scheduler-service");

        for (String service : SERVICE_PORTS.keySet()) {
            // when
            Map<String, Object> dependsOn = map(services.get(service).get("depends_on"));

            // then: Kafka, the registry, PostgreSQL where it has tables, and, where it reads tables it
            // does not migrate, the services that migrate them
            Set<String> expected = new LinkedHashSet<>(KAFKA_NODES);
            expected.add("registry");
            if (TARGET_USERS.contains(service)) {
                expected.add(SIMULATOR);
            }
            if (DATABASE_USERS.contains(service)) {
                expected.add("postgres");
                if (!migrating.contains(service)) {
                    expected.addAll(migrating);
                }
            }
            assertThat(dependsOn.keySet()).as("dependencies of %s", service).containsExactlyInAnyOrderElementsOf(expected);
            dependsOn.values().forEach(condition ->
                    assertThat(map(condition)).containsEntry("condition", "service_healthy"));
        }
    }

    @Test
    void everyServiceWaitedForHasAHealthcheckAndTheOrderHasNoCycle() {
        Map<String, Set<String>> graph = new TreeMap<>();
        services.keySet().forEach(service -> graph.put(service, services.get(service).containsKey("depends_on")
                ? dependsOn(service) : Set.of()));

        // then: "service_healthy" needs a healthcheck on the other side, or compose never starts the dependant
        graph.values().stream().flatMap(Set::stream).distinct().forEach(dependency -> {
            Map<String, Object> healthcheck = map(services.get(dependency).get("healthcheck"));
            assertThat(String.valueOf(healthcheck.get("test"))).as("healthcheck of %s", dependency).isNotBlank();
        });
        // and: the services are healthy when their readiness (Kafka, registry, database, streams) is UP
        SERVICE_PORTS.forEach((service, port) -> assertThat(String.valueOf(map(services.get(service)
                .get("healthcheck")).get("test"))).as("healthcheck of %s", service)
                .contains("/dev/tcp/127.0.0.1/" + port).contains("GET /actuator/health/readiness"));
        // and: there is an order to start them in
        Set<String> started = new LinkedHashSet<>();
        while (started.size() < graph.size()) {
            List<String> startable = graph.entrySet().stream()
                    .filter(e -> !started.contains(e.getKey()) && started.containsAll(e.getValue()))
                    .map(Map.Entry::getKey).toList();
            assertThat(startable).as("services that can start after %s", started).isNotEmpty();
            started.addAll(startable);
        }
        assertThat(new ArrayList<>(started)).containsSubsequence("job-service", "job-intake")
                .containsSubsequence("failover-service", "job-intake")
                .containsSubsequence("scheduler-service", "job-intake");
    }

    @Test
    void noSecretValueIsCommitted() throws IOException {
        // given
        Map<String, String> secrets = new TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            env(service.getKey()).forEach((name, value) -> {
                if (SECRET_NAME.matcher(name).matches()) {
                    secrets.put(service.getKey() + "." + name, value);
                }
            });
        }

        // then: every secret is a required variable of the env file, without a default
        assertThat(secrets).isNotEmpty();
        secrets.forEach((where, value) -> assertThat(value).as(where).matches(REQUIRED_VARIABLE));
        // and the example env file names the variables without values
        List<String> exampleLines = Files.readAllLines(Path.of("migratekit.env.example"), StandardCharsets.UTF_8)
                .stream().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(exampleLines).isNotEmpty().allSatisfy(line -> assertThat(line).matches("[A-Z][A-Z0-9_]*="));
        Set<String> requiredVariables = secrets.values().stream()
                .map(value -> value.substring(2, value.indexOf(":?"))).collect(Collectors.toSet());
        assertThat(exampleLines.stream().map(line -> line.substring(0, line.length() - 1)).toList())
                .containsAll(requiredVariables);
        assertThat(Files.readAllLines(Path.of(".gitignore"))).contains(".env");
    }

    /** The services whose module applies the Flyway migrations at start (Spring Boot's Flyway starter). */
    private static Set<String> migratingServices() throws IOException {
        Set<String> migrating = new TreeSet<>();
        for (String service : SERVICE_PORTS.keySet()) {
            String pom = Files.readString(Path.of("..", service, "pom.xml"), StandardCharsets.UTF_8);
            if (pom.contains("<artifactId>spring-boot-starter-flyway</artifactId>")) {
                migrating.add(service);
            }
        }
        return migrating;
    }

    private static String image(String service) {
        return (String) services.get(service).get("image");
    }

    private static Map<String, String> env(String service) {
        return strings(services.get(service).get("environment"));
    }

    private static Set<String> dependsOn(String service) {
        return map(services.get(service).get("depends_on")).keySet();
    }

    private static List<String> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> result = new LinkedHashMap<>();
        map(value).forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        return Stream.of(sets).flatMap(Set::stream).collect(Collectors.toSet());
    }

    private static Map<String, Integer> orderedMap(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }
}
