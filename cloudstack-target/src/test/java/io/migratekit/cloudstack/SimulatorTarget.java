package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackClient.Timing;
import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdServerSettings;
import io.migratekit.cloudstack.nbd.NbdkitApplianceServer;
import io.migratekit.cssim.CloudStackSimulator;
import io.migratekit.cssim.Faults.Fault;
import io.migratekit.cssim.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One CloudStack target for the services' tests, the way production has it: a CloudStack API
 * simulator (in process, its own data and device directories under a temporary directory, a fresh
 * key pair) reached only through {@link CloudStackTargetPlatform} and {@link io.migratekit.cloudstack.client.CloudStackClient},
 * and the appliance's real NBD server (nbdkit) serving the volumes attached to the appliance.
 *
 * <p>Owns the wiring and read-only views of the simulator's state (the volumes and VMs the tests
 * made; the appliance's own ROOT is left out) and fault injection. It does not own any assertion.
 * Shared by cloudstack-target's, job-service's and failover-service's tests (this module's test-jar).
 */
public final class SimulatorTarget implements AutoCloseable {

    /**
     * Polls fast (async jobs of the simulator finish in {@link #JOB_DELAY}); a call may take up to 30 s,
     * since the simulator answers nothing while it copies a volume's bytes into a snapshot.
     */
    public static final Timing TIMING = new Timing(Duration.ofSeconds(30), Duration.ofMillis(20),
            Duration.ofMillis(100), Duration.ofSeconds(60), Duration.ofMinutes(5));
    private static final long GIB = 1024L * 1024 * 1024;
    public static final Duration JOB_DELAY = Duration.ofMillis(50);
    /** The names of the test networks (test mapping) and live networks (live mapping) the target maps. */
    public static final String TEST_NETWORK = "test-net";
    public static final String LIVE_NETWORK = "prod-net";

    /** A volume as the simulated cloud holds it; {@code vmId} is null when it is detached. */
    public record Volume(String id, String name, String type, long sizeGb, String vmId, boolean onAppliance) {
    }

    /** A VM as the simulated cloud holds it. */
    public record Vm(String id, String name, String displayName, String state, String networkId, int cpus, int memoryMb) {
    }

    private final long id;
    private volatile CloudStackSimulator simulator;
    private final NbdExportServer nbdServer;
    private final String nbdHost;
    private final int nbdPort;
    private final CloudStackTargetConfig config;
    private final Set<String> seededVolumes;
    private final InMemoryAsyncJobJournal journal = new InMemoryAsyncJobJournal();

    private SimulatorTarget(long id, CloudStackSimulator simulator, NbdExportServer nbdServer, String nbdHost,
            int nbdPort, CloudStackTargetConfig config) {
        this.id = id;
        this.simulator = simulator;
        this.nbdServer = nbdServer;
        this.nbdHost = nbdHost;
        this.nbdPort = nbdPort;
        this.config = config;
        this.seededVolumes = Set.copyOf(simulator.state().get("volumes").propertyNames());
    }

    /**
     * Starts target {@code id} (the {@code ossea_config_id}) under {@code dir}: the simulator on a free
     * port and nbdkit on another, listening on loopback and named in export URLs as {@code nbdHost}.
     */
    public static SimulatorTarget start(Path dir, long id, String nbdHost) {
        CloudStackSimulator simulator = CloudStackSimulator.start(SimulatorConfig.builder()
                .dataDir(dir.resolve("cloud")).deviceDir(dir.resolve("devices"))
                .apiKey(randomKey()).secretKey(randomKey()).jobDelay(JOB_DELAY).build());
        try {
            SimulatorConfig world = simulator.config();
            Path secret = Files.writeString(dir.resolve("cloudstack-secret"), world.secretKey());
            String testNet = world.networks().get(0).id();
            String liveNet = world.networks().get(1).id();
            CloudStackTargetConfig config = new CloudStackTargetConfig(id, simulator.endpoint(), world.apiKey(),
                    SecretSource.file(secret.toString()), world.zone().id(), world.diskOffering().id(),
                    world.serviceOffering().id(), world.template().id(), world.applianceVm().id(),
                    new NetworkMapping(List.of(testNet), Map.of(TEST_NETWORK, List.of(testNet))),
                    new NetworkMapping(List.of(liveNet), Map.of(LIVE_NETWORK, List.of(liveNet))));
            int nbdPort = freePort();
            NbdExportServer nbd = NbdExportServer.start(new NbdServerSettings(world.deviceDir(), dir.resolve("nbd"),
                    "127.0.0.1", nbdPort, nbdHost, NbdServerSettings.DEFAULT_SERVER_BINARY, Duration.ofSeconds(5),
                    Duration.ofSeconds(10)));
            return new SimulatorTarget(id, simulator, nbd, nbdHost, nbdPort, config);
        } catch (IOException | RuntimeException e) {
            simulator.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public long id() {
        return id;
    }

    public CloudStackSimulator simulator() {
        return simulator;
    }

    public CloudStackTargetConfig config() {
        return config;
    }

    public NbdExportServer nbdServer() {
        return nbdServer;
    }

    public int nbdPort() {
        return nbdPort;
    }

    /** The appliance's NBD server (this fixture's nbdkit) as the port a service's platform uses. */
    public ApplianceNbdServer applianceNbdServer() {
        return new NbdkitApplianceServer(nbdServer);
    }

    /** A platform on this target with the fixture's own in-memory job journal (a process of the test's). */
    public CloudStackTargetPlatform platform() {
        return platform(journal);
    }

    /** A platform on this target with this journal (what a service builds). */
    public CloudStackTargetPlatform platform(AsyncJobJournal journal) {
        return new CloudStackTargetPlatform(config, config.client(System::getenv, TIMING, Clock.systemUTC()), journal,
                applianceNbdServer(), nbdHost, nbdPort);
    }

    /**
     * The settings that make a service drive this target as {@code migratekit.cloudstack.targets[index]}
     * and name its NBD server; the service gets that server as its {@link ApplianceNbdServer} bean
     * ({@link #applianceNbdServer()}) instead of starting its own.
     */
    public Map<String, String> properties(int index) {
        String p = "migratekit.cloudstack.targets[" + index + "].";
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("migratekit.cloudstack.target", "cloudstack");
        properties.put("migratekit.cloudstack.nbd-host", nbdHost);
        properties.put("migratekit.cloudstack.nbd-port", String.valueOf(nbdPort));
        properties.put(p + "id", String.valueOf(id));
        properties.put(p + "api-url", config.apiUrl());
        properties.put(p + "api-key", config.apiKey());
        properties.put(p + "secret-file", config.secret().reference());
        properties.put(p + "zone-id", config.zoneId());
        properties.put(p + "disk-offering-id", config.diskOfferingId());
        properties.put(p + "service-offering-id", config.serviceOfferingId());
        properties.put(p + "template-id", config.templateId());
        properties.put(p + "appliance-vm-id", config.applianceVmId());
        properties.put(p + "test-networks.defaults[0]", config.testNetworks().defaultNetworkIds().get(0));
        properties.put(p + "test-networks.by-name." + TEST_NETWORK, config.testNetworks().defaultNetworkIds().get(0));
        properties.put(p + "live-networks.defaults[0]", config.liveNetworks().defaultNetworkIds().get(0));
        properties.put(p + "live-networks.by-name." + LIVE_NETWORK, config.liveNetworks().defaultNetworkIds().get(0));
        return properties;
    }

    /** The volumes the tests made, in creation order (the appliance's own ROOT is not one of them). */
    public List<Volume> volumes() {
        String appliance = config.applianceVmId();
        List<Volume> volumes = new ArrayList<>();
        simulator.state().get("volumes").forEach(v -> {
            if (!seededVolumes.contains(v.get("id").asString())) {
                String vmId = text(v, "virtualMachineId");
                volumes.add(new Volume(v.get("id").asString(), v.get("name").asString(), v.get("type").asString(),
                        v.get("sizeBytes").asLong() / GIB, vmId, appliance.equals(vmId)));
            }
        });
        return volumes;
    }

    public Optional<Volume> volume(String volumeId) {
        return volumes().stream().filter(v -> v.id().equals(volumeId)).findFirst();
    }

    /** The VMs the tests made (the appliance is not one of them), in creation order; expunged ones are gone. */
    public List<Vm> vms() {
        List<Vm> vms = new ArrayList<>();
        simulator.state().get("vms").forEach(vm -> {
            if (!config.applianceVmId().equals(vm.get("id").asString())) {
                vms.add(new Vm(vm.get("id").asString(), vm.get("name").asString(), text(vm, "displayName"),
                        vm.get("state").asString(), text(vm, "networkId"), vm.get("cpuNumber").asInt(),
                        vm.get("memory").asInt()));
            }
        });
        return vms;
    }

    /** The VMs made for this failover (their CloudStack name ends with the 8 hex of the request key). */
    public List<Vm> vmsOf(String requestKey) {
        String suffix = CloudStackTargetPlatform.resourcePrefix(requestKey).substring("mk".length());
        return vms().stream().filter(vm -> vm.name().endsWith(suffix)).toList();
    }

    /** The commands of the async jobs the cloud was given, in order (lower case, as CloudStack keeps them). */
    public List<String> asyncCommands() {
        List<String> commands = new ArrayList<>();
        simulator.state().get("jobs").forEach(job -> commands.add(job.get("command").asString()));
        return commands;
    }

    /** The ids of the volumes attached to this VM, by device id (the root, device 0, first). */
    public List<String> volumeIdsOf(String vmId) {
        List<JsonNode> attached = new ArrayList<>();
        simulator.state().get("volumes").forEach(v -> {
            if (vmId.equals(text(v, "virtualMachineId"))) {
                attached.add(v);
            }
        });
        attached.sort(java.util.Comparator.comparingLong(v -> v.get("deviceId").asLong()));
        return attached.stream().map(v -> v.get("id").asString()).toList();
    }

    /**
     * The VM a platform on this target makes from this spec, as the cloud holds it: its CloudStack name
     * (host name and 8 hex of the request key), the spec's name as display name, the network the test
     * or live mapping gives the spec's network, CPUs and memory.
     */
    public Vm vmFrom(String vmId, TargetVmSpec spec, boolean test, String state) {
        NetworkMapping mapping = test ? config.testNetworks() : config.liveNetworks();
        return new Vm(vmId, CloudStackTargetPlatform.vmName(spec), spec.name(), state,
                mapping.networkIds(spec.network()).orElseThrow().get(0), spec.cpus(), Math.toIntExact(spec.memoryMb()));
    }

    /**
     * Stops the simulator and starts it again on the same port and data directory (its state kept), with
     * async jobs taking {@code jobDelay} from now on; a pending job keeps the time it was due.
     */
    public void restartSimulator(Duration jobDelay) {
        CloudStackSimulator old = simulator;
        int port = old.port();
        old.close();
        simulator = CloudStackSimulator.start(old.config().toBuilder().port(port).jobDelay(jobDelay).build());
    }

    /** The next {@code times} calls of {@code command} answer HTTP 530 (CloudStack's internal error) and change nothing. */
    public void failNext(String command, int times) {
        simulator.faults().add(Fault.httpError(command, 530, times));
    }

    /** Every later call of {@code command} answers HTTP 530, until {@link #clearFaults()}. */
    public void failAlways(String command) {
        simulator.faults().add(Fault.httpError(command, 530, -1));
    }

    /** The next {@code times} jobs of the async {@code command} stay pending for good. */
    public void neverFinish(String command, int times) {
        simulator.faults().add(Fault.jobNeverFinishes(command, times));
    }

    public void clearFaults() {
        simulator.faults().clear();
    }

    /** Stops nbdkit and the simulator. */
    @Override
    public void close() {
        try {
            nbdServer.close();
        } finally {
            simulator.close();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
