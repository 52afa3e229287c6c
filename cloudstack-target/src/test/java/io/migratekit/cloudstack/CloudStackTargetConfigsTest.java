package io.migratekit.cloudstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.migratekit.cloudstack.CloudStackTargetConfigs.UnknownTargetConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudStackTargetConfigsTest {

    private final CloudStackTargetConfig one = CloudStackTargetPlatformTest.config("https://cloud.example");

    @Test
    void findsAConfigurationByItsOsseaConfigIdAndNamesTheKnownOnesForAnUnknownId() {
        // given
        CloudStackTargetConfigs configs = new CloudStackTargetConfigs(List.of(one));

        // then
        assertThat(configs.require(1)).isSameAs(one);
        assertThat(configs.find(2)).isEmpty();
        assertThatThrownBy(() -> configs.require(7)).isInstanceOfSatisfying(UnknownTargetConfigException.class, e -> {
            assertThat(e.osseaConfigId()).isEqualTo(7);
            assertThat(e.getMessage()).isEqualTo("ossea_config_id 7 is not a configured CloudStack target (configured: 1)");
        });
    }

    @Test
    void refusesTheSameIdTwice() {
        assertThatThrownBy(() -> new CloudStackTargetConfigs(List.of(one, one)))
                .hasMessage("CloudStack target 1 is configured twice");
    }

    @Test
    void showsNeitherTheSecretNorTheWholeApiKey() {
        assertThat(one.toString()).isEqualTo("CloudStackTargetConfig[id=1, apiUrl=https://cloud.example, apiKey=key-…, "
                + "secret=environment variable CS_SECRET, zoneId=z-1, diskOfferingId=d-1, serviceOfferingId=so-1, "
                + "templateId=t-1, applianceVmId=app-1, applianceMacs=[], testNetworks=NetworkMapping[defaultNetworkIds=[n-test], "
                + "networkIdsByName={isolated-test=[n-iso]}], liveNetworks=NetworkMapping[defaultNetworkIds=[n-live-1, "
                + "n-live-2], networkIdsByName={}]]");
    }

    @Test
    void readsTheSecretFromAFileOrTheEnvironment(@TempDir Path dir) throws IOException {
        // given
        Path file = dir.resolve("cloudstack-secret");
        Files.writeString(file, "  s3cret-from-file\n");

        // then
        assertThat(new String(SecretSource.file(file.toString()).read(name -> null), StandardCharsets.UTF_8))
                .isEqualTo("s3cret-from-file");
        assertThat(new String(SecretSource.env("CS_SECRET").read(Map.of("CS_SECRET", "s3cret-from-env")::get),
                StandardCharsets.UTF_8)).isEqualTo("s3cret-from-env");
        assertThatThrownBy(() -> SecretSource.file(dir.resolve("missing").toString()).read(name -> null))
                .hasMessage("the secret key file " + dir.resolve("missing") + " cannot be read (NoSuchFileException)");
        assertThatThrownBy(() -> SecretSource.env("CS_SECRET").read(Map.of("CS_SECRET", " ")::get))
                .hasMessage("the secret key in environment variable CS_SECRET is empty");
    }

    @Test
    void mapsNetworkNamesAndRefusesUnmappedOnes() {
        // given
        NetworkMapping test = one.testNetworks();

        // then
        assertThat(test.networkIds(null)).contains(List.of("n-test"));
        assertThat(test.networkIds("isolated-test")).contains(List.of("n-iso"));
        assertThat(test.networkIds("prod-lan")).isEmpty();
        assertThat(test.allNetworkIds()).containsExactly("n-test", "n-iso");
    }
}
