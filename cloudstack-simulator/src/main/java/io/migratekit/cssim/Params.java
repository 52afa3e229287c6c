package io.migratekit.cssim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The decoded parameters of one API call (query and form body merged, the first value of a name
 * wins, names as sent so the signature sorts them as CloudStack does) with case-insensitive
 * lookups for the command handlers. Owns reading parameters; the meaning belongs to {@link Cloud}.
 */
final class Params {

    private final Map<String, String> asSent;
    private final Map<String, String> byLowerName = new LinkedHashMap<>();

    Params(Map<String, String> asSent) {
        this.asSent = Collections.unmodifiableMap(new LinkedHashMap<>(asSent));
        asSent.forEach((k, v) -> byLowerName.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
    }

    /** The parameters exactly as sent, for the signature. */
    Map<String, String> asSent() {
        return asSent;
    }

    /** The command's name as sent, or null. */
    String command() {
        return get("command");
    }

    /** A parameter, or null when absent or empty. */
    String get(String name) {
        String v = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v;
    }

    /** A parameter CloudStack requires: 431 naming it when absent. */
    String required(String name) {
        String v = get(name);
        if (v == null) {
            throw ApiException.missingParameter(command(), name);
        }
        return v;
    }

    /** A whole number, or null; 431 when it does not parse. */
    Long number(String name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(431, ApiException.CS_SERVER_API, "Unable to execute API command "
                    + command().toLowerCase(Locale.ROOT) + " due to invalid value " + v + " for parameter " + name);
        }
    }

    boolean flag(String name, boolean fallback) {
        String v = get(name);
        return v == null ? fallback : Boolean.parseBoolean(v.trim());
    }

    /** A map parameter's entry {@code map[0].key} (e.g. {@code details[0].cpuNumber}), or null. */
    String mapEntry(String map, String key) {
        return get(map + "[0]." + key);
    }

    /** The parameters a job needs after a restart: everything but the credentials and the signature. */
    Map<String, String> forJob() {
        Map<String, String> copy = new LinkedHashMap<>(byLowerName);
        for (String secretish : new String[] {"apikey", "signature", "signatureversion", "expires", "response", "command"}) {
            copy.remove(secretish);
        }
        return copy;
    }
}
