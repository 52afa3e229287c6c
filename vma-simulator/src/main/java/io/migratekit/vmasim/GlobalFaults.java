package io.migratekit.vmasim;

import java.time.Duration;
import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Faults that affect the whole simulator's {@code /api/v1} surface: "unavailable" (every call,
 * health included, answers 503 plain text) and a delay on every call. For a refused connection,
 * close the simulator instead. The admin endpoints under {@code /sim} are never affected, so a
 * standalone stack can switch the faults back off. Owns the settings only; handlers apply them.
 */
public final class GlobalFaults {

    private volatile boolean unavailable;
    private volatile Duration responseDelay = Duration.ZERO;

    GlobalFaults() {
    }

    /** Every {@code /api/v1} call answers 503 while on. */
    public GlobalFaults unavailable(boolean on) {
        this.unavailable = on;
        return this;
    }

    /** Every {@code /api/v1} call answers only after this delay. */
    public GlobalFaults responseDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.responseDelay = delay;
        return this;
    }

    public boolean unavailable() {
        return unavailable;
    }

    public Duration responseDelay() {
        return responseDelay;
    }

    /** Switches both global faults off. */
    public GlobalFaults clear() {
        unavailable = false;
        responseDelay = Duration.ZERO;
        return this;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("unavailable", unavailable);
        o.put("response_delay_ms", responseDelay.toMillis());
        return o;
    }

    /** Applies the keys present in the JSON; absent keys keep their value. */
    void updateFrom(JsonNode json) {
        boolean u = Json.bool(json, "unavailable", unavailable);
        long delay = Json.integer(json, "response_delay_ms", responseDelay.toMillis());
        if (delay < 0) {
            throw HttpError.badRequest("response_delay_ms must not be negative");
        }
        unavailable(u).responseDelay(Duration.ofMillis(delay));
    }
}
