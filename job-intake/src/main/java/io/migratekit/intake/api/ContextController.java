package io.migratekit.intake.api;

import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.Views.ContextDetail;
import io.migratekit.intake.readmodel.ReadModel.ContextFilter;
import io.migratekit.intake.readmodel.ReadModel.ContextOrder;
import io.migratekit.intake.readmodel.Views.ContextSummary;
import io.swagger.v3.oas.annotations.Operation;
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

    private final ReadModel readModel;
    private final IntakeProperties properties;

    public ContextController(ReadModel readModel, IntakeProperties properties) {
        this.readModel = readModel;
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
