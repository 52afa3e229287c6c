package io.migratekit.vmasim;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The VMA wire contract under {@code /api/v1}: health, discover, replicate, progress and the power
 * calls, with the same JSON shapes and plain-text errors as the real VMA (see docs/vma-api.md).
 *
 * <p>Owns request validation, the wire shapes and applying the faults that concern a call (global
 * unavailability and delays, per-VM discovery/replicate/power faults, malformed answers and response delays). It does
 * not own the copy simulation ({@link CopyEngine}) nor inventory storage ({@link Inventory}).
 * Credentials are required but never logged, echoed or stored.
 */
final class ApiHandler {

    private final SimulatorConfig config;
    private final Inventory inventory;
    private final Faults faults;
    private final CopyEngine engine;
    private final ScheduledExecutorService scheduler;

    ApiHandler(SimulatorConfig config, Inventory inventory, Faults faults, CopyEngine engine, ScheduledExecutorService scheduler) {
        this.config = config;
        this.inventory = inventory;
        this.faults = faults;
        this.engine = engine;
        this.scheduler = scheduler;
    }

    /** Handles a request whose path starts with {@code /api/v1}; segments 0 and 1 are "api", "v1". */
    SimResponse handle(SimRequest req) {
        GlobalFaults global = faults.global();
        sleep(global.responseDelay());
        if (global.unavailable()) {
            return SimResponse.text(503, "service unavailable");
        }
        List<String> s = req.segments();
        String first = req.segment(2);
        if (first == null) {
            throw HttpError.notFound("404 page not found");
        }
        switch (first) {
            case "health" -> {
                requireShape(req, s.size() == 3, "GET");
                return health();
            }
            case "discover" -> {
                requireShape(req, s.size() == 3, "POST");
                return discover(req.json());
            }
            case "replicate" -> {
                requireShape(req, s.size() == 3, "POST");
                return replicate(req.json());
            }
            case "progress" -> {
                requireShape(req, s.size() == 4, "GET");
                return progress(s.get(3));
            }
            case "vm" -> {
                if (s.size() != 5) {
                    throw HttpError.notFound("404 page not found");
                }
                String vmId = s.get(3);
                switch (s.get(4)) {
                    case "power-off" -> {
                        requireShape(req, true, "POST");
                        return answerUnlessLost(powerOff(vmId, req.json()), powerFault(vmId, true));
                    }
                    case "power-on" -> {
                        requireShape(req, true, "POST");
                        return answerUnlessLost(powerOn(vmId, req.json()), powerFault(vmId, false));
                    }
                    case "power-state" -> {
                        requireShape(req, true, "GET");
                        return powerState(vmId, req);
                    }
                    default -> throw HttpError.notFound("404 page not found");
                }
            }
            default -> throw HttpError.notFound("404 page not found");
        }
    }

    private static void requireShape(SimRequest req, boolean pathMatches, String method) {
        if (!pathMatches) {
            throw HttpError.notFound("404 page not found");
        }
        if (!req.is(method)) {
            throw new HttpError(405, "method not allowed");
        }
    }

    private SimResponse health() {
        ObjectNode o = Json.object();
        o.put("status", "healthy");
        o.put("service", "vma-simulator");
        o.put("simulated", true);
        o.put("timestamp", Instant.now().toString());
        o.put("active_jobs", engine.activeCount());
        o.put("inventory_vms", inventory.size());
        return SimResponse.ok(o);
    }

    private SimResponse discover(ObjectNode body) {
        String vcenter = Json.text(body, "vcenter");
        requireCredentials(vcenter, Json.text(body, "username"), Json.text(body, "password"));
        String datacenter = Json.text(body, "datacenter", "");
        String filter = Json.text(body, "filter", "");
        if (!datacenter.isBlank() && !inventory.datacenters().contains(datacenter)) {
            throw HttpError.notFound("datacenter '" + datacenter + "' not found");
        }
        List<SimVm> found = inventory.search(datacenter, filter);
        Duration delay = Duration.ZERO;
        boolean error = false;
        boolean malformed = false;
        for (SimVm vm : found) {
            Faults.Effective f = faults.of(vm);
            delay = max(delay, max(f.discoveryDelay(), f.responseDelay()));
            error |= f.discoveryError();
            malformed |= f.malformedJson().contains(VmaCall.DISCOVER);
        }
        sleep(delay);
        if (error) {
            throw HttpError.internal("failed to discover VMs: ServerFaultCode: simulated vCenter fault");
        }
        ObjectNode o = Json.object();
        ObjectNode vc = o.putObject("vcenter");
        vc.put("host", vcenter);
        vc.put("datacenter", datacenter.isBlank() ? inventory.defaultDatacenter() : datacenter);
        ArrayNode vms = o.putArray("vms");
        for (SimVm vm : found) {
            vms.add(discoveredVm(vm));
        }
        return malformed ? SimResponse.truncated(o) : SimResponse.ok(o);
    }

    /** One VM exactly as the real VMA's discovery lists it, {@code cpus}/{@code os_type} empty included. */
    static ObjectNode discoveredVm(SimVm vm) {
        ObjectNode o = Json.object();
        o.put("id", vm.id());
        o.put("name", vm.name());
        o.put("path", vm.path());
        o.put("datacenter", vm.datacenter());
        o.put("power_state", vm.powerState().wire());
        o.put("guest_os", vm.guestOs());
        o.put("num_cpu", vm.numCpu());
        o.put("memory_mb", vm.memoryMb());
        o.put("vmx_version", vm.vmxVersion());
        o.put("cpus", 0);
        o.put("os_type", "");
        ArrayNode disks = o.putArray("disks");
        for (SimDisk d : vm.disks()) {
            ObjectNode dj = disks.addObject();
            dj.put("id", d.id());
            dj.put("label", d.label());
            dj.put("path", d.vmdkPath());
            dj.put("vmdk_path", d.vmdkPath());
            dj.put("size_gb", d.sizeGb());
            dj.put("capacity_bytes", d.capacityBytes());
            dj.put("datastore", d.datastore());
            dj.put("provisioning_type", d.provisioningType());
            dj.put("unit_number", d.unitNumber());
        }
        ArrayNode nets = o.putArray("networks");
        for (SimNetwork n : vm.networks()) {
            ObjectNode nj = nets.addObject();
            nj.put("label", n.label());
            nj.put("network_name", n.networkName());
            nj.put("adapter_type", n.adapterType());
            nj.put("mac_address", n.macAddress());
            nj.put("connected", n.connected());
        }
        return o;
    }

    private SimResponse replicate(ObjectNode body) {
        String jobId = Json.text(body, "job_id");
        if (jobId == null || jobId.isBlank()) {
            throw HttpError.badRequest("job_id is required");
        }
        requireCredentials(Json.text(body, "vcenter"), Json.text(body, "username"), Json.text(body, "password"));
        ArrayNode paths = Json.arrayField(body, "vm_paths");
        if (paths.isEmpty()) {
            throw HttpError.badRequest("vm_paths is required");
        }
        if (paths.size() > 1) {
            throw HttpError.badRequest("exactly one VM path per job is supported");
        }
        JsonNode pathNode = paths.get(0);
        if (!pathNode.isString() || pathNode.stringValue().isBlank()) {
            throw HttpError.badRequest("vm_paths must contain a VM inventory path");
        }
        String vmPath = pathNode.stringValue();
        String omaUrl = config.omaUrl() != null && !config.omaUrl().isBlank() ? config.omaUrl() : Json.text(body, "oma_url");
        if (omaUrl == null || omaUrl.isBlank()) {
            throw HttpError.badRequest("oma_url is required");
        }
        if (!isHttpUrl(omaUrl)) {
            throw HttpError.badRequest("oma_url must be an http(s) URL");
        }
        SimVm vm = inventory.byPath(vmPath).orElseThrow(() -> HttpError.notFound("VM not found: " + vmPath));
        Faults.Effective f = faults.of(vm);
        sleep(max(f.responseDelay(), f.replicateDelay()));
        if (f.vanished()) {
            throw HttpError.notFound("VM not found: " + vmPath);
        }
        if (f.replicateError()) {
            throw HttpError.internal("failed to start replication: simulated VMA error");
        }
        if (f.malformedJson().contains(VmaCall.REPLICATE)) {
            return SimResponse.truncated(Json.object().put("job_id", jobId).put("status", "started"));
        }
        if (vm.disks().isEmpty()) {
            throw HttpError.badRequest("VM " + vmPath + " has no disks to replicate");
        }
        Map<Integer, NbdTarget> targets = validateTargets(vm, Json.arrayField(body, "nbd_targets"));

        CopyEngine.Submission submission = engine.submit(jobId, vm, vmPath, omaUrl, targets, f.progressNotFound());
        ObjectNode o = Json.object();
        o.put("job_id", jobId);
        o.put("status", "started");
        o.put("vm_count", 1);
        o.put("started_at", submission.job().acceptedAt.toString());
        return SimResponse.ok(o);
    }

    /** Checks one target per disk; returns them by disk key when data is copied (parsed, so a bad one is a 400), else none. */
    private Map<Integer, NbdTarget> validateTargets(SimVm vm, ArrayNode targets) {
        Set<Integer> covered = new HashSet<>();
        Map<Integer, NbdTarget> parsed = new HashMap<>();
        for (JsonNode t : targets) {
            if (!t.isObject()) {
                throw HttpError.badRequest("nbd_targets entries must be objects");
            }
            String device = Json.text(t, "device_path");
            if (device == null || !device.startsWith("nbd://")) {
                throw HttpError.badRequest("nbd target device_path must be an nbd:// URL");
            }
            String keyText = Json.text(t, "vmware_disk_key");
            int key;
            try {
                key = Integer.parseInt(keyText == null ? "" : keyText.trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("nbd target vmware_disk_key must be a disk device key such as \"2000\"");
            }
            if (vm.diskByKey(key) == null) {
                throw HttpError.badRequest("nbd target for unknown disk key " + key + " of VM " + vm.path());
            }
            if (!covered.add(key)) {
                throw HttpError.badRequest("more than one nbd target for disk key " + key);
            }
            if (config.copyData()) {
                try {
                    parsed.put(key, NbdTarget.parse(device));
                } catch (IllegalArgumentException e) {
                    throw HttpError.badRequest(e.getMessage());
                }
            }
        }
        Set<String> missing = new TreeSet<>();
        for (SimDisk d : vm.disks()) {
            if (!covered.contains(d.key())) {
                missing.add(d.id());
            }
        }
        if (!missing.isEmpty()) {
            throw HttpError.badRequest("no nbd target for disk(s) " + String.join(", ", missing) + " of VM " + vm.path());
        }
        return parsed;
    }

    private SimResponse progress(String jobId) {
        SimJob job = engine.job(jobId);
        if (job == null) {
            throw HttpError.notFound("job not found");
        }
        sleep(faults.of(job.vm).responseDelay());
        if (!job.visible()) {
            throw HttpError.notFound("job not found");
        }
        if (faults.of(job.vm).malformedJson().contains(VmaCall.PROGRESS)) {
            return SimResponse.truncated(job.progressJson(config));
        }
        return SimResponse.ok(job.progressJson(config));
    }

    private SimVm powerTarget(String vmId) {
        SimVm vm = inventory.byId(vmId).orElseThrow(() -> HttpError.notFound("VM not found: " + vmId));
        Faults.Effective f = faults.of(vm);
        sleep(f.responseDelay());
        if (f.vanished()) {
            throw HttpError.notFound("VM not found: " + vmId);
        }
        return vm;
    }

    private SimResponse powerOff(String vmId, ObjectNode body) {
        requireCredentials(Json.text(body, "vcenter"), Json.text(body, "username"), Json.text(body, "password"));
        boolean force = Json.bool(body, "force", false);
        long timeout = Json.integer(body, "timeout", 300);
        if (timeout < 0) {
            throw HttpError.badRequest("timeout must not be negative");
        }
        SimVm vm = powerTarget(vmId);
        PowerFailure failure = faults.of(vm).powerOffFailure();
        long began = System.nanoTime();
        PowerState previous = vm.powerState();
        if (failure == PowerFailure.ERROR) {
            throw HttpError.internal("failed to power off VM " + vm.id() + ": simulated vCenter task failure");
        }
        if (failure == PowerFailure.REPORTED) {
            return powerResult(vm, false, previous, previous, "power-off", force ? "forced" : "graceful", began,
                    "power-off failed: simulated vCenter task failure");
        }
        if (previous == PowerState.POWERED_OFF) {
            return powerResult(vm, true, previous, previous, "power-off", "already-off", began, "VM is already powered off");
        }
        long op = vm.powerOperations().incrementAndGet();
        if (force || previous == PowerState.SUSPENDED || !vm.toolsInstalled()) {
            vm.setPowerState(PowerState.POWERED_OFF);
            String message = force ? "VM powered off (forced)"
                    : "graceful shutdown not possible (" + (vm.toolsInstalled() ? "VM suspended" : "VMware Tools not installed")
                    + "); VM powered off forcefully";
            return powerResult(vm, true, previous, PowerState.POWERED_OFF, "power-off", "forced", began, message);
        }
        Duration delay = config.gracefulPowerOffDelay();
        if (delay.isZero()) {
            vm.setPowerState(PowerState.POWERED_OFF);
            return powerResult(vm, true, previous, PowerState.POWERED_OFF, "power-off", "graceful", began,
                    "VM shut down gracefully");
        }
        scheduler.schedule(() -> {
            if (vm.powerOperations().get() == op && vm.powerState() == PowerState.POWERED_ON) {
                vm.setPowerState(PowerState.POWERED_OFF);
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
        return powerResult(vm, true, previous, previous, "power-off", "graceful", began,
                "graceful shutdown initiated; poll power-state until poweredOff");
    }

    private SimResponse powerOn(String vmId, ObjectNode body) {
        requireCredentials(Json.text(body, "vcenter"), Json.text(body, "username"), Json.text(body, "password"));
        SimVm vm = powerTarget(vmId);
        PowerFailure failure = faults.of(vm).powerOnFailure();
        long began = System.nanoTime();
        PowerState previous = vm.powerState();
        if (failure == PowerFailure.ERROR) {
            throw HttpError.internal("failed to power on VM " + vm.id() + ": simulated vCenter task failure");
        }
        if (failure == PowerFailure.REPORTED) {
            return powerResult(vm, false, previous, previous, "power-on", "", began, "power-on failed: simulated vCenter task failure");
        }
        if (previous == PowerState.POWERED_ON) {
            return powerResult(vm, true, previous, previous, "power-on", "", began, "VM is already powered on");
        }
        vm.powerOperations().incrementAndGet();
        vm.setPowerState(PowerState.POWERED_ON);
        return powerResult(vm, true, previous, PowerState.POWERED_ON, "power-on", "", began, "VM powered on");
    }

    private PowerFailure powerFault(String vmId, boolean off) {
        return inventory.byId(vmId).map(vm -> off ? faults.of(vm).powerOffFailure() : faults.of(vm).powerOnFailure())
                .orElse(PowerFailure.NONE);
    }

    /** The power call's answer, or none at all when its answer is to be lost (the operation was carried out). */
    private static SimResponse answerUnlessLost(SimResponse answer, PowerFailure failure) {
        return failure == PowerFailure.ANSWER_LOST ? SimResponse.CONNECTION_DROPPED : answer;
    }

    private static SimResponse powerResult(SimVm vm, boolean success, PowerState previous, PowerState now, String operation,
                                           String method, long beganNanos, String message) {
        ObjectNode o = Json.object();
        o.put("success", success);
        o.put("vm_id", vm.id());
        o.put("previous_state", previous.wire());
        o.put("new_state", now.wire());
        o.put("operation", operation);
        o.put("shutdown_method", method);
        o.put("duration_seconds", Math.round((System.nanoTime() - beganNanos) / 1_000_000.0) / 1000.0);
        o.put("timestamp", Instant.now().toString());
        o.put("message", message);
        return SimResponse.ok(o);
    }

    private SimResponse powerState(String vmId, SimRequest req) {
        requireCredentials(req.query().get("vcenter"), req.query().get("username"), req.query().get("password"));
        SimVm vm = powerTarget(vmId);
        ObjectNode o = Json.object();
        o.put("vm_id", vm.id());
        o.put("power_state", vm.powerState().wire());
        o.put("tools_status", vm.toolsStatus());
        o.put("timestamp", Instant.now().toString());
        return SimResponse.ok(o);
    }

    private static void requireCredentials(String vcenter, String username, String password) {
        List<String> missing = new ArrayList<>();
        if (vcenter == null || vcenter.isBlank()) {
            missing.add("vcenter");
        }
        if (username == null || username.isBlank()) {
            missing.add("username");
        }
        if (password == null || password.isEmpty()) {
            missing.add("password");
        }
        if (!missing.isEmpty()) {
            throw HttpError.badRequest(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " required");
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url.trim());
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "simulator shutting down");
        }
    }
}
