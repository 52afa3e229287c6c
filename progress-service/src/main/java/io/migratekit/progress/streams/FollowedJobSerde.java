package io.migratekit.progress.streams;

import io.migratekit.progress.follow.FollowedJob;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state store's value format: a {@link FollowedJob} as JSON. The store is this service's own
 * (its changelog topic is internal), so it is not an event and not in the registry; unknown fields
 * are ignored and missing ones take their defaults, so the format can grow.
 */
public final class FollowedJobSerde implements Serde<FollowedJob> {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    @Override
    public Serializer<FollowedJob> serializer() {
        return (topic, job) -> {
            if (job == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(job);
            } catch (JacksonException e) {
                throw new SerializationException("cannot write the state of job " + job.jobId(), e);
            }
        };
    }

    @Override
    public Deserializer<FollowedJob> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return JSON.readValue(bytes, FollowedJob.class);
            } catch (JacksonException e) {
                throw new SerializationException("cannot read a followed job's state: " + e.getOriginalMessage(), e);
            }
        };
    }
}
