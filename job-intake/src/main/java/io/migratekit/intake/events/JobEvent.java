package io.migratekit.intake.events;

import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * One event of a replication job as the event stream serves it: its type (the Avro record name),
 * its id, the job, and its fields as JSON-ready values under their (snake_case) schema names,
 * timestamps as ISO-8601 strings and enums as their symbols. The console's stream also carries the
 * events of failovers in the same form ({@link #ofFailover}; no job of their own, so {@code jobId}
 * is null). Knows which events end a job; does not know who listens.
 */
public record JobEvent(String type, String eventId, String jobId, String vmwareVmId, Instant occurredAt,
        Map<String, Object> data) {

    /** The topics of a job's life, in the order its events happen. */
    public static final List<Topic<?>> TOPICS = List.of(Topics.JOB_CREATED, Topics.JOB_STARTED, Topics.JOB_PROGRESS,
            Topics.CHANGE_ID_RECORDED, Topics.JOB_COMPLETED, Topics.JOB_FAILED);
    private static final List<String> TYPES = TOPICS.stream().map(topic -> topic.valueType().getSimpleName()).toList();
    /** The topics of a failover's life that the console shows, in the order its events happen. */
    public static final List<Topic<?>> FAILOVER_TOPICS = List.of(Topics.FAILOVER_ACCEPTED,
            Topics.FAILOVER_STEP_CHANGED, Topics.FAILOVER_COMPLETED, Topics.FAILOVER_FAILED,
            Topics.FAILOVER_CLEANED_UP);
    private static final List<String> FAILOVER_TYPES = FAILOVER_TOPICS.stream()
            .map(topic -> topic.valueType().getSimpleName()).toList();

    /** The job's event, or empty for a record of another type or without a job id. */
    public static Optional<JobEvent> of(Object value) {
        if (!(value instanceof SpecificRecord record) || !TYPES.contains(record.getSchema().getName())) {
            return Optional.empty();
        }
        Map<String, Object> data = fields(record);
        Object jobId = data.get("job_id");
        Object eventId = data.get("event_id");
        if (jobId == null || eventId == null) {
            return Optional.empty();
        }
        return Optional.of(new JobEvent(record.getSchema().getName(), eventId.toString(), jobId.toString(),
                String.valueOf(data.get("vmware_vm_id")), occurredAt(record), data));
    }

    /** The failover's event (its {@code jobId} null), or empty for a record of another type or without an event id. */
    public static Optional<JobEvent> ofFailover(Object value) {
        if (!(value instanceof SpecificRecord record) || !FAILOVER_TYPES.contains(record.getSchema().getName())) {
            return Optional.empty();
        }
        Map<String, Object> data = fields(record);
        Object eventId = data.get("event_id");
        if (eventId == null) {
            return Optional.empty();
        }
        return Optional.of(new JobEvent(record.getSchema().getName(), eventId.toString(), null,
                String.valueOf(data.get("vmware_vm_id")), occurredAt(record), data));
    }

    private static Instant occurredAt(SpecificRecord record) {
        Object occurredAt = record.get(record.getSchema().getField("occurred_at").pos());
        return occurredAt instanceof Instant at ? at : Instant.EPOCH;
    }

    /** The job id of a job event, cheaply (without converting it); null for any other record. */
    public static String jobIdOf(Object value) {
        if (value instanceof SpecificRecord record && TYPES.contains(record.getSchema().getName())) {
            Object jobId = record.get(record.getSchema().getField("job_id").pos());
            return jobId == null ? null : jobId.toString();
        }
        return null;
    }

    /**
     * The same event under another stream id (the id a client resumes from, see {@link ConsoleEvents});
     * the event's own id stays in {@code data.event_id}.
     */
    public JobEvent renumbered(String streamId) {
        return new JobEvent(type, streamId, jobId, vmwareVmId, occurredAt, data);
    }

    /** {@code JobCompleted} or {@code JobFailed}: nothing of this job follows. */
    public boolean terminal() {
        return "JobCompleted".equals(type) || "JobFailed".equals(type);
    }

    private static Map<String, Object> fields(IndexedRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            fields.put(field.name(), json(record.get(field.pos())));
        }
        return fields;
    }

    private static Object json(Object value) {
        if (value == null || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof IndexedRecord nested) {
            return fields(nested);
        }
        if (value instanceof Iterable<?> items) {
            List<Object> list = new ArrayList<>();
            items.forEach(item -> list.add(json(item)));
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, item) -> out.put(key.toString(), json(item)));
            return out;
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
