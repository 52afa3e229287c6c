package io.migratekit.platform;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import io.migratekit.events.JobProgress;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One log line per event handled, in a fixed key=value shape that names the event type, the VM,
 * the job, the context and the correlation id. A job's life (created, started, each disk's change
 * id, completed or failed) is logged at INFO; its progress events, many per job, at DEBUG. Knows
 * nothing about what the handler did besides the outcome word it is given.
 */
public final class EventLog {

    /** Events that come many times per job: DEBUG, or a thousand followed jobs flood the log. */
    private static final Set<String> FREQUENT = Set.of(JobProgress.getClassSchema().getName());

    private EventLog() {
    }

    public static void handled(Logger log, SpecificRecord event, String outcome) {
        String type = event.getSchema().getName();
        Level level = FREQUENT.contains(type) ? Level.DEBUG : Level.INFO;
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        log.atLevel(level).log("event={} outcome={} vm={} job_id={} context_id={} correlation_id={}",
                type, outcome, field(event, "vmware_vm_id"), field(event, "job_id"),
                field(event, "context_id"), field(event, "correlation_id"));
    }

    private static Object field(SpecificRecord event, String name) {
        Schema.Field field = event.getSchema().getField(name);
        return field == null ? "-" : event.get(field.pos());
    }
}
