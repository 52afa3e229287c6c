package io.migratekit.cssim;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.migratekit.cssim.CloudState.Job;
import io.migratekit.cssim.CloudState.Snapshot;
import io.migratekit.cssim.CloudState.Volume;
import io.migratekit.cssim.CloudState.Vm;
import io.migratekit.cssim.SimulatorConfig.Named;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated cloud: executes every command against {@link CloudState}, checks parameters
 * synchronously (missing → 431 naming it, unknown id → 431), runs async commands as jobs that
 * complete after the configured delay (where {@link Rules} may refuse them: jobstatus 2), keeps the
 * appliance's device entries in step through {@link Disks}, and saves the state after every change.
 *
 * <p>Owns the semantics of the commands and the one lock over the state. It does not own HTTP,
 * signatures or the answer envelope ({@link ApiHandler}), nor rendering ({@link Views}).
 */
final class Cloud {

    private static final long GIB = 1L << 30;

    /** The async commands CloudStack answers with a job id; {@code true} where the answer also carries the new object's id. */
    static final Map<String, Boolean> ASYNC = Map.ofEntries(
            Map.entry("createvolume", true), Map.entry("attachvolume", false), Map.entry("detachvolume", false),
            Map.entry("createsnapshot", true), Map.entry("deletesnapshot", false),
            Map.entry("deployvirtualmachine", true), Map.entry("startvirtualmachine", false),
            Map.entry("stopvirtualmachine", false), Map.entry("destroyvirtualmachine", false));

    private static final Set<String> LIST_COMMANDS = Set.of("listzones", "listserviceofferings", "listdiskofferings",
            "listtemplates", "listnetworks", "listaccounts", "listvirtualmachines", "listvolumes", "listsnapshots");

    /** Parameters CloudStack requires, checked before any id is looked up. */
    private static final Map<String, List<String>> REQUIRED = Map.of(
            "attachvolume", List.of("id", "virtualmachineid"),
            "createsnapshot", List.of("volumeid"),
            "deployvirtualmachine", List.of("serviceofferingid", "templateid", "zoneid"));

    private final SimulatorConfig config;
    private final Views views;
    private final Disks disks;
    private final StateFile stateFile;
    private final Faults faults;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CloudState state;
    private boolean stopped;

    Cloud(SimulatorConfig config, Faults faults, ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.views = new Views(config);
        this.disks = new Disks(config.dataDir(), config.deviceDir());
        this.stateFile = new StateFile(config.dataDir());
        this.faults = faults;
        this.scheduler = scheduler;
        this.clock = clock;
        this.state = stateFile.exists() ? stateFile.read() : seed();
    }

    /** After start or restart: device entries match the state, pending jobs are due again (past-due ones now). */
    synchronized void resume() {
        Set<String> onAppliance = new HashSet<>();
        state.volumes.values().stream().filter(v -> config.applianceVm().id().equals(v.virtualMachineId))
                .forEach(v -> onAppliance.add(v.id));
        disks.reconcileDevices(onAppliance);
        for (Job job : state.jobs.values()) {
            if (job.status == 0 && job.dueAt != null) {
                schedule(job);
            }
        }
        stateFile.write(state);
    }

    private CloudState seed() {
        CloudState s = new CloudState();
        long now = clock.millis();
        Vm appliance = newVm(config.applianceVm().id(), config.applianceVm().name(), config.account().name(), config.zone().id(),
                config.applianceMac(), 4, 8192, now);
        appliance.state = "Running";
        s.vms.put(appliance.id, appliance);
        Volume root = rootVolume(appliance, now);
        s.volumes.put(root.id, root);
        disks.createVolume(root.id, root.sizeBytes);
        for (Named other : config.extraAccounts()) {
            Vm vm = newVm(UUID.randomUUID().toString(), other.name() + "-vm", other.name(), config.zone().id(), randomMac(), 1, 1024, now);
            s.vms.put(vm.id, vm);
        }
        return s;
    }

    // ---- synchronous commands

    synchronized ObjectNode list(String command, Params p) {
        return switch (command) {
            case "listzones" -> listOf("zone", allZones().stream().filter(z -> matches(p, "id", z.id()) && matches(p, "name", z.name()))
                    .map(views::zone).toList());
            case "listserviceofferings" -> listOf("serviceoffering", matches(p, "id", config.serviceOffering().id())
                    ? List.of(views.serviceOffering()) : List.of());
            case "listdiskofferings" -> listOf("diskoffering", matches(p, "id", config.diskOffering().id())
                    ? List.of(views.diskOffering()) : List.of());
            case "listtemplates" -> {
                p.required("templatefilter");
                yield listOf("template", matches(p, "id", config.template().id()) ? List.of(views.template()) : List.of());
            }
            case "listnetworks" -> listOf("network", config.networks().stream().filter(n -> matches(p, "id", n.id()))
                    .map(views::network).toList());
            case "listaccounts" -> listOf("account", matches(p, "name", config.account().name()) ? List.of(views.account()) : List.of());
            case "listvirtualmachines" -> {
                boolean all = p.flag("listall", false);
                yield listOf("virtualmachine", state.vms.values().stream()
                        .filter(vm -> all || vm.accountName.equals(config.account().name()))
                        .filter(vm -> matches(p, "id", vm.id) && matches(p, "name", vm.name) && matches(p, "zoneid", vm.zoneId)
                                && containsKeyword(p, vm.name))
                        .map(views::vm).toList());
            }
            case "listvolumes" -> listOf("volume", state.volumes.values().stream()
                    .filter(v -> matches(p, "id", v.id) && matches(p, "name", v.name) && matches(p, "type", v.type)
                            && matches(p, "virtualmachineid", v.virtualMachineId) && matches(p, "zoneid", v.zoneId)
                            && containsKeyword(p, v.name))
                    .map(this::render).toList());
            case "listsnapshots" -> listOf("snapshot", state.snapshots.values().stream()
                    .filter(s -> matches(p, "id", s.id) && matches(p, "volumeid", s.volumeId) && matches(p, "name", s.name)
                            && containsKeyword(p, s.name))
                    .map(views::snapshot).toList());
            default -> throw new IllegalArgumentException("not a list command: " + command);
        };
    }

    /** deleteVolume, CloudStack's one synchronous change here: {@code {"success": true}}. */
    synchronized ObjectNode deleteVolume(Params p) {
        refuseWhenStopped();
        Volume v = volume(p, "id");
        Rules.delete(v);
        state.volumes.remove(v.id);
        disks.deleteVolume(v.id);
        stateFile.write(state);
        ObjectNode n = Json.object();
        n.put("success", true);
        return n;
    }

    synchronized ObjectNode queryJob(Params p) {
        String jobId = p.required("jobid");
        Job job = state.jobs.get(jobId);
        if (job == null) {
            throw ApiException.invalidId(p.command(), "jobid", jobId);
        }
        ObjectNode n = Json.object();
        n.put("accountid", config.account().id());
        n.put("jobid", job.id);
        n.put("jobstatus", job.status);
        n.put("jobprocstatus", 0);
        n.put("jobresultcode", job.resultCode);
        n.put("created", Json.date(job.created));
        if (job.status != 0) {
            n.put("jobresulttype", "object");
            n.set("jobresult", job.result);
            n.put("completed", Json.date(job.completed));
        }
        if (job.objectId != null) {
            n.put("jobinstanceid", job.objectId);
        }
        return n;
    }

    // ---- async commands

    /** Checks the parameters, queues the job and answers {@code {"jobid"}} (and {@code "id"} for creates). */
    synchronized ObjectNode submit(String command, Params p) {
        refuseWhenStopped();
        REQUIRED.getOrDefault(command, List.of()).forEach(p::required);
        String objectId = validate(command, p);
        Job job = new Job();
        job.id = UUID.randomUUID().toString();
        job.command = command;
        job.params.putAll(p.forJob());
        job.objectId = objectId;
        job.accountName = config.account().name();
        job.created = clock.millis();
        job.dueAt = job.created + config.jobDelay().toMillis();
        faults.take(Faults.Kind.JOB_FAILURE, command).ifPresent(f -> {
            job.injectedErrorCode = f.errorCode();
            job.injectedErrorText = f.errorText();
        });
        faults.take(Faults.Kind.JOB_DELAY, command).ifPresent(f -> job.dueAt = job.created + f.delayMillis());
        if (faults.take(Faults.Kind.JOB_NEVER_FINISHES, command).isPresent()) {
            job.dueAt = null;
        }
        state.jobs.put(job.id, job);
        stateFile.write(state);
        if (job.dueAt != null) {
            schedule(job);
        }
        ObjectNode n = Json.object();
        if (ASYNC.get(command)) {
            n.put("id", objectId);
        }
        n.put("jobid", job.id);
        return n;
    }

    private void schedule(Job job) {
        long delay = Math.max(0, job.dueAt - clock.millis());
        scheduler.schedule(() -> complete(job.id), delay, TimeUnit.MILLISECONDS);
    }

    /** The synchronous part of an async command: required parameters and existing ids; returns the new object's id for creates. */
    private String validate(String command, Params p) {
        switch (command) {
            case "createvolume" -> {
                String snapshotId = p.get("snapshotid");
                if (snapshotId != null) {
                    snapshot(p, "snapshotid");
                } else {
                    String offering = p.get("diskofferingid");
                    if (offering == null) {
                        throw ApiException.rule("Either disk Offering Id or snapshot Id must be passed whilst creating volume");
                    }
                    if (!offering.equals(config.diskOffering().id())) {
                        throw ApiException.invalidId(command, "diskofferingid", offering);
                    }
                    zone(p, p.required("zoneid"));
                    Long size = p.number("size");
                    if (size == null || size < 1) {
                        throw ApiException.rule("This disk offering requires a custom size specified");
                    }
                }
                return UUID.randomUUID().toString();
            }
            case "attachvolume" -> {
                volume(p, "id");
                vm(p, "virtualmachineid");
                p.number("deviceid");
            }
            case "detachvolume" -> volume(p, "id");
            case "createsnapshot" -> {
                volume(p, "volumeid");
                return UUID.randomUUID().toString();
            }
            case "deletesnapshot" -> snapshot(p, "id");
            case "deployvirtualmachine" -> {
                String offering = p.required("serviceofferingid");
                if (!offering.equals(config.serviceOffering().id())) {
                    throw ApiException.invalidId(command, "serviceofferingid", offering);
                }
                String template = p.required("templateid");
                if (!template.equals(config.template().id())) {
                    throw ApiException.invalidId(command, "templateid", template);
                }
                zone(p, p.required("zoneid"));
                String networks = p.get("networkids");
                if (networks != null) {
                    for (String id : networks.split(",")) {
                        if (config.networks().stream().noneMatch(n -> n.id().equals(id.trim()))) {
                            throw ApiException.invalidId(command, "networkids", id.trim());
                        }
                    }
                }
                if (p.mapEntry("details", "cpuNumber") == null || p.mapEntry("details", "memory") == null) {
                    throw ApiException.rule("Need to specify custom parameter values cpu, cpu speed and memory when using custom offering");
                }
                return UUID.randomUUID().toString();
            }
            case "startvirtualmachine", "stopvirtualmachine", "destroyvirtualmachine" -> vm(p, "id");
            default -> throw new IllegalArgumentException("not an async command: " + command);
        }
        return null;
    }

    /** Runs a due job: the injected failure, or the command (a rule refusing it fails the job with 431). */
    synchronized void complete(String jobId) {
        Job job = state.jobs.get(jobId);
        if (stopped || job == null || job.status != 0) {
            return;
        }
        job.completed = clock.millis();
        if (job.injectedErrorCode != null) {
            fail(job, new ApiException(job.injectedErrorCode, ApiException.CS_CLOUD_RUNTIME, job.injectedErrorText));
        } else {
            try {
                job.result = execute(job);
                job.status = 1;
                job.resultCode = 0;
            } catch (ApiException e) {
                fail(job, e);
            } catch (RuntimeException e) {
                fail(job, new ApiException(530, ApiException.CS_CLOUD_RUNTIME, "Failed to run " + job.command + ": " + e.getMessage()));
            }
        }
        stateFile.write(state);
    }

    private static void fail(Job job, ApiException e) {
        ObjectNode r = Json.object();
        r.putArray("uuidList");
        r.put("errorcode", e.errorCode());
        r.put("cserrorcode", e.csErrorCode());
        r.put("errortext", e.getMessage());
        job.result = r;
        job.status = 2;
        job.resultCode = 530;
    }

    private ObjectNode execute(Job job) {
        Params p = new Params(withCommand(job));
        long now = clock.millis();
        ObjectNode result = Json.object();
        switch (job.command) {
            case "createvolume" -> {
                Volume v = new Volume();
                v.id = job.objectId;
                v.accountName = job.accountName;
                v.type = "DATADISK";
                v.created = now;
                String snapshotId = p.get("snapshotid");
                if (snapshotId != null) {
                    Snapshot s = snapshot(p, "snapshotid");
                    v.zoneId = s.zoneId;
                    v.sizeBytes = s.sizeBytes;
                    v.snapshotId = s.id;
                    v.state = "Ready";
                    disks.volumeFromSnapshot(s.id, v.id);
                } else {
                    v.zoneId = p.get("zoneid");
                    v.sizeBytes = p.number("size") * GIB;
                    v.diskOfferingId = p.get("diskofferingid");
                    v.state = "Allocated";
                    disks.createVolume(v.id, v.sizeBytes);
                }
                v.name = p.get("name") != null ? p.get("name") : "volume-" + v.id.substring(0, 8);
                state.volumes.put(v.id, v);
                result.set("volume", render(v));
            }
            case "attachvolume" -> {
                Volume v = volume(p, "id");
                Vm vm = vm(p, "virtualmachineid");
                long deviceId = Rules.attach(v, vm, p.number("deviceid"), volumesOf(vm.id));
                v.virtualMachineId = vm.id;
                v.deviceId = deviceId;
                v.state = "Ready";
                if (deviceId == 0) {
                    v.type = "ROOT";
                }
                if (vm.id.equals(config.applianceVm().id())) {
                    disks.linkDevice(v.id);
                }
                result.set("volume", render(v));
            }
            case "detachvolume" -> {
                Volume v = volume(p, "id");
                Rules.detach(v, v.virtualMachineId == null ? null : state.vms.get(v.virtualMachineId));
                if (config.applianceVm().id().equals(v.virtualMachineId)) {
                    disks.unlinkDevice(v.id);
                }
                v.virtualMachineId = null;
                v.deviceId = null;
                result.set("volume", render(v));
            }
            case "createsnapshot" -> {
                Volume v = volume(p, "volumeid");
                Rules.snapshot(v);
                Snapshot s = new Snapshot();
                s.id = job.objectId;
                // CloudStack takes the given name, or makes one of the volume's name and the time
                s.name = p.get("name") != null ? p.get("name")
                        : v.name + "_" + Json.date(now).replaceAll("[^0-9]", "").substring(0, 14);
                s.accountName = v.accountName;
                s.zoneId = v.zoneId;
                s.volumeId = v.id;
                s.volumeType = v.type;
                s.sizeBytes = v.sizeBytes;
                s.created = now;
                disks.snapshotVolume(v.id, s.id);
                state.snapshots.put(s.id, s);
                result.set("snapshot", views.snapshot(s));
            }
            case "deletesnapshot" -> {
                Snapshot s = snapshot(p, "id");
                state.snapshots.remove(s.id);
                disks.deleteSnapshot(s.id);
                result.put("success", true);
            }
            case "deployvirtualmachine" -> {
                String networks = p.get("networkids");
                String networkId = networks != null ? networks.split(",")[0].trim() : config.networks().get(0).id();
                Vm vm = newVm(job.objectId, p.get("name") != null ? p.get("name") : "VM-" + job.objectId, job.accountName,
                        p.get("zoneid"), randomMac(), Integer.parseInt(p.mapEntry("details", "cpuNumber").trim()),
                        Integer.parseInt(p.mapEntry("details", "memory").trim()), now);
                vm.displayName = p.get("displayname") != null ? p.get("displayname") : vm.name;
                vm.networkId = networkId;
                vm.state = p.flag("startvm", true) ? "Running" : "Stopped";
                state.vms.put(vm.id, vm);
                Volume root = rootVolume(vm, now);
                state.volumes.put(root.id, root);
                disks.createVolume(root.id, root.sizeBytes);
                result.set("virtualmachine", views.vm(vm));
            }
            case "startvirtualmachine" -> {
                Vm vm = vm(p, "id");
                Rules.start(vm, volumesOf(vm.id));
                vm.state = "Running";
                result.set("virtualmachine", views.vm(vm));
            }
            case "stopvirtualmachine" -> {
                Vm vm = vm(p, "id");
                if (!"Destroyed".equals(vm.state)) {
                    vm.state = "Stopped";
                }
                result.set("virtualmachine", views.vm(vm));
            }
            case "destroyvirtualmachine" -> {
                Vm vm = vm(p, "id");
                vm.state = "Destroyed";
                result.set("virtualmachine", views.vm(vm));
                if (p.flag("expunge", false)) {
                    expunge(vm);
                }
            }
            default -> throw new IllegalStateException("unknown job command " + job.command);
        }
        return result;
    }

    /** Expunging removes the VM and its ROOT volume; data volumes are detached and kept. */
    private void expunge(Vm vm) {
        for (Volume v : volumesOf(vm.id)) {
            if ("ROOT".equals(v.type)) {
                state.volumes.remove(v.id);
                disks.deleteVolume(v.id);
            } else {
                v.virtualMachineId = null;
                v.deviceId = null;
            }
        }
        state.vms.remove(vm.id);
    }

    private Map<String, String> withCommand(Job job) {
        Map<String, String> m = new LinkedHashMap<>(job.params);
        m.put("command", job.command);
        return m;
    }

    /** From now on nothing changes (a job due later stays pending in the state file); waits for a change in progress. */
    synchronized void stop() {
        stopped = true;
    }

    /** A request still in flight when the simulator stops must not write over the state a new instance may own. */
    private void refuseWhenStopped() {
        if (stopped) {
            throw new ApiException(530, ApiException.CS_CLOUD_RUNTIME, "the simulator is stopping");
        }
    }

    // ---- lookups and helpers

    /** The id of every volume that has an entry in the device directory. */
    synchronized List<String> applianceVolumeIds() {
        return state.volumes.values().stream().filter(v -> config.applianceVm().id().equals(v.virtualMachineId)).map(v -> v.id).toList();
    }

    synchronized ObjectNode dump() {
        return Json.MAPPER.valueToTree(state);
    }

    Disks disks() {
        return disks;
    }

    private ObjectNode render(Volume v) {
        return views.volume(v, v.virtualMachineId == null ? null : state.vms.get(v.virtualMachineId));
    }

    private List<Volume> volumesOf(String vmId) {
        return state.volumes.values().stream().filter(v -> vmId.equals(v.virtualMachineId)).toList();
    }

    private List<Named> allZones() {
        List<Named> zones = new ArrayList<>();
        zones.add(config.zone());
        zones.addAll(config.extraZones());
        return zones;
    }

    private void zone(Params p, String zoneId) {
        if (allZones().stream().noneMatch(z -> z.id().equals(zoneId))) {
            throw ApiException.invalidId(p.command(), "zoneid", zoneId);
        }
    }

    private Volume volume(Params p, String name) {
        return existing(p, name, state.volumes::get);
    }

    private Vm vm(Params p, String name) {
        return existing(p, name, state.vms::get);
    }

    private Snapshot snapshot(Params p, String name) {
        return existing(p, name, state.snapshots::get);
    }

    private static <T> T existing(Params p, String name, Function<String, T> lookup) {
        String id = p.required(name);
        T found = lookup.apply(id);
        if (found == null) {
            throw ApiException.invalidId(p.command(), name, id);
        }
        return found;
    }

    private static boolean matches(Params p, String name, String value) {
        String wanted = p.get(name);
        return wanted == null || wanted.equalsIgnoreCase(value == null ? "" : value);
    }

    /** CloudStack's {@code keyword} filter: the name contains it (ignoring case). */
    private static boolean containsKeyword(Params p, String name) {
        String keyword = p.get("keyword");
        return keyword == null || (name != null && name.toLowerCase(Locale.ROOT).contains(keyword.toLowerCase(Locale.ROOT)));
    }

    private static ObjectNode listOf(String key, List<ObjectNode> items) {
        ObjectNode n = Json.object();
        // CloudStack answers an empty list as an empty object, without count.
        if (!items.isEmpty()) {
            n.put("count", items.size());
            ArrayNode array = n.putArray(key);
            items.forEach(array::add);
        }
        return n;
    }

    private Volume rootVolume(Vm vm, long now) {
        Volume root = new Volume();
        root.id = UUID.randomUUID().toString();
        root.name = "ROOT-" + vm.name;
        root.accountName = vm.accountName;
        root.zoneId = vm.zoneId;
        root.type = "ROOT";
        root.state = "Ready";
        root.sizeBytes = config.templateSizeGiB() * GIB;
        root.virtualMachineId = vm.id;
        root.deviceId = 0L;
        root.created = now;
        return root;
    }

    private Vm newVm(String id, String name, String account, String zoneId, String mac, int cpus, int memory, long now) {
        Vm vm = new Vm();
        vm.id = id;
        vm.name = name;
        vm.displayName = name;
        vm.accountName = account;
        vm.zoneId = zoneId;
        vm.templateId = config.template().id();
        vm.serviceOfferingId = config.serviceOffering().id();
        vm.cpuNumber = cpus;
        vm.memory = memory;
        vm.state = "Stopped";
        vm.macAddress = mac;
        vm.nicId = UUID.randomUUID().toString();
        vm.networkId = config.networks().isEmpty() ? null : config.networks().get(0).id();
        vm.created = now;
        return vm;
    }

    private static String randomMac() {
        String hex = UUID.randomUUID().toString().replace("-", "");
        return String.format(Locale.ROOT, "02:00:%s:%s:%s:%s", hex.substring(0, 2), hex.substring(2, 4), hex.substring(4, 6), hex.substring(6, 8));
    }

    static boolean isList(String command) {
        return LIST_COMMANDS.contains(command);
    }
}
