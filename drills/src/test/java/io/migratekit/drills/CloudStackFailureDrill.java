package io.migratekit.drills;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Drill 13: CloudStack misbehaving under the real processes, through the real client, against the
 * CloudStack API simulator in its own process. Each case injects one fault on the simulator's admin
 * route, on its own VM: CloudStack answering 530 (createVolume of a replication) and 431
 * (deployVirtualMachine of a failover), an async job ending with jobstatus 2 (attachVolume of a
 * replication, deployVirtualMachine of a failover), a deploy job that never finishes (the bounded wait,
 * here 20 s, fails the step), the API unreachable while a failover waits on its deploy job (the
 * simulator killed, started again 10 s later), and failover-service killed while it waits on its
 * deploy job. Pass: each failing step fails with CloudStack's own errortext, visible in the API's job
 * or failover; nothing hangs; the unreachable API and the killed service each end in a completed
 * failover that waited on the same job (one {@code deployVirtualMachine} job, one VM); no failed
 * failover leaves a VM in CloudStack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudStackFailureDrill {

    private static final Duration JOB_WAIT_BOUND = Duration.ofSeconds(20);
    private static final String DEPLOY = "deployVirtualMachine";

    private static DrillStack stack;
    private static StepWatcher watcher;
    private static DrillApi api;
    private static CloudStackView cloud;
    private static List<DrillApi.Vm> vms;
    private static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void start() {
        DrillSettings settings = DrillSettings.allServices("drill12-cloudstack-failures")
                .withSimulator(Map.of("VMA_SIM_COPY_RATE", "50GiB"))
                .withExtraArguments(Map.of(
                        DrillStack.JOB_SERVICE, List.of("--migratekit.cloudstack.job-wait-bound=" + JOB_WAIT_BOUND),
                        DrillStack.FAILOVER, List.of("--migratekit.cloudstack.job-wait-bound=" + JOB_WAIT_BOUND,
                                "--migratekit.failover.retry-backoff=2s")));
        stack = DrillStack.start(settings);
        watcher = new StepWatcher(stack);
        api = new DrillApi(stack);
        cloud = new CloudStackView(stack);
        api.addVms("csfail", 7);
        vms = api.inventory().stream().filter(vm -> vm.name().startsWith("csfail-")).toList();
        // the five failover cases need replicated VMs; the two replication cases request theirs themselves
        api.requestEachOnce(vms.subList(2, 7));
        for (DrillApi.Vm vm : vms.subList(2, 7)) {
            FailoverAudit.awaitContextStatus(api, vm.name(), "ready_for_failover");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        DrillReport.record("Drill 13: CloudStack failures", figures.toArray(String[]::new));
        if (watcher != null) {
            watcher.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void cloudStackAnswering530FailsTheReplicationJobWithCloudStacksErrortext() {
        cloud.fault("{\"kind\": \"http_error\", \"command\": \"createVolume\", \"errorcode\": 530, "
                + "\"errortext\": \"drill: createVolume refused with 530\"}");
        int createJobs = cloud.jobs("createVolume").size();
        JsonNode job = replicateUntilEnded(vms.get(0));
        figures.add("530 on createVolume: job " + job.get("status").asString() + ", " + job.get("failure_reason")
                + ": " + job.get("error_message").asString());
        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("error_message").asString()).contains("drill: createVolume refused with 530")
                .contains("errorcode 530");
        assertThat(cloud.jobs("createVolume")).hasSize(createJobs);
    }

    @Test
    @Order(2)
    void anAttachJobEndingWithJobstatus2FailsTheReplicationJobWithCloudStacksErrortext() {
        cloud.fault("{\"kind\": \"job_failure\", \"command\": \"attachVolume\", \"errorcode\": 530, "
                + "\"errortext\": \"drill: attachVolume job failed\"}");
        JsonNode job = replicateUntilEnded(vms.get(1));
        figures.add("attachVolume job with jobstatus 2: job " + job.get("status").asString() + ": "
                + job.get("error_message").asString());
        assertThat(job.get("status").asString()).isEqualTo("failed");
        assertThat(job.get("error_message").asString()).contains("drill: attachVolume job failed");
        assertThat(cloud.jobs("attachVolume")).anyMatch(j -> j.status() == 2);
    }

    @Test
    @Order(3)
    void cloudStackAnswering431FailsTheFailoversTargetVmStepWithCloudStacksErrortext() {
        cloud.fault("{\"kind\": \"http_error\", \"command\": \"" + DEPLOY + "\", \"errorcode\": 431, "
                + "\"errortext\": \"drill: deployVirtualMachine refused with 431\"}");
        JsonNode failover = failOverUntilEnded(vms.get(2));
        figures.add("431 on deployVirtualMachine: failover " + summary(failover));
        assertFailedAtTargetVm(failover, "drill: deployVirtualMachine refused with 431");
        assertThat(cloud.vmsOf(vms.get(2).name())).isEmpty();
    }

    @Test
    @Order(4)
    void aDeployJobEndingWithJobstatus2FailsTheFailoverWithCloudStacksErrortext() {
        cloud.fault("{\"kind\": \"job_failure\", \"command\": \"" + DEPLOY + "\", \"errorcode\": 530, "
                + "\"errortext\": \"drill: deploy job failed\"}");
        JsonNode failover = failOverUntilEnded(vms.get(3));
        figures.add("deployVirtualMachine job with jobstatus 2: failover " + summary(failover));
        assertFailedAtTargetVm(failover, "drill: deploy job failed");
        assertThat(cloud.vmsOf(vms.get(3).name())).isEmpty();
    }

    @Test
    @Order(5)
    void aDeployJobThatNeverFinishesFailsTheStepAfterTheBoundedWait() {
        cloud.fault("{\"kind\": \"job_never_finishes\", \"command\": \"" + DEPLOY + "\"}");
        long begin = System.nanoTime();
        JsonNode failover = failOverUntilEnded(vms.get(4));
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        figures.add("deployVirtualMachine job never finishing (bound " + JOB_WAIT_BOUND.toSeconds() + " s): failover "
                + summary(failover) + " after " + took.toMillis() + " ms");
        assertFailedAtTargetVm(failover, "still pending after " + JOB_WAIT_BOUND.toSeconds() + " s");
        assertThat(took).isLessThan(Duration.ofMinutes(3));
        assertThat(cloud.vmsOf(vms.get(4).name())).isEmpty();
    }

    @Test
    @Order(6)
    void theApiUnreachableWhileTheFailoverWaitsOnItsDeployJobResumesTheSameJobOnceItIsBack() throws Exception {
        DrillApi.Vm vm = vms.get(5);
        cloud.fault("{\"kind\": \"job_delay\", \"command\": \"" + DEPLOY + "\", \"delay_ms\": 8000}");
        String failoverId = requestLiveFailover(vm);
        CloudStackView.Job deploy = awaitDeployJob(vm.name());
        stack.kill(DrillStack.CLOUDSTACK);
        long killedAt = System.nanoTime();
        ChildProcess.sleep(Duration.ofSeconds(10));
        String statusWhileDown = api.get("/api/v1/failovers/" + failoverId).body().get("status").asString();
        Duration restart = stack.restart(DrillStack.CLOUDSTACK);
        JsonNode failover = FailoverAudit.awaitEnded(api, failoverId);
        List<CloudStackView.Job> deploys = cloud.jobsFor(DEPLOY, vm.name());
        List<CloudStackView.Vm> targets = cloud.vmsOf(vm.name());
        figures.add("CloudStack API unreachable for 10 s during target_vm (simulator killed while the deploy job was "
                + "pending): failover " + statusWhileDown + " while it was down; simulator ready again "
                + restart.toMillis() + " ms after its restart; failover " + summary(failover) + " "
                + (System.nanoTime() - killedAt) / 1_000_000 + " ms after the kill; deployVirtualMachine jobs "
                + deploys.size() + ", VMs " + targets);
        assertThat(statusWhileDown).isNotIn("failed", "completed");
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        assertThat(deploys).extracting(CloudStackView.Job::id).containsExactly(deploy.id());
        assertThat(targets).hasSize(1).allMatch(t -> t.state().equals("Running"));
        assertThat(failover.get("target_vm_id").asString()).isEqualTo(targets.get(0).id());
        assertThat(FailoverAudit.liveViolations(stack, api, List.of(failoverId))).isEmpty();
    }

    @Test
    @Order(7)
    void failoverServiceKilledWhileItWaitsOnItsDeployJobResumesTheSameJobAndMakesOneVm() throws Exception {
        DrillApi.Vm vm = vms.get(6);
        cloud.fault("{\"kind\": \"job_delay\", \"command\": \"" + DEPLOY + "\", \"delay_ms\": 10000}");
        String failoverId = requestLiveFailover(vm);
        CloudStackView.Job deploy = awaitDeployJob(vm.name());
        stack.kill(DrillStack.FAILOVER);
        String journaled = journaledJob(DEPLOY + "/" + deploy.name());
        Duration restart = stack.restart(DrillStack.FAILOVER);
        JsonNode failover = FailoverAudit.awaitEnded(api, failoverId);
        List<CloudStackView.Job> deploys = cloud.jobsFor(DEPLOY, vm.name());
        List<CloudStackView.Vm> targets = cloud.vmsOf(vm.name());
        figures.add("failover-service killed while waiting on deploy job " + deploy.id() + " (journaled: "
                + deploy.id().equals(journaled) + "): ready again " + restart.toMillis() + " ms after the restart; "
                + "failover " + summary(failover) + "; deployVirtualMachine jobs " + deploys.size() + ", VMs " + targets);
        assertThat(journaled).isEqualTo(deploy.id());
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("completed");
        assertThat(deploys).extracting(CloudStackView.Job::id).containsExactly(deploy.id());
        assertThat(targets).hasSize(1).allMatch(t -> t.state().equals("Running"));
        assertThat(failover.get("target_vm_id").asString()).isEqualTo(targets.get(0).id());
        assertThat(FailoverAudit.liveViolations(stack, api, List.of(failoverId))).isEmpty();
    }

    private static JsonNode replicateUntilEnded(DrillApi.Vm vm) {
        api.requestEachOnce(List.of(vm));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode jobs = api.get("/api/v1/replications?vm_name=" + vm.name()).body().get("replications");
            if (jobs.size() > 0 && List.of("failed", "completed").contains(jobs.get(0).get("status").asString())) {
                return jobs.get(0);
            }
            ChildProcess.sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("the replication job of " + vm.name() + " did not end within 3 minutes");
    }

    private static String requestLiveFailover(DrillApi.Vm vm) {
        DrillApi.Answer accepted = api.requestFailover(vm.name(), "live");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.body().get("failover_job_id").asString();
    }

    private static JsonNode failOverUntilEnded(DrillApi.Vm vm) {
        return FailoverAudit.awaitEnded(api, requestLiveFailover(vm));
    }

    /** The deployVirtualMachine job CloudStack accepted for this VM's failover, once there is one. */
    private static CloudStackView.Job awaitDeployJob(String vmName) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            List<CloudStackView.Job> jobs = cloud.jobsFor(DEPLOY, vmName);
            if (!jobs.isEmpty()) {
                assertThat(jobs.get(0).status()).as("the deploy job must still be pending").isZero();
                return jobs.get(0);
            }
            ChildProcess.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("no deployVirtualMachine job for " + vmName + " within 3 minutes");
    }

    /** The job failover-service recorded in its async-job journal for this operation of target 1 (while it is down). */
    private static String journaledJob(String operation) throws Exception {
        try (Connection db = stack.database().getConnection(); PreparedStatement sql = db.prepareStatement(
                "SELECT job_id FROM failover_cloudstack_async_jobs WHERE operation_key = ?")) {
            sql.setString(1, "1/" + operation);
            try (ResultSet rows = sql.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void assertFailedAtTargetVm(JsonNode failover, String errortext) {
        assertThat(failover.get("status").asString()).as(failover.toString()).isEqualTo("failed");
        assertThat(failover.get("failed_step").asString()).isEqualTo("target_vm");
        assertThat(failover.get("error_message").asString()).contains(errortext);
    }

    private static String summary(JsonNode failover) {
        return failover.get("status").asString() + " (failed step " + failover.get("failed_step") + ": "
                + failover.get("error_message") + "; source powered back on " + failover.get("source_powered_back_on")
                + ")";
    }
}
