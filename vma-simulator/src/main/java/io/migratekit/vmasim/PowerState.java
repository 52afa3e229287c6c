package io.migratekit.vmasim;

import java.util.Locale;

/**
 * The power states a VM reports on the wire ({@code power_state} in discovery and power-state).
 *
 * <p>Owns only the mapping between the enum and the vSphere spelling; the state of a particular VM
 * lives in {@link SimVm}.
 */
public enum PowerState {
    POWERED_ON("poweredOn"),
    POWERED_OFF("poweredOff"),
    SUSPENDED("suspended"),
    UNKNOWN("unknown");

    private final String wire;

    PowerState(String wire) {
        this.wire = wire;
    }

    /** The vSphere spelling used on the wire, e.g. {@code poweredOn}. */
    public String wire() {
        return wire;
    }

    /** Parses the wire spelling (case-insensitive) or the enum name; unknown values are rejected. */
    public static PowerState parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("power state is missing");
        }
        for (PowerState state : values()) {
            if (state.wire.equalsIgnoreCase(value) || state.name().equalsIgnoreCase(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown power state: " + value.toLowerCase(Locale.ROOT));
    }
}
