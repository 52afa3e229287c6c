package io.migratekit.platform;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;

/**
 * One log line per event handled, in a fixed key=value shape that names the event type, the VM,
 * the job, the context and the correlation id. Knows nothing about what the handler did besides
 * the outcome word it is given.
 */
public final class EventLog {

    private EventLog() {
    }

    public static void handled(Logger log, SpecificRecord event, String outcome) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info("event={} outcome={} vm={} job_id={} context_id={} correlation_id={}",
                event.getSchema().getName(), outcome, field(event, "vmware_vm_id"), field(event, "job_id"),
                field(event, "context_id"), field(event, "correlation_id"));
    }

    private static Object field(SpecificRecord event, String name) {
        Schema.Field field = event.getSchema().getField(name);
        return field == null ? "-" : event.get(field.pos());
    }
}
