package io.migratekit.intake.api;

import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.console.DowntimeEstimate;
import io.migratekit.intake.console.DowntimeEstimate.Span;
import io.migratekit.intake.readmodel.FailoverReadModel;
import io.migratekit.intake.readmodel.FailoverViews.StepView;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.Views.ContextDetail;
import io.migratekit.intake.readmodel.ReadModel.ContextFilter;
import io.migratekit.intake.readmodel.ReadModel.ContextOrder;
import io.migratekit.intake.readmodel.Views.ContextSummary;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/vm-contexts}: VM replication contexts from the read model. */
@RestController
public class ContextController {

    private static final int FAILOVERS_CONSIDERED = 10;

    private final ReadModel readModel;
    private final FailoverReadModel failovers;
    private final IntakeProperties properties;

    public ContextController(ReadModel readModel, FailoverReadModel failovers, IntakeProperties properties) {
        this.readModel = readModel;
        this.failovers = failovers;
        this.properties = properties;
    }

    @Operation(summary = "VM replication contexts with their current and last successful job: filtered, sorted, paged",
            description = "name: part of the VM name (any case); status: one current status; sort: name (default), "
                    + "status or updated; order: asc (default) or desc. 'total' counts every context that passes the filter.")
    @GetMapping("/api/v1/vm-contexts")
    @RequiresPermission(Permission.READ)
    public ContextList contexts(@RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset,
            @RequestParam(name = "name", required = false) String name,
            @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "sort", required = false) String sort,
            @RequestParam(name = "order", required = false) String order) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        ContextFilter filter = new ContextFilter(name, status);
        List<ContextSummary> contexts = readModel.contexts(filter, order(sort), descending(order), page.limit(),
                page.offset());
        return new ContextList(contexts, contexts.size(), readModel.countContexts(filter), page.limit(), page.offset());
    }

    private static ContextOrder order(String sort) {
        if (sort == null || sort.isBlank()) {
            return ContextOrder.NAME;
        }
        for (ContextOrder order : ContextOrder.values()) {
            if (order.name().equalsIgnoreCase(sort)) {
                return order;
            }
        }
        throw ApiProblem.invalidQuery("sort must be one of name, status, updated");
    }

    private static boolean descending(String order) {
        if (order == null || order.isBlank() || order.equalsIgnoreCase("asc")) {
            return false;
        }
        if (order.equalsIgnoreCase("desc")) {
            return true;
        }
        throw ApiProblem.invalidQuery("order must be asc or desc");
    }

    /** A page of contexts; {@code total} is how many pass the filter. */
    public record ContextList(List<ContextSummary> vmContexts, int count, int total, int limit, int offset) {
    }

    @Operation(summary = "One VM's context, its current job, its job history and the disks of its latest job")
    @GetMapping("/api/v1/vm-contexts/{vm_name}")
    @RequiresPermission(Permission.READ)
    public ContextDetail context(@PathVariable("vm_name") String vmName) {
        return onlyContextNamed(vmName);
    }

    @Operation(summary = "The estimated downtime of a live failover of this VM (power-off + final incremental sync + target VM)",
            description = "Each part is the median of this VM's latest completed ones (incremental jobs; power-off and "
                    + "target-VM steps of its failovers), with its basis; a default for power-off and target VM when "
                    + "there was none, and the final sync unknown (complete=false) before the first incremental sync.")
    @GetMapping("/api/v1/vm-contexts/{vm_name}/downtime-estimate")
    @RequiresPermission(Permission.READ)
    public DowntimeEstimate.Estimate downtimeEstimate(@PathVariable("vm_name") String vmName) {
        ContextDetail detail = onlyContextNamed(vmName);
        List<Span> incrementals = detail.jobHistory().stream()
                .filter(job -> "incremental".equals(job.replicationType()) && ReadModel.JOB_COMPLETED.equals(job.status()))
                .map(job -> new Span(instant(job.startedAt()), instant(job.completedAt()))).toList();
        List<StepView> steps = failovers.failovers(vmName, FAILOVERS_CONSIDERED, 0).stream()
                .flatMap(failover -> failovers.steps(failover.failoverJobId()).stream())
                .filter(step -> "completed".equals(step.status())).toList();
        return DowntimeEstimate.of(incrementals, spans(steps, "source_power_off"), spans(steps, "target_vm"));
    }

    private static List<Span> spans(List<StepView> steps, String step) {
        return steps.stream().filter(view -> step.equals(view.step()))
                .map(view -> new Span(instant(view.startedAt()), instant(view.completedAt()))).toList();
    }

    private static Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    private ContextDetail onlyContextNamed(String vmName) {
        List<ContextDetail> found = readModel.contextsNamed(vmName);
        if (found.isEmpty()) {
            throw ApiProblem.notFound("VM context not found", "No VM context for VM " + vmName);
        }
        if (found.size() > 1) {
            throw new ApiProblem(HttpStatus.CONFLICT, "VM name is ambiguous", found.size()
                    + " VM contexts have this name: " + found.stream().map(detail -> detail.context().contextId())
                    .collect(Collectors.joining(", ")));
        }
        return found.get(0);
    }
}
