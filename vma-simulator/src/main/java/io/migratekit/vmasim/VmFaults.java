package io.migratekit.vmasim;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The faults injected for one VM (addressed by BIOS UUID or by name), set fluently:
 * {@code sim.faults().forVm("pgtest1").failCopyAt(40).responseDelay(Duration.ofMillis(200))}.
 *
 * <p>Owns the fault settings and their JSON form for the admin endpoints. It does not apply them:
 * the API handlers and the copy engine read them when they act. Thread-safe; changes take effect
 * on the next call (a copy fault on the next engine tick of a running job).
 */
public final class VmFaults {

    private final String key;
    private volatile Duration discoveryDelay = Duration.ZERO;
    private volatile boolean discoveryError;
    private volatile double failCopyAtPercent = -1;
    private volatile double stallCopyAtPercent = -1;
    private volatile boolean progressNotFound;
    private volatile boolean vanishAfterDiscovery;
    private volatile boolean replicateError;
    private volatile Set<VmaCall> malformedJson = Set.of();
    private volatile Duration replicateDelay = Duration.ZERO;
    private volatile PowerFailure powerOffFailure = PowerFailure.NONE;
    private volatile PowerFailure powerOnFailure = PowerFailure.NONE;
    private volatile Duration responseDelay = Duration.ZERO;

    VmFaults(String key) {
        this.key = key;
    }

    /** The id or name (lower case) these faults are registered under. */
    public String key() {
        return key;
    }

    /** Discovery that matches this VM answers only after this delay (e.g. 20 s, past a 15 s deadline). */
    public VmFaults discoveryDelay(Duration delay) {
        this.discoveryDelay = nonNegative(delay);
        return this;
    }

    /** Discovery that matches this VM answers 500 (plain text). */
    public VmFaults discoveryError(boolean on) {
        this.discoveryError = on;
        return this;
    }

    /**
     * The copy fails once the job reaches this percentage of its total bytes: status {@code failed},
     * {@code last_error} set, no further change-id callbacks. A negative value switches it off.
     */
    public VmFaults failCopyAt(double percent) {
        this.failCopyAtPercent = percent;
        return this;
    }

    /**
     * The copy stalls once the job reaches this percentage: progress frozen forever at
     * {@code in_progress}, no further callbacks (a crashed copy engine). Negative switches it off.
     */
    public VmFaults stallCopyAt(double percent) {
        this.stallCopyAtPercent = percent;
        return this;
    }

    /**
     * Jobs started while this is on never run: replicate answers 200 but the engine never posts,
     * so progress answers 404 forever and no callbacks are made.
     */
    public VmFaults progressNotFound(boolean on) {
        this.progressNotFound = on;
        return this;
    }

    /**
     * The VM is still listed by discovery, but replicate and the power calls answer 404 as if it
     * had been deleted from vCenter right after discovery.
     */
    public VmFaults vanishAfterDiscovery(boolean on) {
        this.vanishAfterDiscovery = on;
        return this;
    }

    /** Replicate for this VM answers 500 (plain text); no job is created. */
    public VmFaults replicateError(boolean on) {
        this.replicateError = on;
        return this;
    }

    /**
     * These calls concerning this VM answer 200 with a JSON body cut off in the middle (a VMA that
     * writes half an answer); a garbled replicate creates no job. Given no call, none is garbled.
     */
    public VmFaults malformedJson(VmaCall... calls) {
        this.malformedJson = calls.length == 0 ? Set.of() : Set.copyOf(EnumSet.copyOf(Arrays.asList(calls)));
        return this;
    }

    /** Replicate for this VM answers only after this delay (discovery stays quick): a caller's deadline passes first. */
    public VmFaults replicateDelay(Duration delay) {
        this.replicateDelay = nonNegative(delay);
        return this;
    }

    /** How power-off fails for this VM ({@link PowerFailure#NONE} to succeed). */
    public VmFaults powerOffFailure(PowerFailure failure) {
        this.powerOffFailure = Objects.requireNonNull(failure, "failure");
        return this;
    }

    /** How power-on fails for this VM ({@link PowerFailure#NONE} to succeed). */
    public VmFaults powerOnFailure(PowerFailure failure) {
        this.powerOnFailure = Objects.requireNonNull(failure, "failure");
        return this;
    }

    /** Every API call concerning this VM answers only after this delay. */
    public VmFaults responseDelay(Duration delay) {
        this.responseDelay = nonNegative(delay);
        return this;
    }

    /** Switches every fault of this VM off. */
    public VmFaults clear() {
        discoveryDelay = Duration.ZERO;
        discoveryError = false;
        failCopyAtPercent = -1;
        stallCopyAtPercent = -1;
        progressNotFound = false;
        vanishAfterDiscovery = false;
        replicateError = false;
        malformedJson = Set.of();
        replicateDelay = Duration.ZERO;
        powerOffFailure = PowerFailure.NONE;
        powerOnFailure = PowerFailure.NONE;
        responseDelay = Duration.ZERO;
        return this;
    }

    public Duration discoveryDelay() {
        return discoveryDelay;
    }

    public boolean discoveryError() {
        return discoveryError;
    }

    public double failCopyAtPercent() {
        return failCopyAtPercent;
    }

    public double stallCopyAtPercent() {
        return stallCopyAtPercent;
    }

    public boolean progressNotFound() {
        return progressNotFound;
    }

    public boolean vanishAfterDiscovery() {
        return vanishAfterDiscovery;
    }

    public boolean replicateError() {
        return replicateError;
    }

    public Set<VmaCall> malformedJson() {
        return malformedJson;
    }

    public Duration replicateDelay() {
        return replicateDelay;
    }

    public PowerFailure powerOffFailure() {
        return powerOffFailure;
    }

    public PowerFailure powerOnFailure() {
        return powerOnFailure;
    }

    public Duration responseDelay() {
        return responseDelay;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("vm", key);
        o.put("discovery_delay_ms", discoveryDelay.toMillis());
        o.put("discovery_error", discoveryError);
        o.put("fail_copy_at_percent", failCopyAtPercent);
        o.put("stall_copy_at_percent", stallCopyAtPercent);
        o.put("progress_not_found", progressNotFound);
        o.put("vanish_after_discovery", vanishAfterDiscovery);
        o.put("replicate_error", replicateError);
        VmaCall.write(malformedJson, o.putArray("malformed_json"));
        o.put("replicate_delay_ms", replicateDelay.toMillis());
        o.put("power_off_failure", powerOffFailure.name().toLowerCase(Locale.ROOT));
        o.put("power_on_failure", powerOnFailure.name().toLowerCase(Locale.ROOT));
        o.put("response_delay_ms", responseDelay.toMillis());
        return o;
    }

    /** Replaces all settings with those in the JSON (absent keys mean "off"). */
    void replaceFrom(JsonNode json) {
        Duration dd = Duration.ofMillis(Json.integer(json, "discovery_delay_ms", 0));
        boolean de = Json.bool(json, "discovery_error", false);
        double fail = Json.number(json, "fail_copy_at_percent", -1);
        double stall = Json.number(json, "stall_copy_at_percent", -1);
        boolean pnf = Json.bool(json, "progress_not_found", false);
        boolean van = Json.bool(json, "vanish_after_discovery", false);
        boolean re = Json.bool(json, "replicate_error", false);
        Set<VmaCall> mj = VmaCall.parse(json.get("malformed_json"));
        Duration rpd = Duration.ofMillis(Json.integer(json, "replicate_delay_ms", 0));
        PowerFailure off = PowerFailure.parse(Json.text(json, "power_off_failure"));
        PowerFailure on = PowerFailure.parse(Json.text(json, "power_on_failure"));
        Duration rd = Duration.ofMillis(Json.integer(json, "response_delay_ms", 0));
        if (dd.isNegative() || rd.isNegative() || rpd.isNegative()) {
            throw HttpError.badRequest("delays must not be negative");
        }
        clear();
        discoveryDelay(dd).discoveryError(de).failCopyAt(fail).stallCopyAt(stall).progressNotFound(pnf)
                .vanishAfterDiscovery(van).replicateError(re).malformedJson(mj.toArray(VmaCall[]::new)).replicateDelay(rpd).powerOffFailure(off).powerOnFailure(on).responseDelay(rd);
    }

    private static Duration nonNegative(Duration d) {
        Objects.requireNonNull(d, "delay");
        if (d.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        return d;
    }
}
