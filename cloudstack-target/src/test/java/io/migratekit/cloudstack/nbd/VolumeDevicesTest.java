package io.migratekit.cloudstack.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VolumeDevicesTest {

    @Test
    void theDeviceIsNamedAfterTheFirstTwentyHexDigitsOfTheVolumeId() {
        // when
        String name = VolumeDevices.deviceName("0b4f7c1e-9d2a-4e6b-8f3c-5a1d2e3f4a5b");

        // then
        assertThat(name).isEqualTo("virtio-0b4f7c1e9d2a4e6b8f3c");
    }

    @Test
    void anythingButAUuidIsRefusedBeforeItCanBecomeAPath() {
        for (String bad : new String[] {"../../etc/passwd", "0b4f7c1e-9d2a-4e6b-8f3c", "", "0b4f7c1e-9d2a-4e6b-8f3c-5a1d2e3f4a5b/x"}) {
            assertThatThrownBy(() -> VolumeDevices.deviceName(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a CloudStack volume id (a UUID): " + bad);
        }
        assertThat(VolumeDevices.isVolumeId("0b4f7c1e-9d2a-4e6b-8f3c-5a1d2e3f4a5b")).isTrue();
        assertThat(VolumeDevices.isVolumeId("../0b4f7c1e-9d2a-4e6b-8f3c-5a1d2e3f4a5b")).isFalse();
        assertThatThrownBy(() -> VolumeDevices.deviceName(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a CloudStack volume id (a UUID): null");
    }
}
