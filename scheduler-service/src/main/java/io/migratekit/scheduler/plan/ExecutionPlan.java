package io.migratekit.scheduler.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The rules of one execution of a schedule, as plain Java: which VMs may be requested now under the
 * schedule's {@code max_concurrent_jobs} and each group's {@code max_concurrent_vms}, in group and
 * member priority order, and the exact accounting of every VM. Caps hold per execution. A VM takes a slot from the moment it is
 * requested until its job ends or its request is answered without a job (a skip); a failed job is
 * retried after a delay while attempts are left, and then takes a slot again. Owns no I/O and no clock
 * beyond what it is told: the engine persists and publishes what it decides.
 *
 * <p>Counts (per VM, whatever its attempts): {@code jobs_created} = VMs a job started for;
 * {@code jobs_skipped} = VMs skipped without any job; {@code queued} = VMs with neither yet; so
 * {@code jobs_created + jobs_skipped + queued = vms_eligible} at every moment. The execution ends when
 * nothing is queued and {@code jobs_completed + jobs_failed = jobs_created} (a VM counts as failed
 * only once its last attempt failed); its status is {@code completed} when no VM failed, else
 * {@code failed}.
 */
public final class ExecutionPlan {

    /** One VM of the execution, in the order it is requested in (group priority, then member priority). */
    public record Vm(String vmwareVmId, String contextId, String groupId) {
    }

    /** Where one VM is. */
    public enum VmStatus {
        /** Waiting for a slot. */
        QUEUED,
        /** Waiting for a job it has running outside this execution to end ({@code skip_if_running=false}). */
        WAITING_ACTIVE_JOB,
        /** Requested, the decision has not answered yet (holds a slot). */
        REQUESTED,
        /** Its job runs (holds a slot). */
        RUNNING,
        /** Its job failed, it is retried after the delay. */
        RETRY_WAIT,
        COMPLETED,
        FAILED,
        SKIPPED
    }

    /**
     * The state of one VM: status, attempt (the number of its requests so far, 1 for the first; each
     * request has its own id), failed jobs so far, whether a job ever started, the reason of a skip or
     * failure.
     */
    public record VmState(Vm vm, VmStatus status, int attempt, int failures, boolean jobCreated, String reason) {

        VmState with(VmStatus newStatus, int newAttempt, boolean created, String newReason) {
            return new VmState(vm, newStatus, newAttempt, failures, created, newReason);
        }

        boolean holdsSlot() {
            return status == VmStatus.REQUESTED || status == VmStatus.RUNNING;
        }
    }

    /** The counts of an execution. */
    public record Counts(int vmsEligible, int jobsCreated, int jobsCompleted, int jobsFailed, int jobsSkipped,
            int queued) {
    }

    private final int maxConcurrentJobs;
    private final Map<String, Integer> groupCaps;
    private final int retryAttempts;
    private final Map<String, VmState> vms = new LinkedHashMap<>();

    /**
     * @param maxConcurrentJobs the schedule's cap on VMs holding a slot
     * @param groupCaps         each group's {@code max_concurrent_vms}
     * @param retryAttempts     how often a failed VM is requested again
     * @param states            every VM of the execution, in request order (a fresh plan: all QUEUED at attempt 0)
     */
    public ExecutionPlan(int maxConcurrentJobs, Map<String, Integer> groupCaps, int retryAttempts, List<VmState> states) {
        this.maxConcurrentJobs = maxConcurrentJobs;
        this.groupCaps = Map.copyOf(groupCaps);
        this.retryAttempts = retryAttempts;
        states.forEach(state -> vms.put(state.vm().vmwareVmId(), state));
    }

    /** A fresh plan of these VMs, every one queued. */
    public static ExecutionPlan fresh(int maxConcurrentJobs, Map<String, Integer> groupCaps, int retryAttempts,
            List<Vm> vms) {
        return new ExecutionPlan(maxConcurrentJobs, groupCaps, retryAttempts,
                vms.stream().map(vm -> new VmState(vm, VmStatus.QUEUED, 0, 0, false, null)).toList());
    }

    /**
     * The queued VMs that may be requested now, in order, each marked REQUESTED with its next attempt;
     * a VM whose group is full is passed over for a later one of another group.
     */
    public List<VmState> requestable() {
        int running = (int) vms.values().stream().filter(VmState::holdsSlot).count();
        Map<String, Integer> perGroup = new HashMap<>();
        vms.values().stream().filter(VmState::holdsSlot).forEach(s -> perGroup.merge(s.vm().groupId(), 1, Integer::sum));
        List<VmState> chosen = new ArrayList<>();
        for (VmState state : List.copyOf(vms.values())) {
            if (running >= maxConcurrentJobs) {
                break;
            }
            if (state.status() != VmStatus.QUEUED) {
                continue;
            }
            String group = state.vm().groupId();
            if (perGroup.getOrDefault(group, 0) >= groupCaps.getOrDefault(group, Integer.MAX_VALUE)) {
                continue;
            }
            VmState requested = state.with(VmStatus.REQUESTED, state.attempt() + 1, state.jobCreated(), null);
            vms.put(state.vm().vmwareVmId(), requested);
            chosen.add(requested);
            running++;
            perGroup.merge(group, 1, Integer::sum);
        }
        return chosen;
    }

    /** The VM's job started. */
    public Optional<VmState> started(String vmId) {
        return change(vmId, VmStatus.REQUESTED, s -> s.with(VmStatus.RUNNING, s.attempt(), true, null));
    }

    /**
     * The decision answered the VM's request without a job: skipped with the reason (a first attempt),
     * or failed with it (a retry of a VM whose job had already failed).
     */
    public Optional<VmState> skipped(String vmId, String reason) {
        return change(vmId, VmStatus.REQUESTED, s -> s.with(s.jobCreated() ? VmStatus.FAILED : VmStatus.SKIPPED,
                s.attempt(), s.jobCreated(), reason));
    }

    /** The VM has a job running outside this execution: it waits for it to end ({@code skip_if_running=false}). */
    public Optional<VmState> waitForActiveJob(String vmId) {
        return change(vmId, VmStatus.REQUESTED, s -> s.with(VmStatus.WAITING_ACTIVE_JOB, s.attempt(),
                s.jobCreated(), null));
    }

    /** A job of the VM ended that was not this execution's: a VM waiting for it is queued again. */
    public Optional<VmState> activeJobEnded(String vmId) {
        return change(vmId, VmStatus.WAITING_ACTIVE_JOB, s -> s.with(VmStatus.QUEUED, s.attempt(), s.jobCreated(), null));
    }

    public Optional<VmState> completed(String vmId) {
        return change(vmId, VmStatus.RUNNING, s -> s.with(VmStatus.COMPLETED, s.attempt(), true, null));
    }

    /** The VM's job failed: retried later while attempts are left, else failed for good. */
    public Optional<VmState> failed(String vmId, String reason) {
        return change(vmId, VmStatus.RUNNING, s -> new VmState(s.vm(), s.failures() < retryAttempts
                ? VmStatus.RETRY_WAIT : VmStatus.FAILED, s.attempt(), s.failures() + 1, true, reason));
    }

    /** The retry delay of a failed VM passed: it is queued for its next attempt. */
    public Optional<VmState> retryDue(String vmId) {
        return change(vmId, VmStatus.RETRY_WAIT, s -> s.with(VmStatus.QUEUED, s.attempt(), true, s.reason()));
    }

    /** Applies the change when the VM is in {@code from}; else (unknown VM, or an event of an earlier state) nothing. */
    private Optional<VmState> change(String vmId, VmStatus from, UnaryOperator<VmState> to) {
        VmState state = vms.get(vmId);
        if (state == null || state.status() != from) {
            return Optional.empty();
        }
        VmState next = to.apply(state);
        vms.put(vmId, next);
        return Optional.of(next);
    }

    public Optional<VmState> state(String vmId) {
        return Optional.ofNullable(vms.get(vmId));
    }

    public List<VmState> states() {
        return List.copyOf(vms.values());
    }

    public int holdingSlots() {
        return (int) vms.values().stream().filter(VmState::holdsSlot).count();
    }

    public int holdingSlots(String groupId) {
        return (int) vms.values().stream().filter(s -> s.holdsSlot() && Objects.equals(s.vm().groupId(), groupId))
                .count();
    }

    public Counts counts() {
        int created = 0;
        int completed = 0;
        int failed = 0;
        int skipped = 0;
        int queued = 0;
        for (VmState s : vms.values()) {
            if (s.jobCreated()) {
                created++;
            } else if (s.status() == VmStatus.SKIPPED) {
                skipped++;
            } else {
                queued++;
            }
            if (s.status() == VmStatus.COMPLETED) {
                completed++;
            } else if (s.status() == VmStatus.FAILED && s.jobCreated()) {
                failed++;
            }
        }
        return new Counts(vms.size(), created, completed, failed, skipped, queued);
    }

    /** Nothing is queued, waiting or running any more. */
    public boolean ended() {
        Counts c = counts();
        return c.queued() == 0 && c.jobsCompleted() + c.jobsFailed() == c.jobsCreated();
    }

    /** {@code completed} when no VM's job failed for good, else {@code failed}. */
    public String status() {
        return counts().jobsFailed() == 0 ? "completed" : "failed";
    }
}
