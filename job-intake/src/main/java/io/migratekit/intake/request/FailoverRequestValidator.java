package io.migratekit.intake.request;

import io.migratekit.events.FailoverType;
import io.migratekit.intake.api.ApiProblem;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;

/**
 * The rules a {@code POST /api/v1/failovers} body must meet before anything is published: a strict
 * JSON object whose fields have the right types and lengths (else 400 "Invalid request payload",
 * naming the field), naming the VM by {@code context_id} or {@code vm_name}, with a known
 * {@code failover_type} (else 400 "Invalid failover type"), and a final-sync deadline of 1 to 1440
 * minutes. Plain Java, no I/O; whether the VM may fail over is the decision's.
 */
public final class FailoverRequestValidator {

    public static final String INVALID_FAILOVER_TYPE = "Invalid failover type";
    static final int CONTEXT_ID_LENGTH = 160;
    static final int NAME_LENGTH = 255;
    static final int DEFAULT_DEADLINE_MINUTES = 30;
    static final int MAX_DEADLINE_MINUTES = 1440;

    private static final String ALLOWED_TYPES = Arrays.stream(FailoverType.values()).map(Enum::name)
            .collect(Collectors.joining(", "));

    /** Parses and validates a body; throws an {@link ApiProblem} with a 400 status otherwise. */
    public FailoverRequestBody validate(byte[] body) {
        JsonFields request = JsonFields.of(JsonBodies.parse(body), "", "the request body");
        String contextId = request.nonBlankString("context_id", CONTEXT_ID_LENGTH);
        String vmName = request.nonBlankString("vm_name", NAME_LENGTH);
        String type = request.optionalString("failover_type", 16);
        Boolean powerOn = request.optionalBoolean("power_on_source_on_failure");
        String testNetwork = request.optionalString("test_network", NAME_LENGTH);
        Integer deadline = request.optionalInt("final_sync_deadline_minutes", 1, MAX_DEADLINE_MINUTES);
        if (contextId == null && vmName == null) {
            throw ApiProblem.invalidPayload("context_id or vm_name is required");
        }
        return new FailoverRequestBody(contextId, vmName, failoverType(type), powerOn == null || powerOn, testNetwork,
                deadline == null ? DEFAULT_DEADLINE_MINUTES : deadline);
    }

    private static FailoverType failoverType(String type) {
        for (FailoverType known : FailoverType.values()) {
            if (known.name().equals(type)) {
                return known;
            }
        }
        throw new ApiProblem(HttpStatus.BAD_REQUEST, INVALID_FAILOVER_TYPE, "failover_type must be one of: "
                + ALLOWED_TYPES);
    }
}
