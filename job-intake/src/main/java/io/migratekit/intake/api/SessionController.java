package io.migratekit.intake.api;

import io.migratekit.intake.auth.ApiPrincipal;
import io.migratekit.intake.auth.Permission;
import io.migratekit.intake.auth.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/session}: who the token is (its configured name and role) and what it may do, so
 * the console signs in with it and shows a read-only token no action it could not take. Never
 * answers with the token.
 */
@RestController
public class SessionController {

    /** The caller: the token's name, its role and its permissions (lower case). */
    public record Session(String name, String role, List<String> permissions) {
    }

    @Operation(summary = "The calling token's name, role and permissions")
    @GetMapping("/api/v1/session")
    @RequiresPermission(Permission.READ)
    public Session session(@RequestAttribute(ApiPrincipal.ATTRIBUTE) ApiPrincipal principal) {
        return new Session(principal.name(), principal.role().configName(), Arrays.stream(Permission.values())
                .filter(principal.role()::permits).map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
    }
}
