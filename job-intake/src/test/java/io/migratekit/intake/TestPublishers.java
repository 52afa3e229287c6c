package io.migratekit.intake;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.migratekit.platform.EventPublisher;
import io.migratekit.schemas.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * The platform's event publisher on a mock producer, for unit tests of what job-intake makes of a
 * failed send: one whose serializer is the real Avro serializer reaching a schema registry that does
 * not answer, one whose producer refuses every send itself.
 */
public final class TestPublishers {

    private TestPublishers() {
    }

    /** Every publish fails in the serializer: the registry at a free local port never answers. */
    public static EventPublisher throughAnUnansweredRegistry() {
        AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
        serializer.configure(RegistrySettings.ofBaseUrl("http://127.0.0.1:" + freePort()).serdeConfig(), false);
        return on(new MockProducer<>(true, null, new StringSerializer(), serializer));
    }

    /** Every publish fails in the producer with {@code failure}, before anything is serialized. */
    public static EventPublisher refusingEverySend(RuntimeException failure) {
        MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null, new StringSerializer(),
                (topic, event) -> new byte[0]);
        producer.sendException = failure;
        return on(producer);
    }

    private static EventPublisher on(MockProducer<String, SpecificRecord> producer) {
        return new EventPublisher(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
