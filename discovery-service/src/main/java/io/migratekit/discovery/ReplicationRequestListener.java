package io.migratekit.discovery;

import io.migratekit.events.ReplicationRequested;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.converter.ConversionException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * The Kafka edge of the service: a batch listener on every {@code ReplicationRequested} (group
 * {@code discovery-service}) that hands the batch to {@link BatchDiscovery} and returns once every
 * outcome is acknowledged, so the container commits the batch's offsets only then.
 *
 * <p>A record that is not a readable {@code ReplicationRequested} (not Avro, unknown schema id, another
 * type) arrives with a null value and the {@code ErrorHandlingDeserializer}'s exception header. The
 * requests before it are answered, then a {@link BatchListenerFailedException} at its index lets the
 * platform's error handler commit them, dead-letter the poison record (its original bytes, reason in
 * headers) and deliver the records after it again. Keys are read as bytes: the requests carry their
 * VM id themselves, and the dead-letter template sends the original key bytes. Owns no decision.
 */
public class ReplicationRequestListener {

    /** The listener's id (also the prefix of its consumer threads). */
    public static final String LISTENER_ID = "discovery-replication-requests";

    private static final LogAccessor LOG = new LogAccessor(ReplicationRequestListener.class);

    private final BatchDiscovery discovery;

    public ReplicationRequestListener(BatchDiscovery discovery) {
        this.discovery = discovery;
    }

    @KafkaListener(id = LISTENER_ID, batch = "true",
            topics = "#{T(io.migratekit.schemas.Topics).REPLICATION_REQUESTED.name()}",
            groupId = "${migratekit.discovery.consumer-group:discovery-service}",
            properties = "key.deserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
    public void onRequests(List<ConsumerRecord<byte[], Object>> records) throws InterruptedException {
        List<ReplicationRequested> requests = new ArrayList<>(records.size());
        int unreadable = -1;
        for (ConsumerRecord<byte[], Object> record : records) {
            if (!(record.value() instanceof ReplicationRequested request)) {
                unreadable = requests.size();
                break;
            }
            requests.add(request);
        }
        try {
            discovery.answer(requests);
        } catch (OutcomeNotPublishedException e) {
            throw new BatchListenerFailedException(e.getMessage(), e, e.index());
        }
        if (unreadable >= 0) {
            ConsumerRecord<byte[], Object> record = records.get(unreadable);
            throw new BatchListenerFailedException("unreadable record at offset " + record.offset() + " of partition "
                    + record.partition(), whyUnreadable(record), unreadable);
        }
    }

    private static RuntimeException whyUnreadable(ConsumerRecord<byte[], Object> record) {
        DeserializationException failure = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (failure != null) {
            return failure;
        }
        String what = record.value() == null ? "no value" : "a " + record.value().getClass().getName();
        return new ConversionException("expected a ReplicationRequested, got " + what, record, null);
    }
}
