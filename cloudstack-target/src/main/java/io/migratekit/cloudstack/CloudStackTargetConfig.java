package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackClient;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/**
 * One CloudStack target, selected by a request's {@code ossea_config_id}: where the API is, which
 * key signs (the secret only as a {@link SecretSource}), and what the appliance uses there. Data,
 * not code: the services read any number of these from configuration. {@link #toString()} shows
 * neither the secret (it is not here) nor more than the start of the API key.
 *
 * @param id                the {@code ossea_config_id}
 * @param apiUrl            CloudStack's API ({@code .../client/api}, or the base URL)
 * @param apiKey            the API key
 * @param secret            where the secret key is read from
 * @param zoneId            the zone volumes and VMs are created in
 * @param diskOfferingId    a custom-size disk offering for replication volumes
 * @param serviceOfferingId the service offering of failover VMs (custom: CPUs and memory from the source)
 * @param templateId        the template failover VMs are deployed from (its ROOT is replaced)
 * @param applianceVmId     the appliance VM the replication volumes are attached to
 * @param testNetworks      networks of test failover VMs
 * @param liveNetworks      networks of live failover VMs
 */
public record CloudStackTargetConfig(long id, String apiUrl, String apiKey, SecretSource secret, String zoneId,
        String diskOfferingId, String serviceOfferingId, String templateId, String applianceVmId,
        NetworkMapping testNetworks, NetworkMapping liveNetworks) {

    public CloudStackTargetConfig {
        require(apiUrl, "apiUrl", id);
        require(apiKey, "apiKey", id);
        Objects.requireNonNull(secret, "secret of CloudStack target " + id);
        require(zoneId, "zoneId", id);
        require(diskOfferingId, "diskOfferingId", id);
        require(serviceOfferingId, "serviceOfferingId", id);
        require(templateId, "templateId", id);
        require(applianceVmId, "applianceVmId", id);
        testNetworks = testNetworks == null ? NetworkMapping.none() : testNetworks;
        liveNetworks = liveNetworks == null ? NetworkMapping.none() : liveNetworks;
    }

    /** A client signing with this target's key (the secret is read now and kept only in the client). */
    public CloudStackClient client(Function<String, String> environment, CloudStackClient.Timing timing, Clock clock) {
        return new CloudStackClient(apiUrl, apiKey, secret.read(environment), timing, clock);
    }

    @Override
    public String toString() {
        return "CloudStackTargetConfig[id=" + id + ", apiUrl=" + apiUrl + ", apiKey="
                + apiKey.substring(0, Math.min(4, apiKey.length())) + "…, secret=" + secret + ", zoneId=" + zoneId
                + ", diskOfferingId=" + diskOfferingId + ", serviceOfferingId=" + serviceOfferingId + ", templateId="
                + templateId + ", applianceVmId=" + applianceVmId + ", testNetworks=" + testNetworks
                + ", liveNetworks=" + liveNetworks + "]";
    }

    private static void require(String value, String name, long id) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudStack target " + id + " has no " + name);
        }
    }
}
