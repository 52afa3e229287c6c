package io.migratekit.drills;

import io.migratekit.events.FailoverCompleted;
import io.migratekit.events.FailoverFailed;
import io.migratekit.events.FailoverStepChanged;
import io.migratekit.events.JobCreated;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks live failovers after a drill: each has its step events in order, each fact once (by event id), one
 * {@code FailoverCompleted} and no {@code FailoverFailed}, one final sync job, and the API (the
 * failover tables) shows it completed with its steps in order. Reads; changes nothing.
 */
final class FailoverAudit {

    static final List<String> LIVE_STEP_EVENTS = List.of("validation:completed", "source_power_off:started",
            "source_power_off:completed", "final_sync:started", "final_sync:completed", "target_vm:started",
            "target_vm:completed", "status_update:started", "status_update:completed");
    static final List<String> LIVE_API_STEPS = List.of("validation:completed", "source_power_off:completed",
            "final_sync:completed", "target_vm:completed", "status_update:completed");

    private FailoverAudit() {
    }

    /** Step event records that repeat an earlier record's event id (re-published after a crash). */
    static int republishedStepEvents(DrillStack stack, Collection<String> failoverIds) {
        Set<String> ids = new HashSet<>();
        return (int) TopicRecords.ofType(TopicRecords.readAll(stack, List.of(Topics.FAILOVER_STEP_CHANGED)),
                FailoverStepChanged.class).stream()
                .filter(e -> failoverIds.contains(e.getFailoverId()) && !ids.add(e.getEventId())).count();
    }

    /** Every way these failovers differ from a clean live failover, in words. */
    static List<String> liveViolations(DrillStack stack, DrillApi api, Collection<String> failoverIds) {
        List<TopicRecords.Event> events = TopicRecords.readAll(stack, List.of(Topics.FAILOVER_STEP_CHANGED,
                Topics.FAILOVER_COMPLETED, Topics.FAILOVER_FAILED, Topics.JOB_CREATED));
        List<String> violations = new ArrayList<>();
        for (String failoverId : failoverIds) {
            // A step event re-published after a crash carries the same event id: one fact, dropped by consumers.
            Set<String> ids = new HashSet<>();
            List<String> steps = TopicRecords.ofType(events, FailoverStepChanged.class).stream()
                    .filter(e -> e.getFailoverId().equals(failoverId) && ids.add(e.getEventId()))
                    .map(e -> e.getStep() + ":" + e.getStatus()).toList();
            if (!steps.equals(LIVE_STEP_EVENTS)) {
                violations.add(failoverId + " step events (distinct event ids) " + steps);
            }
            long completed = TopicRecords.ofType(events, FailoverCompleted.class).stream()
                    .filter(e -> e.getFailoverId().equals(failoverId)).count();
            long failed = TopicRecords.ofType(events, FailoverFailed.class).stream()
                    .filter(e -> e.getFailoverId().equals(failoverId)).count();
            long finalSyncs = TopicRecords.ofType(events, JobCreated.class).stream()
                    .filter(e -> failoverId.equals(e.getFailoverId())).count();
            if (completed != 1 || failed != 0 || finalSyncs != 1) {
                violations.add(failoverId + ": FailoverCompleted " + completed + ", FailoverFailed " + failed
                        + ", final sync jobs " + finalSyncs);
            }
            JsonNode view = api.get("/api/v1/failovers/" + failoverId).body();
            List<String> apiSteps = new ArrayList<>();
            view.get("steps").forEach(s -> apiSteps.add(s.get("step").asString() + ":" + s.get("status").asString()));
            if (!apiSteps.equals(LIVE_API_STEPS) || !"completed".equals(view.get("status").asString())) {
                violations.add(failoverId + " API view " + view.get("status") + " " + apiSteps);
            }
        }
        return violations;
    }

    static void awaitContextStatus(DrillApi api, String vmName, String status) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            DrillApi.Answer answer = api.get("/api/v1/vm-contexts/" + vmName);
            if (answer.status() == 200
                    && status.equals(answer.body().get("context").get("current_status").asString())) {
                return;
            }
            ChildProcess.sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("VM " + vmName + " was not " + status + " within 5 minutes");
    }

    static JsonNode awaitEnded(DrillApi api, String failoverId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            DrillApi.Answer answer = api.get("/api/v1/failovers/" + failoverId);
            if (answer.status() == 200 && List.of("completed", "failed", "cleaned_up")
                    .contains(answer.body().get("status").asString())) {
                return answer.body();
            }
            ChildProcess.sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("failover " + failoverId + " did not end within 5 minutes");
    }
}
