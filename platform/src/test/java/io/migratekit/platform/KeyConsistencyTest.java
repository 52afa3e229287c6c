package io.migratekit.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.events.JobStarted;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The rule that a record's key is its event's VM (drill 8 of docs/reliability.md): which records break
 * it, what the reason says, and which records have nothing to compare.
 */
class KeyConsistencyTest {

    @Test
    void anEventUnderItsOwnVmsKeyPasses() {
        assertThat(KeyConsistency.check("vm-1", jobStarted("vm-1"))).isEmpty();
        assertThat(KeyConsistency.check("vm-1".getBytes(StandardCharsets.UTF_8), jobStarted("vm-1"))).isEmpty();
    }

    @Test
    void anEventUnderAnotherVmsKeyIsAMismatchThatNamesBoth() {
        assertThat(KeyConsistency.check("vm-2", jobStarted("vm-1")))
                .hasValueSatisfying(mismatch -> assertThat(mismatch).isInstanceOf(KeyMismatchException.class)
                        .hasMessage("key vm-2 differs from the event's vmware_vm_id vm-1 (JobStarted)"));
        assertThat(KeyConsistency.check("vm-2".getBytes(StandardCharsets.UTF_8), jobStarted("vm-1")))
                .hasValueSatisfying(mismatch -> assertThat(mismatch)
                        .hasMessage("key vm-2 differs from the event's vmware_vm_id vm-1 (JobStarted)"));
        assertThat(KeyConsistency.check(null, jobStarted("vm-1")))
                .hasValueSatisfying(mismatch -> assertThat(mismatch)
                        .hasMessage("key null differs from the event's vmware_vm_id vm-1 (JobStarted)"));
    }

    @Test
    void requireThrowsTheMismatchAndPassesAMatch() {
        KeyConsistency.require("vm-1", jobStarted("vm-1"));

        assertThatThrownBy(() -> KeyConsistency.require("vm-2", jobStarted("vm-1")))
                .isInstanceOf(KeyMismatchException.class)
                .hasMessage("key vm-2 differs from the event's vmware_vm_id vm-1 (JobStarted)");
    }

    @Test
    void everyEventOfTheRegistryIsChecked() {
        for (Topic<?> topic : Topics.all().stream().filter(t -> Topic.VM_KEY.equals(t.keyField())).toList()) {
            Schema schema = SpecificData.get().getSchema(topic.valueType());
            SpecificRecord event = (SpecificRecord) SpecificData.get().newRecord(null, schema);
            event.put(schema.getField(KeyConsistency.FIELD).pos(), "vm-1");

            assertThat(KeyConsistency.check("vm-1", event)).as(topic.name()).isEmpty();
            assertThat(KeyConsistency.check("vm-2", event)).as(topic.name()).isPresent();
        }
    }

    @Test
    void theSchedulerEventsAreCheckedAgainstTheKeyFieldTheirSchemaNames() {
        for (Topic<?> topic : Topics.all().stream().filter(t -> !Topic.VM_KEY.equals(t.keyField())).toList()) {
            Schema schema = SpecificData.get().getSchema(topic.valueType());
            SpecificRecord event = (SpecificRecord) SpecificData.get().newRecord(null, schema);
            event.put(schema.getField(topic.keyField()).pos(), "s-1");

            assertThat(schema.getProp(KeyConsistency.KEY_PROPERTY)).as(topic.name()).isEqualTo(topic.keyField());
            assertThat(KeyConsistency.check("s-1", event)).as(topic.name()).isEmpty();
            assertThat(KeyConsistency.check("s-2", event)).as(topic.name()).get()
                    .extracting(Throwable::getMessage).isEqualTo("key s-2 differs from the event's " + topic.keyField()
                            + " s-1 (" + schema.getName() + ")");
        }
    }

    @Test
    void aRecordWithNothingToCompareWithPasses() {
        Schema noVm = SchemaBuilder.record("Other").fields().requiredString("id").endRecord();
        GenericData.Record other = new GenericData.Record(noVm);
        other.put("id", "x");

        assertThat(KeyConsistency.check("vm-1", null)).as("a tombstone or an unreadable value").isEmpty();
        assertThat(KeyConsistency.check("vm-1", "not an event")).isEmpty();
        assertThat(KeyConsistency.check("vm-1", other)).as("a record without vmware_vm_id").isEmpty();
    }

    static JobStarted jobStarted(String vmId) {
        JobStarted event = new JobStarted();
        event.setVmwareVmId(vmId);
        return event;
    }
}
