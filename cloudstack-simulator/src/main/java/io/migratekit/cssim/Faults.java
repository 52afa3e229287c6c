package io.migratekit.cssim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Injected faults for failure drills, in the order added; each matches a command (or {@code *})
 * and fires a number of times (or forever). Kinds:
 * <ul>
 *   <li>{@link Kind#HTTP_ERROR}: the call answers this errorcode (e.g. 530, 431) as HTTP status
 *       with CloudStack's error shape, after authentication, and changes nothing;</li>
 *   <li>{@link Kind#JOB_FAILURE}: an async command's job fails (jobstatus 2) with this errorcode
 *       and changes nothing;</li>
 *   <li>{@link Kind#JOB_NEVER_FINISHES}: an async command's job stays pending (jobstatus 0) for good;</li>
 *   <li>{@link Kind#JOB_DELAY}: an async command's job stays pending this long ({@code delayMillis})
 *       instead of the configured job delay, then runs (so a drill can act while a client waits on it).</li>
 * </ul>
 * Owns the fault list and its consumption (thread-safe); the handlers decide where faults apply.
 */
public final class Faults {

    public enum Kind { HTTP_ERROR, JOB_FAILURE, JOB_NEVER_FINISHES, JOB_DELAY }

    /** A fault: {@code times} &lt; 0 means every matching call; {@code delayMillis} is for {@link Kind#JOB_DELAY} only. */
    public record Fault(Kind kind, String command, int errorCode, String errorText, int times, long delayMillis) {
        public Fault {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(command, "command");
            if (delayMillis < 0) {
                throw new IllegalArgumentException("a job delay must not be negative");
            }
        }

        public Fault(Kind kind, String command, int errorCode, String errorText, int times) {
            this(kind, command, errorCode, errorText, times, 0);
        }

        /** The next {@code times} calls of the command ({@code *} = any) answer HTTP {@code errorCode}. */
        public static Fault httpError(String command, int errorCode, int times) {
            return new Fault(Kind.HTTP_ERROR, command, errorCode, "injected fault: CloudStack answered " + errorCode, times);
        }

        /** The next {@code times} jobs of the async command fail with {@code errorCode}. */
        public static Fault jobFailure(String command, int errorCode, int times) {
            return new Fault(Kind.JOB_FAILURE, command, errorCode, "injected fault: job failed", times);
        }

        /** The next {@code times} jobs of the async command never finish. */
        public static Fault jobNeverFinishes(String command, int times) {
            return new Fault(Kind.JOB_NEVER_FINISHES, command, 0, null, times);
        }

        /** The next {@code times} jobs of the async command stay pending for {@code delayMillis}, then run. */
        public static Fault jobDelay(String command, long delayMillis, int times) {
            return new Fault(Kind.JOB_DELAY, command, 0, null, times, delayMillis);
        }

        boolean matches(Kind k, String cmd) {
            return kind == k && ("*".equals(command) || command.equalsIgnoreCase(cmd));
        }
    }

    private static final String KINDS = "http_error, job_failure, job_never_finishes or job_delay";

    private final List<Fault> faults = new ArrayList<>();

    public synchronized void add(Fault fault) {
        faults.add(fault);
    }

    public synchronized void clear() {
        faults.clear();
    }

    public synchronized List<Fault> list() {
        return List.copyOf(faults);
    }

    /** Consumes one firing of the first fault of this kind matching the command. */
    synchronized Optional<Fault> take(Kind kind, String command) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (!f.matches(kind, command)) {
                continue;
            }
            if (f.times() > 0) {
                int index = faults.indexOf(f);
                if (f.times() == 1) {
                    it.remove();
                } else {
                    faults.set(index, new Fault(f.kind(), f.command(), f.errorCode(), f.errorText(), f.times() - 1,
                            f.delayMillis()));
                }
            }
            return Optional.of(f);
        }
        return Optional.empty();
    }

    /**
     * {@code {"kind": "http_error", "command": "createVolume", "errorcode": 530, "errortext": "...", "times": 1}};
     * a {@code job_delay} has {@code "delay_ms"} instead of the error.
     */
    static Fault fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a fault is a JSON object");
        }
        String kindText = textOr(node, "kind", null);
        if (kindText == null) {
            throw new IllegalArgumentException("a fault needs a kind: " + KINDS);
        }
        Kind kind;
        try {
            kind = Kind.valueOf(kindText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault kind '" + kindText + "': " + KINDS);
        }
        String command = textOr(node, "command", "*");
        int times = node.has("times") ? node.get("times").asInt() : 1;
        int code = node.has("errorcode") ? node.get("errorcode").asInt() : 530;
        if (kind == Kind.HTTP_ERROR && (code < 400 || code > 599)) {
            throw new IllegalArgumentException("errorcode must be an HTTP error status (400..599)");
        }
        Fault base = switch (kind) {
            case HTTP_ERROR -> Fault.httpError(command, code, times);
            case JOB_FAILURE -> Fault.jobFailure(command, code, times);
            case JOB_NEVER_FINISHES -> Fault.jobNeverFinishes(command, times);
            case JOB_DELAY -> {
                if (!node.has("delay_ms") || !node.get("delay_ms").isIntegralNumber() || node.get("delay_ms").asLong() < 0) {
                    throw new IllegalArgumentException("a job_delay fault needs delay_ms, a number of milliseconds >= 0");
                }
                yield Fault.jobDelay(command, node.get("delay_ms").asLong(), times);
            }
        };
        String text = textOr(node, "errortext", base.errorText());
        return new Fault(kind, command, base.errorCode(), text, times, base.delayMillis());
    }

    synchronized ArrayNode toJson() {
        ArrayNode list = Json.array();
        for (Fault f : faults) {
            ObjectNode n = list.addObject();
            n.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
            n.put("command", f.command());
            if (f.kind() == Kind.JOB_DELAY) {
                n.put("delay_ms", f.delayMillis());
            } else if (f.kind() != Kind.JOB_NEVER_FINISHES) {
                n.put("errorcode", f.errorCode());
                n.put("errortext", f.errorText());
            }
            n.put("times", f.times());
        }
        return list;
    }

    private static String textOr(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asString();
    }
}
