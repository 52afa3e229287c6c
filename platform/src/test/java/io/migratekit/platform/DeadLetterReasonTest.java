package io.migratekit.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * The reason a listener's dead letter carries (drill 8 of docs/reliability.md). Regression test: a
 * record that was not Avro was dead-lettered with the serde's bare root message ("IllegalStateException
 * (artifact reference cannot be null)"), which does not say that the record could not be read.
 */
class DeadLetterReasonTest {

    @Test
    void anUndeserializableRecordSaysSoBeforeItsRootCause() {
        DeserializationException failed = new DeserializationException("failed to deserialize",
                "not avro".getBytes(StandardCharsets.UTF_8), false,
                new IllegalStateException("artifact reference cannot be null"));
        ListenerExecutionFailedException wrapped = new ListenerExecutionFailedException("listener failed", failed);

        assertThat(PlatformAutoConfiguration.deadLetterReason(wrapped))
                .isEqualTo("cannot deserialize: IllegalStateException (artifact reference cannot be null)");
    }

    @Test
    void aRecordWhoseHandlingFailedGivesTheRootCause() {
        ListenerExecutionFailedException failed = new ListenerExecutionFailedException("listener failed",
                new IllegalArgumentException("record key a is not the event's vmware_vm_id b"));

        assertThat(PlatformAutoConfiguration.deadLetterReason(failed))
                .isEqualTo("IllegalArgumentException (record key a is not the event's vmware_vm_id b)");
    }
}
