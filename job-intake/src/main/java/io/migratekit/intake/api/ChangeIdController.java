package io.migratekit.intake.api;

import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.migratekit.intake.changeid.ChangeIdCallbacks;
import io.migratekit.intake.changeid.ChangeIdCallbacks.PreviousChangeId;
import io.migratekit.intake.changeid.ChangeIdCallbacks.RecordedChangeId;
import io.migratekit.intake.request.RequestBodyReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The VMA copy engine's change-id callbacks, in the exact shapes of docs/vma-api.md; reachable with a
 * {@code vma} or {@code operator} token. Thin: {@link ChangeIdCallbacks} does the work.
 */
@RestController
public class ChangeIdController {

    private final ChangeIdCallbacks callbacks;
    private final RequestBodyReader bodyReader;

    public ChangeIdController(ChangeIdCallbacks callbacks, RequestBodyReader bodyReader) {
        this.callbacks = callbacks;
        this.bodyReader = bodyReader;
    }

    @Operation(summary = "The previous CBT change id of a disk (\"\" when there is none: a full copy follows)")
    @GetMapping("/api/v1/replications/changeid")
    @RequiresPermission(Permission.CHANGE_ID)
    public PreviousChangeId previous(@RequestParam(name = "vm_path", required = false) String vmPath,
            @RequestParam(name = "disk_id", required = false) String diskId) {
        return callbacks.previous(vmPath, diskId);
    }

    @Operation(summary = "Record the CBT change id of one disk of a job, after that disk's copy")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ChangeIdBody.class)))
    @PostMapping("/api/v1/replications/{job_id}/changeid")
    @RequiresPermission(Permission.CHANGE_ID)
    public RecordedChangeId record(@PathVariable("job_id") String jobId, HttpServletRequest http) throws IOException {
        return callbacks.record(jobId, bodyReader.read(http.getContentLengthLong(), http.getInputStream()));
    }

    /** The documented body of the change-id post. */
    public record ChangeIdBody(String changeId, String diskId, String previousChangeId) {
    }
}
