package io.migratekit.drills;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobCompleted;
import io.migratekit.events.JobCreated;
import io.migratekit.events.JobFailed;
import io.migratekit.events.ReplicationRejected;
import io.migratekit.events.VmContext;
import io.migratekit.schemas.Topics;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the replication pipeline after a drill against what its topics say: every accepted request
 * has exactly one outcome event (by correlation id), no VM ever had two active jobs (its context
 * changelog never moves from one current job to another), every job has exactly one terminal event,
 * and the read model's tables equal what a replay of the events implies. A request answered 503 "not
 * acknowledged" (the broker may still have written it) may have at most one outcome; if it has one, it
 * counts as accepted. Reads the topics and the database; changes nothing.
 */
final class PipelineAudit {

    /** What one audit found: the figures and every violation, in words. */
    record Result(int accepted, int writtenUnacknowledged, int outcomes, int jobs, int completed, int failed,
            int rejected, int discoveryFailed, int unfinishedJobs, List<String> requestsWithoutOutcome,
            List<String> violations) {

        boolean settled() {
            return requestsWithoutOutcome.isEmpty() && unfinishedJobs == 0;
        }

        String figures() {
            return "accepted " + accepted + " (of them answered 503 not acknowledged, yet written: "
                    + writtenUnacknowledged + "), outcomes " + outcomes + " (jobs " + jobs + ", rejected " + rejected
                    + ", discovery failed " + discoveryFailed + "), jobs completed " + completed + ", failed " + failed
                    + ", unfinished " + unfinishedJobs + ", requests without outcome " + requestsWithoutOutcome.size()
                    + ", violations " + violations.size();
        }
    }

    private PipelineAudit() {
    }

    /** Audits until every request has its outcome and every job ended (or the limit passed); returns the last audit. */
    static Result awaitSettled(DrillStack stack, Set<String> accepted, Duration limit) {
        return awaitSettled(stack, accepted, Set.of(), limit);
    }

    /** As {@link #awaitSettled(DrillStack, Set, Duration)}, with the requests answered 503 "not acknowledged". */
    static Result awaitSettled(DrillStack stack, Set<String> accepted, Set<String> unacknowledged, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        Result result = audit(stack, accepted, unacknowledged);
        while (!(result.settled() && result.violations().isEmpty()) && System.nanoTime() < deadline) {
            ChildProcess.sleep(Duration.ofSeconds(3));
            result = audit(stack, accepted, unacknowledged);
        }
        return result;
    }

    static Result audit(DrillStack stack, Set<String> answeredAccepted, Set<String> unacknowledged) {
        List<TopicRecords.Event> events = TopicRecords.readAll(stack, List.of(Topics.CONTEXT_CREATED,
                Topics.JOB_CREATED, Topics.REPLICATION_REJECTED, Topics.DISCOVERY_FAILED, Topics.JOB_COMPLETED,
                Topics.JOB_FAILED, Topics.VM_CONTEXTS));
        List<String> violations = new ArrayList<>();
        Map<String, Integer> outcomesPerRequest = new HashMap<>();
        List<JobCreated> created = TopicRecords.ofType(events, JobCreated.class);
        List<ReplicationRejected> rejected = TopicRecords.ofType(events, ReplicationRejected.class);
        List<DiscoveryFailed> discoveryFailed = TopicRecords.ofType(events, DiscoveryFailed.class);
        created.forEach(e -> outcomesPerRequest.merge(e.getCorrelationId(), 1, Integer::sum));
        rejected.forEach(e -> outcomesPerRequest.merge(e.getCorrelationId(), 1, Integer::sum));
        discoveryFailed.forEach(e -> outcomesPerRequest.merge(e.getCorrelationId(), 1, Integer::sum));
        for (ContextCreated e : TopicRecords.ofType(events, ContextCreated.class)) {
            if (!e.getStartReplication()) {
                outcomesPerRequest.merge(e.getCorrelationId(), 1, Integer::sum);
            }
        }
        // A request the API could not confirm was either never written (no outcome) or written once.
        Set<String> writtenUnacknowledged = new java.util.HashSet<>();
        for (String request : unacknowledged) {
            int count = outcomesPerRequest.getOrDefault(request, 0);
            if (count > 1) {
                violations.add("request " + request + " (answered 503) has " + count + " outcome events");
            } else if (count == 1) {
                writtenUnacknowledged.add(request);
            }
        }
        Set<String> accepted = new java.util.HashSet<>(answeredAccepted);
        accepted.addAll(writtenUnacknowledged);
        List<String> withoutOutcome = new ArrayList<>();
        for (String request : answeredAccepted) {
            int count = outcomesPerRequest.getOrDefault(request, 0);
            if (count == 0) {
                withoutOutcome.add(request);
            } else if (count > 1) {
                violations.add("request " + request + " has " + count + " outcome events");
            }
        }
        // A live failover's final sync is a request of failover-service's own, not one the drill sent.
        Set<String> failoverRequests = new java.util.HashSet<>();
        created.stream().filter(e -> e.getFailoverId() != null)
                .forEach(e -> failoverRequests.add(e.getCorrelationId()));
        rejected.stream().filter(e -> e.getFailoverId() != null)
                .forEach(e -> failoverRequests.add(e.getCorrelationId()));
        discoveryFailed.stream().filter(e -> e.getFailoverId() != null)
                .forEach(e -> failoverRequests.add(e.getCorrelationId()));
        outcomesPerRequest.keySet().stream().filter(id -> !accepted.contains(id) && !failoverRequests.contains(id))
                .forEach(id -> violations.add("outcome for request " + id + " that was never accepted"));

        Map<String, JobCreated> jobs = new LinkedHashMap<>();
        for (JobCreated job : created) {
            if (jobs.put(job.getJobId(), job) != null) {
                violations.add("job " + job.getJobId() + " created twice");
            }
        }
        Map<String, String> terminal = new HashMap<>();
        for (JobCompleted e : TopicRecords.ofType(events, JobCompleted.class)) {
            if (terminal.put(e.getJobId(), "completed") != null) {
                violations.add("job " + e.getJobId() + " has more than one terminal event");
            }
        }
        for (JobFailed e : TopicRecords.ofType(events, JobFailed.class)) {
            if (terminal.put(e.getJobId(), "failed") != null) {
                violations.add("job " + e.getJobId() + " has more than one terminal event");
            }
        }
        terminal.keySet().stream().filter(id -> !jobs.containsKey(id))
                .forEach(id -> violations.add("terminal event for unknown job " + id));
        int unfinished = (int) jobs.keySet().stream().filter(id -> !terminal.containsKey(id)).count();

        // The context changelog, per VM in offset order: a current job only ends (null) before the next one.
        Map<String, VmContext> lastContext = new TreeMap<>();
        Map<String, String> current = new HashMap<>();
        for (VmContext context : TopicRecords.ofType(events, VmContext.class)) {
            String vm = context.getVmwareVmId();
            String before = current.get(vm);
            String now = context.getCurrentJobId();
            if (before != null && now != null && !before.equals(now)) {
                violations.add("VM " + context.getVmName() + " had job " + now + " while job " + before
                        + " was active");
            }
            current.put(vm, now);
            lastContext.put(vm, context);
        }
        if (withoutOutcome.isEmpty() && unfinished == 0) {
            compareReadModel(stack, accepted, jobs, terminal, lastContext, violations);
        }
        return new Result(accepted.size(), writtenUnacknowledged.size(), outcomesPerRequest.values().stream().mapToInt(Integer::intValue).sum(),
                jobs.size(), (int) terminal.values().stream().filter("completed"::equals).count(),
                (int) terminal.values().stream().filter("failed"::equals).count(), rejected.size(),
                discoveryFailed.size(), unfinished, withoutOutcome, violations);
    }

    /** The tables against the replay: jobs and their end, requests and their job, contexts and their last state. */
    private static void compareReadModel(DrillStack stack, Set<String> accepted, Map<String, JobCreated> jobs,
            Map<String, String> terminal, Map<String, VmContext> lastContext, List<String> violations) {
        try (Connection db = stack.database().getConnection(); Statement sql = db.createStatement()) {
            Map<String, String> jobRows = new HashMap<>();
            try (ResultSet rows = sql.executeQuery(
                    "SELECT id, request_id, vmware_vm_id, status FROM replication_jobs")) {
                while (rows.next()) {
                    String id = rows.getString(1);
                    jobRows.put(id, rows.getString(4));
                    JobCreated event = jobs.get(id);
                    if (event == null) {
                        violations.add("read model has job " + id + " that no JobCreated event created");
                    } else if (!event.getCorrelationId().equals(rows.getString(2))
                            || !event.getVmwareVmId().equals(rows.getString(3))) {
                        violations.add("read model job " + id + " has request " + rows.getString(2) + " / VM "
                                + rows.getString(3) + ", the event says " + event.getCorrelationId() + " / "
                                + event.getVmwareVmId());
                    }
                }
            }
            for (String id : jobs.keySet()) {
                String status = jobRows.get(id);
                if (status == null) {
                    violations.add("read model misses job " + id);
                } else if (!status.equals(terminal.get(id))) {
                    violations.add("read model job " + id + " is " + status + ", the events say " + terminal.get(id));
                }
            }
            Map<String, String> jobByRequest = new HashMap<>();
            jobs.values().forEach(job -> jobByRequest.put(job.getCorrelationId(), job.getJobId()));
            Set<String> requestRows = new java.util.HashSet<>();
            try (ResultSet rows = sql.executeQuery("SELECT request_id, outcome, job_id FROM replication_requests")) {
                while (rows.next()) {
                    String request = rows.getString(1);
                    requestRows.add(request);
                    if (accepted.contains(request) && "pending".equals(rows.getString(2))) {
                        violations.add("read model request " + request + " is still pending");
                    }
                    if (!Objects.equals(jobByRequest.get(request), rows.getString(3))) {
                        violations.add("read model request " + request + " names job " + rows.getString(3)
                                + ", the events say " + jobByRequest.get(request));
                    }
                }
            }
            accepted.stream().filter(id -> !requestRows.contains(id))
                    .forEach(id -> violations.add("read model misses request " + id));
            try (ResultSet rows = sql.executeQuery("SELECT vmware_vm_id, current_job_id, last_successful_job_id,"
                    + " total_jobs_run, successful_jobs, failed_jobs FROM vm_replication_contexts")) {
                Set<String> seen = new java.util.HashSet<>();
                while (rows.next()) {
                    String vm = rows.getString(1);
                    seen.add(vm);
                    VmContext context = lastContext.get(vm);
                    if (context == null) {
                        violations.add("read model has a context for VM " + vm + " the changelog never had");
                        continue;
                    }
                    String row = rows.getString(2) + "/" + rows.getString(3) + "/" + rows.getInt(4) + "/"
                            + rows.getInt(5) + "/" + rows.getInt(6);
                    String replay = context.getCurrentJobId() + "/" + context.getLastSuccessfulJobId() + "/"
                            + context.getTotalJobsRun() + "/" + context.getSuccessfulJobs() + "/"
                            + context.getFailedJobs();
                    if (!row.equals(replay)) {
                        violations.add("read model context of VM " + context.getVmName() + " is " + row
                                + " (current/last successful/total/successful/failed), the changelog says " + replay);
                    }
                }
                lastContext.keySet().stream().filter(vm -> !seen.contains(vm))
                        .forEach(vm -> violations.add("read model misses the context of VM " + vm));
            }
        } catch (SQLException e) {
            violations.add("cannot read the read model: " + e.getMessage());
        }
    }
}
