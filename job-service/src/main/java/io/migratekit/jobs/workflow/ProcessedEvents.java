package io.migratekit.jobs.workflow;

import static io.migratekit.db.Tables.PROCESSED_EVENTS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/**
 * The {@code processed_events} rows of one consumer: which events it has handled, so a redelivered
 * event is not handled twice. Owns only its consumer's rows.
 */
public final class ProcessedEvents {

    private final DSLContext dsl;
    private final String consumer;

    public ProcessedEvents(DSLContext dsl, String consumer) {
        this.dsl = dsl;
        this.consumer = consumer;
    }

    public boolean contains(String eventId) {
        return dsl.fetchExists(PROCESSED_EVENTS,
                PROCESSED_EVENTS.CONSUMER.eq(consumer).and(PROCESSED_EVENTS.EVENT_ID.eq(eventId)));
    }

    public void record(String eventId, Instant at) {
        dsl.insertInto(PROCESSED_EVENTS)
                .set(PROCESSED_EVENTS.CONSUMER, consumer)
                .set(PROCESSED_EVENTS.EVENT_ID, eventId)
                .set(PROCESSED_EVENTS.PROCESSED_AT, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .onConflictDoNothing()
                .execute();
    }
}
