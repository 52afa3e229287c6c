package io.migratekit.cloudstack;

import io.migratekit.cloudstack.client.CloudStackClient;
import java.time.Clock;
import java.util.List;
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
 * @param applianceVmId     the appliance VM the replication volumes are attached to; null (or blank) to
 *                          find it by the appliance's MAC addresses ({@link ApplianceIdentity})
 * @param testNetworks      networks of test failover VMs
 * @param liveNetworks      networks of live failover VMs
 * @param applianceMacs     the appliance's MAC addresses to find its VM by when no id is configured;
 *                          empty: those of this machine's network interfaces
 */
public record CloudStackTargetConfig(long id, String apiUrl, String apiKey, SecretSource secret, String zoneId,
        String diskOfferingId, String serviceOfferingId, String templateId, String applianceVmId,
        NetworkMapping testNetworks, NetworkMapping liveNetworks, List<String> applianceMacs) {

    public CloudStackTargetConfig {
        require(apiUrl, "apiUrl", id);
        require(apiKey, "apiKey", id);
        Objects.requireNonNull(secret, "secret of CloudStack target " + id);
        require(zoneId, "zoneId", id);
        require(diskOfferingId, "diskOfferingId", id);
        require(serviceOfferingId, "serviceOfferingId", id);
        require(templateId, "templateId", id);
        applianceVmId = applianceVmId == null || applianceVmId.isBlank() ? null : applianceVmId.trim();
        applianceMacs = applianceMacs == null ? List.of() : applianceMacs.stream()
                .filter(mac -> mac != null && !mac.isBlank()).map(ApplianceIdentity::normalize).toList();
        testNetworks = testNetworks == null ? NetworkMapping.none() : testNetworks;
        liveNetworks = liveNetworks == null ? NetworkMapping.none() : liveNetworks;
    }

    /** A target with the appliance VM given by its id. */
    public CloudStackTargetConfig(long id, String apiUrl, String apiKey, SecretSource secret, String zoneId,
            String diskOfferingId, String serviceOfferingId, String templateId, String applianceVmId,
            NetworkMapping testNetworks, NetworkMapping liveNetworks) {
        this(id, apiUrl, apiKey, secret, zoneId, diskOfferingId, serviceOfferingId, templateId, applianceVmId,
                testNetworks, liveNetworks, List.of());
    }

    /** This target with the appliance VM found (by the preflight, when it was found by MAC address). */
    public CloudStackTargetConfig withApplianceVmId(String vmId) {
        return new CloudStackTargetConfig(id, apiUrl, apiKey, secret, zoneId, diskOfferingId, serviceOfferingId,
                templateId, vmId, testNetworks, liveNetworks, applianceMacs);
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
                + templateId + ", applianceVmId=" + applianceVmId + ", applianceMacs=" + applianceMacs
                + ", testNetworks=" + testNetworks
                + ", liveNetworks=" + liveNetworks + "]";
    }

    private static void require(String value, String name, long id) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudStack target " + id + " has no " + name);
        }
    }
}
