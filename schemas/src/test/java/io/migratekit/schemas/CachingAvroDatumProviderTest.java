package io.migratekit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.events.JobCreated;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The datum provider hands out one writer per schema instance and one reader per schema instance, and
 * what they write and read is the record itself — also for a schema instance it has not seen before
 * and after its cache was emptied. (The serdes using it against the real registry and broker:
 * {@link EventCatalogRoundTripTest}.)
 */
class CachingAvroDatumProviderTest {

    private final CachingAvroDatumProvider<Object> provider = new CachingAvroDatumProvider<>();
    private final JobCreated job = new SampleEvents(7).sample(JobCreated.class);

    CachingAvroDatumProviderTest() {
        provider.setUseSpecificAvroReader(true);
    }

    @Test
    void theSameSchemaInstanceGetsTheSameWriterAndReader() throws IOException {
        // when
        DatumWriter<Object> writer = provider.createDatumWriter(job, job.getSchema());
        DatumReader<Object> reader = provider.createDatumReader(JobCreated.getClassSchema());

        // then
        assertThat(provider.createDatumWriter(job, job.getSchema())).isSameAs(writer);
        assertThat(provider.createDatumReader(JobCreated.getClassSchema())).isSameAs(reader);
        assertThat(reader.read(null, DecoderFactory.get().binaryDecoder(write(writer, job), null))).isEqualTo(job);
    }

    @Test
    void aSchemaParsedAnewStillReadsTheRecordEvenPastTheCacheBound() throws IOException {
        // given: the record written once
        byte[] bytes = write(provider.createDatumWriter(job, job.getSchema()), job);

        // when: more distinct schema instances than the cache keeps are read with
        DatumReader<Object> last = null;
        for (int i = 0; i <= CachingAvroDatumProvider.MAX_SCHEMAS; i++) {
            last = provider.createDatumReader(new Schema.Parser().parse(JobCreated.getClassSchema().toString()));
        }

        // then: each reads the specific record back
        assertThat(last.read(null, DecoderFactory.get().binaryDecoder(bytes, null))).isEqualTo(job);
    }

    private static byte[] write(DatumWriter<Object> writer, Object record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Encoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
