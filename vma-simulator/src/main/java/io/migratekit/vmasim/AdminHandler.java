package io.migratekit.vmasim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own admin endpoints under {@code /sim} (outside the VMA contract), for a
 * standalone stack or manual runs: faults, jobs, inventory and direct power-state changes.
 *
 * <p>Owns the admin routes and their JSON; it delegates to {@link Faults}, {@link CopyEngine} and
 * {@link Inventory}. Global faults never affect these routes. No authentication: the simulator
 * binds to 127.0.0.1 by default.
 * <pre>
 * GET    /sim/faults              all faults {global, vms[]}
 * DELETE /sim/faults              clear every fault (global included)
 * GET    /sim/faults/{vm}         faults of a VM (id or name)
 * POST   /sim/faults/{vm}         replace a VM's faults (JSON, absent keys = off)
 * DELETE /sim/faults/{vm}         clear a VM's faults
 * GET    /sim/global              global faults
 * POST   /sim/global              update global faults {unavailable, response_delay_ms}
 * GET    /sim/jobs                all jobs (engine view)
 * GET    /sim/jobs/{job_id}       one job
 * DELETE /sim/jobs                forget settled jobs
 * GET    /sim/inventory           the inventory (inventory file format)
 * POST   /sim/inventory           add one VM object or {"vms": [...]} (inventory file format)
 * DELETE /sim/inventory/{vm_id}   remove a VM
 * POST   /sim/vms/{vm_id}/power-state  {"power_state": "poweredOff"} set directly
 * POST   /sim/vms/{vm}/disks/{disk}/blocks    write bytes on a source disk ({@link DiskAdmin})
 * GET    /sim/vms/{vm}/disks/{disk}/checksum  SHA-256 of a disk's content
 * </pre>
 */
final class AdminHandler {

    private final Inventory inventory;
    private final Faults faults;
    private final CopyEngine engine;
    private final DiskAdmin disks;

    AdminHandler(Inventory inventory, Faults faults, CopyEngine engine, DiskAdmin disks) {
        this.inventory = inventory;
        this.faults = faults;
        this.engine = engine;
        this.disks = disks;
    }

    /** Handles a request whose path starts with {@code /sim}; segment 0 is "sim". */
    SimResponse handle(SimRequest req) {
        String area = req.segment(1);
        int n = req.segments().size();
        if (area == null) {
            throw HttpError.notFound("404 page not found");
        }
        switch (area) {
            case "faults" -> {
                if (n == 2) {
                    if (req.is("GET")) {
                        return SimResponse.ok(faults.toJson());
                    }
                    if (req.is("DELETE")) {
                        faults.clear();
                        return SimResponse.noContent();
                    }
                } else if (n == 3) {
                    String vm = req.segment(2);
                    if (req.is("GET")) {
                        return SimResponse.ok(faults.find(vm).orElseGet(() -> new VmFaults(vm.trim().toLowerCase(Locale.ROOT))).toJson());
                    }
                    if (req.is("POST") || req.is("PUT")) {
                        VmFaults f = faults.forVm(vm);
                        f.replaceFrom(req.json());
                        return SimResponse.ok(f.toJson());
                    }
                    if (req.is("DELETE")) {
                        return faults.clear(vm) ? SimResponse.noContent() : SimResponse.text(404, "no faults for " + vm);
                    }
                }
            }
            case "global" -> {
                if (n == 2 && req.is("GET")) {
                    return SimResponse.ok(faults.global().toJson());
                }
                if (n == 2 && (req.is("POST") || req.is("PUT"))) {
                    faults.global().updateFrom(req.json());
                    return SimResponse.ok(faults.global().toJson());
                }
            }
            case "jobs" -> {
                if (n == 2 && req.is("GET")) {
                    ArrayNode jobs = Json.array();
                    for (SimJob job : engine.jobs()) {
                        jobs.add(jobJson(job.snapshot()));
                    }
                    return SimResponse.ok(jobs);
                }
                if (n == 2 && req.is("DELETE")) {
                    ObjectNode o = Json.object();
                    o.put("removed", engine.forgetSettled());
                    return SimResponse.ok(o);
                }
                if (n == 3 && req.is("GET")) {
                    SimJob job = engine.job(req.segment(2));
                    if (job == null) {
                        throw HttpError.notFound("job not found");
                    }
                    return SimResponse.ok(jobJson(job.snapshot()));
                }
            }
            case "inventory" -> {
                if (n == 2 && req.is("GET")) {
                    return SimResponse.ok(inventory.toJson());
                }
                if (n == 2 && req.is("POST")) {
                    return addVms(req.json());
                }
                if (n == 3 && req.is("DELETE")) {
                    return inventory.remove(req.segment(2)) ? SimResponse.noContent() : SimResponse.text(404, "VM not found");
                }
            }
            case "vms" -> {
                if (n == 6 && "disks".equals(req.segment(3))) {
                    return disks.handle(req);
                }
                if (n == 4 && "power-state".equals(req.segment(3)) && (req.is("POST") || req.is("PUT"))) {
                    SimVm vm = inventory.byId(req.segment(2)).orElseThrow(() -> HttpError.notFound("VM not found: " + req.segment(2)));
                    PowerState state;
                    try {
                        state = PowerState.parse(Json.text(req.json(), "power_state"));
                    } catch (IllegalArgumentException e) {
                        throw HttpError.badRequest(e.getMessage());
                    }
                    vm.powerOperations().incrementAndGet();
                    vm.setPowerState(state);
                    return SimResponse.ok(Inventory.vmToJson(vm));
                }
            }
            default -> {
            }
        }
        throw HttpError.notFound("404 page not found");
    }

    private SimResponse addVms(ObjectNode body) {
        ArrayNode list;
        if (body.has("vms")) {
            list = Json.arrayField(body, "vms");
        } else {
            list = Json.array();
            list.add(body);
        }
        List<SimVm> parsed = new ArrayList<>();
        for (JsonNode node : list) {
            try {
                parsed.add(Inventory.parseVm(node, inventory.defaultDatacenter()));
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest(e.getMessage());
            }
        }
        ArrayNode added = Json.array();
        for (SimVm vm : parsed) {
            try {
                inventory.add(vm);
            } catch (IllegalArgumentException e) {
                throw new HttpError(409, e.getMessage());
            }
            added.add(Inventory.vmToJson(vm));
        }
        ObjectNode o = Json.object();
        o.set("added", added);
        return SimResponse.json(201, o);
    }

    static ObjectNode jobJson(JobSnapshot s) {
        ObjectNode o = Json.object();
        o.put("job_id", s.jobId());
        o.put("vm_id", s.vmId());
        o.put("vm_name", s.vmName());
        o.put("vm_path", s.vmPath());
        o.put("engine_state", s.engineState());
        o.put("status", s.status());
        o.put("progress_visible", s.progressVisible());
        o.put("sync_type", s.syncType());
        o.put("bytes_transferred", s.bytesTransferred());
        o.put("total_bytes", s.totalBytes());
        o.put("accepted_at", s.acceptedAt().toString());
        o.put("last_error", s.lastError());
        ArrayNode errors = o.putArray("errors");
        s.errors().forEach(errors::add);
        ArrayNode disks = o.putArray("disks");
        for (JobSnapshot.DiskSnapshot d : s.disks()) {
            ObjectNode dj = disks.addObject();
            dj.put("disk_id", d.diskId());
            dj.put("previous_change_id", d.previousChangeId());
            dj.put("change_id", d.changeId());
            dj.put("bytes_transferred", d.bytesTransferred());
            dj.put("total_bytes", d.totalBytes());
            dj.put("status", d.status());
            dj.put("callback_done", d.callbackDone());
            dj.put("data_blocks_written", d.dataBlocksWritten());
            dj.put("data_bytes_written", d.dataBytesWritten());
        }
        return o;
    }
}
