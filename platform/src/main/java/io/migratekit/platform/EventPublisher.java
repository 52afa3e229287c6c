package io.migratekit.platform;

import io.migratekit.schemas.Topic;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes events to the topics of {@link io.migratekit.schemas.Topics}, keyed by VMware VM id,
 * through the shared idempotent {@code acks=all} producer. Owns nothing else: callers decide
 * whether to wait for the broker's acknowledgement.
 */
public class EventPublisher {

    private final KafkaTemplate<String, SpecificRecord> template;

    public EventPublisher(KafkaTemplate<String, SpecificRecord> template) {
        this.template = template;
    }

    public <V extends SpecificRecord> CompletableFuture<SendResult<String, SpecificRecord>> publish(
            Topic<V> topic, String vmwareVmId, V event) {
        return template.send(topic.name(), vmwareVmId, event);
    }
}
