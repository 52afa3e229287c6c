package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.cloudstack.client.CloudStackException;
import io.migratekit.cloudstack.client.CloudStackException.Kind;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Which failures of the target platform are "not reached" (try again later) rather than a refusal. */
class TargetPlatformExceptionTest {

    @Test
    void onlyAnUnreachableOrSilentCloudStackIsUnreachable() {
        for (Kind kind : Kind.values()) {
            CloudStackException cause = new CloudStackException(kind, "deployVirtualMachine", 530, 4250, "text", "job-1",
                    null);
            TargetPlatformException e = new TargetPlatformException(TargetOperation.CREATE_VM, "failed", cause);
            assertThat(e.unreachable()).as(kind.name()).isEqualTo(EnumSet.of(Kind.UNREACHABLE, Kind.TIMEOUT).contains(kind));
        }
        assertThat(new TargetPlatformException(TargetOperation.CREATE_VM, "refused").unreachable()).isFalse();
    }
}
