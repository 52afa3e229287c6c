package io.migratekit.cssim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** There is no default key pair; the environment names what is missing. */
class SimulatorConfigTest {

    @Test
    void aConfigurationWithoutAKeyPairIsRefused() {
        assertThatThrownBy(() -> SimulatorConfig.builder().dataDir(Path.of("data")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an API key and secret key are required (there is no default pair)");
        assertThatThrownBy(() -> SimulatorConfig.builder().dataDir(Path.of("data")).apiKey("k").secretKey(" ").build())
                .hasMessage("an API key and secret key are required (there is no default pair)");
    }

    @Test
    void theEnvironmentConfiguresPortDirectoriesKeysDelayAndAppliance() {
        SimulatorConfig c = SimulatorConfig.fromEnv(Map.of("CS_SIM_DATA_DIR", "data", "CS_SIM_API_KEY", "k", "CS_SIM_SECRET_KEY", "s",
                "CS_SIM_JOB_DELAY_MS", "250", "CS_SIM_APPLIANCE_VM_ID", "0f000000-0000-4000-8000-000000000001",
                "CS_SIM_APPLIANCE_MAC", "02:00:00:00:00:09"));
        assertThat(c.port()).isEqualTo(8088);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.deviceDir()).isEqualTo(Path.of("data", "devices"));
        assertThat(c.apiKey()).isEqualTo("k");
        assertThat(c.secretKey()).isEqualTo("s");
        assertThat(c.jobDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.applianceVm().id()).isEqualTo("0f000000-0000-4000-8000-000000000001");
        assertThat(c.applianceMac()).isEqualTo("02:00:00:00:00:09");
        assertThatThrownBy(() -> SimulatorConfig.fromEnv(Map.of("CS_SIM_API_KEY", "k", "CS_SIM_SECRET_KEY", "s")))
                .hasMessage("CS_SIM_DATA_DIR is required");
    }
}
