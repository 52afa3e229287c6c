package io.migratekit.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the drills see of the CloudStack API simulator from outside its process, on its admin routes
 * ({@code /sim}, no signature): its persisted state (VMs, volumes, async jobs, which survive its
 * restart) and its injected faults. Owns these HTTP calls; asserts nothing. The services reach the
 * simulator only through their CloudStack client.
 */
final class CloudStackView {

    /** A VM of the simulated cloud other than the appliance: id, CloudStack name, state. */
    record Vm(String id, String name, String state) {
    }

    /** A data volume (not a ROOT): id, CloudStack name, the VM it is attached to (null when detached). */
    record Volume(String id, String name, String virtualMachineId) {
    }

    /** An async job: its id, the command (lower case, as CloudStack keeps it), its {@code name} parameter, status 0/1/2. */
    record Job(String id, String command, String name, int status) {
    }

    private final DrillStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    CloudStackView(DrillStack stack) {
        this.stack = stack;
    }

    /** The simulator's whole state. */
    JsonNode state() {
        return DrillApi.JSON.readTree(send(HttpRequest.newBuilder(uri("/sim/state")).GET()));
    }

    /** Every VM but the appliance that is not destroyed. */
    List<Vm> vms() {
        List<Vm> vms = new ArrayList<>();
        String appliance = stack.cloudStackWorld().applianceVm().id();
        state().get("vms").forEach(vm -> {
            if (!vm.get("id").asString().equals(appliance) && !"Destroyed".equals(vm.get("state").asString())) {
                vms.add(new Vm(vm.get("id").asString(), vm.get("name").asString(), vm.get("state").asString()));
            }
        });
        return vms;
    }

    /** Every data volume (type DATADISK), in creation order. */
    List<Volume> dataVolumes() {
        List<Volume> volumes = new ArrayList<>();
        state().get("volumes").forEach(volume -> {
            if ("DATADISK".equals(volume.get("type").asString())) {
                JsonNode vm = volume.get("virtualMachineId");
                volumes.add(new Volume(volume.get("id").asString(), volume.get("name").asString(),
                        vm == null || vm.isNull() ? null : vm.asString()));
            }
        });
        return volumes;
    }

    /** Every async job of this command CloudStack accepted, in order. */
    List<Job> jobs(String command) {
        List<Job> jobs = new ArrayList<>();
        state().get("jobs").forEach(job -> {
            if (job.get("command").asString().equalsIgnoreCase(command)) {
                JsonNode name = job.get("params").get("name");
                jobs.add(new Job(job.get("id").asString(), job.get("command").asString(),
                        name == null ? null : name.asString(), job.get("status").asInt()));
            }
        });
        return jobs;
    }

    /** The jobs of this command whose {@code name} is one the platform gives for this source VM ({@code <vm name>-<hash>}). */
    List<Job> jobsFor(String command, String vmName) {
        String prefix = vmName.toLowerCase(java.util.Locale.ROOT) + "-";
        return jobs(command).stream().filter(job -> job.name() != null && job.name().startsWith(prefix)).toList();
    }

    /** The VMs (not destroyed) CloudStack has for this source VM's failovers ({@code <vm name>-<hash>}). */
    List<Vm> vmsOf(String vmName) {
        String prefix = vmName.toLowerCase(java.util.Locale.ROOT) + "-";
        return vms().stream().filter(vm -> vm.name().startsWith(prefix)).toList();
    }

    /** Adds one fault (JSON, see the simulator's README: http_error, job_failure, job_never_finishes, job_delay). */
    void fault(String json) {
        send(HttpRequest.newBuilder(uri("/sim/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    void clearFaults() {
        send(HttpRequest.newBuilder(uri("/sim/faults")).DELETE());
    }

    private URI uri(String path) {
        return URI.create(stack.cloudStackUrl() + path);
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the CloudStack simulator answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("the CloudStack simulator did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
