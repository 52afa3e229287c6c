package io.migratekit.intake.api;

import io.migratekit.intake.IntakeProperties;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.Views.ContextDetail;
import io.migratekit.intake.readmodel.Views.ContextView;
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

    @Operation(summary = "VM replication contexts, by VM name")
    @GetMapping("/api/v1/vm-contexts")
    @RequiresPermission(Permission.READ)
    public ContextList contexts(@RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "offset", required = false) Integer offset) {
        Paging page = Paging.of(limit, offset, properties.getDefaultPageSize(), properties.getMaxPageSize());
        List<ContextView> contexts = readModel.contexts(page.limit(), page.offset());
        return new ContextList(contexts, contexts.size(), page.limit(), page.offset());
    }

    /** A page of contexts. */
    public record ContextList(List<ContextView> vmContexts, int count, int limit, int offset) {
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
