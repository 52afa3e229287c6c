package io.migratekit.cssim;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own admin routes under {@code /sim} (outside CloudStack's API, no signature;
 * the simulator binds to 127.0.0.1 by default):
 * <pre>
 * GET    /sim/faults   the injected faults, in order
 * POST   /sim/faults   add one fault {"kind": "http_error"|"job_failure"|"job_never_finishes"|"job_delay",
 *                      "command": "createVolume"|"*", "errorcode": 530, "errortext": "...", "times": 1 (-1 = always)}
 *                      (a job_delay has "delay_ms" instead of errorcode and errortext)
 * DELETE /sim/faults   clear every fault
 * GET    /sim/state    the whole persisted state (VMs, volumes, snapshots, jobs)
 * </pre>
 * Owns these routes only; delegates to {@link Faults} and {@link Cloud}.
 */
final class AdminHandler {

    /** The answer and its HTTP status. */
    record Answer(int status, JsonNode body) {
    }

    private final Faults faults;
    private final Cloud cloud;

    AdminHandler(Faults faults, Cloud cloud) {
        this.faults = faults;
        this.cloud = cloud;
    }

    Answer handle(String method, String path, byte[] body) {
        switch (path) {
            case "/sim/faults" -> {
                switch (method) {
                    case "GET" -> {
                        return new Answer(200, faults.toJson());
                    }
                    case "DELETE" -> {
                        faults.clear();
                        return new Answer(200, faults.toJson());
                    }
                    case "POST" -> {
                        try {
                            faults.add(Faults.fromJson(Json.MAPPER.readTree(body)));
                        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
                            return new Answer(400, message("invalid fault: " + e.getMessage()));
                        }
                        return new Answer(200, faults.toJson());
                    }
                    default -> {
                        return new Answer(405, message("use GET, POST or DELETE"));
                    }
                }
            }
            case "/sim/state" -> {
                return "GET".equals(method) ? new Answer(200, cloud.dump()) : new Answer(405, message("use GET"));
            }
            default -> {
                return new Answer(404, message("no such admin route: " + path));
            }
        }
    }

    private static ObjectNode message(String text) {
        ObjectNode n = Json.object();
        n.put("error", text);
        return n;
    }
}
