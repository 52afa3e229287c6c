package io.migratekit.progress.testing;

import io.migratekit.progress.streams.EventSerdes;
import io.migratekit.schemas.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Plain Avro binary serdes (no registry, no wire-format header) for topology tests that run in
 * {@code TopologyTestDriver} without any broker or registry. The integration tests use the real
 * registry serdes.
 */
public final class PlainAvroSerdes implements EventSerdes {

    @Override
    public <V extends SpecificRecord> Serde<V> valueSerde(Topic<V> topic) {
        Class<V> type = topic.valueType();
        SpecificData model = SpecificData.getForClass(type);
        var schema = model.getSchema(type);
        return Serdes.serdeFrom((t, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new SpecificDatumWriter<V>(schema, model).write(value, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, (t, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return new SpecificDatumReader<V>(schema, schema, model)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not an Avro " + type.getSimpleName(), e);
            }
        });
    }
}
