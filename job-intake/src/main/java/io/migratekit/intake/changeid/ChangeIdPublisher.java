package io.migratekit.intake.changeid;

import io.migratekit.events.ChangeIdRecorded;

/**
 * Where a recorded change id goes: the {@code CHANGE_ID_RECORDED} topic. A port so the web layer
 * can be tested without the broker; the production implementation is {@link KafkaChangeIdPublisher}.
 */
public interface ChangeIdPublisher {

    /**
     * Publishes the event and returns once the broker acknowledged it.
     *
     * @throws io.migratekit.client.PipelineUnavailableException when it did not within the bounded wait
     */
    void publish(ChangeIdRecorded event);
}
