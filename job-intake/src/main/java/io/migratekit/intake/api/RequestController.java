package io.migratekit.intake.api;

import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.readmodel.ReadModel;
import io.migratekit.intake.readmodel.Views.RequestView;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/replication-requests/{request_id}}: the outcome of a request, for asynchronous callers. */
@RestController
public class RequestController {

    private final ReadModel readModel;

    public RequestController(ReadModel readModel) {
        this.readModel = readModel;
    }

    @Operation(summary = "A replication request and its outcome (status pending until the pipeline decided)")
    @GetMapping("/api/v1/replication-requests/{request_id}")
    @RequiresPermission(Permission.READ)
    public RequestView request(@PathVariable("request_id") String requestId) {
        return readModel.request(requestId).orElseThrow(() -> ApiProblem.notFound("Replication request not found",
                "No replication request " + requestId + " (a request just accepted appears within seconds)"));
    }
}
