package io.migratekit.platform.target;

import io.migratekit.cloudstack.CloudStackTargetConfig;
import io.migratekit.cloudstack.NetworkMapping;
import io.migratekit.cloudstack.SecretSource;
import io.migratekit.cloudstack.client.CloudStackClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which target platform job-service and failover-service drive (the same CloudStack, so the same
 * settings), the CloudStack targets ({@code migratekit.cloudstack.targets[n].*}, one per
 * {@code ossea_config_id}) and the appliance's NBD server ({@code migratekit.cloudstack.nbd-*}).
 * Holds values only: the secret key is never here, only the file or environment variable it is read
 * from. {@link TargetPlatformConfiguration} turns them into the platform.
 */
@ConfigurationProperties("migratekit.cloudstack")
public class CloudStackProperties {

    /** The implementation: {@code cloudstack} (the CloudStack API, or the CloudStack API simulator), the only one. */
    private String target = "cloudstack";
    /** The appliance's NBD server as the VMA reaches it. */
    private String nbdHost = "127.0.0.1";
    /** Its port. */
    private int nbdPort = 10809;
    /** The address it listens on. */
    private String nbdBindAddress = "0.0.0.0";
    /** Its state directory (export links, pid file, log); the same across restarts. */
    private String nbdStateDir = "/var/lib/migratekit/nbd";
    /** Where attached volumes appear as {@code virtio-<serial>}. */
    private String nbdDeviceDir = "/dev/disk/by-id";
    /** The nbdkit executable. */
    private String nbdServerBinary = "nbdkit";
    /** How long one CloudStack async job is waited on before the step fails (a retry waits on the same job). */
    private Duration jobWaitBound = CloudStackClient.Timing.defaults().jobBound();
    /** The CloudStack targets, one per {@code ossea_config_id}. */
    private List<Target> targets = new ArrayList<>();

    /** One CloudStack target; see {@link CloudStackTargetConfig}. */
    public static class Target {
        private long id;
        private String apiUrl;
        private String apiKey;
        /** A file holding the secret key (owner-only), or: */
        private String secretFile;
        /** an environment variable holding it. */
        private String secretEnv;
        private String zoneId;
        private String diskOfferingId;
        private String serviceOfferingId;
        private String templateId;
        /** The appliance VM's id; when not set, the VM is found by the appliance's MAC addresses: */
        private String applianceVmId;
        /** these, or (none set) those of this machine's network interfaces. */
        private List<String> applianceMacs = new ArrayList<>();
        private Networks testNetworks = new Networks();
        private Networks liveNetworks = new Networks();

        /** The target as data; a target with both or neither secret source is refused, naming it. */
        public CloudStackTargetConfig toConfig() {
            boolean file = secretFile != null && !secretFile.isBlank();
            boolean env = secretEnv != null && !secretEnv.isBlank();
            if (file == env) {
                throw new IllegalArgumentException("CloudStack target " + id
                        + " needs exactly one of secret-file and secret-env");
            }
            return new CloudStackTargetConfig(id, apiUrl, apiKey,
                    file ? SecretSource.file(secretFile) : SecretSource.env(secretEnv), zoneId, diskOfferingId,
                    serviceOfferingId, templateId, applianceVmId, testNetworks.toMapping(), liveNetworks.toMapping(),
                    applianceMacs);
        }

        public long getId() { return id; }
        public void setId(long id) { this.id = id; }
        public String getApiUrl() { return apiUrl; }
        public void setApiUrl(String apiUrl) { this.apiUrl = apiUrl; }
        public String getApiKey() { return apiKey; }
        public void setApiKey(String apiKey) { this.apiKey = apiKey; }
        public String getSecretFile() { return secretFile; }
        public void setSecretFile(String secretFile) { this.secretFile = secretFile; }
        public String getSecretEnv() { return secretEnv; }
        public void setSecretEnv(String secretEnv) { this.secretEnv = secretEnv; }
        public String getZoneId() { return zoneId; }
        public void setZoneId(String zoneId) { this.zoneId = zoneId; }
        public String getDiskOfferingId() { return diskOfferingId; }
        public void setDiskOfferingId(String diskOfferingId) { this.diskOfferingId = diskOfferingId; }
        public String getServiceOfferingId() { return serviceOfferingId; }
        public void setServiceOfferingId(String serviceOfferingId) { this.serviceOfferingId = serviceOfferingId; }
        public String getTemplateId() { return templateId; }
        public void setTemplateId(String templateId) { this.templateId = templateId; }
        public String getApplianceVmId() { return applianceVmId; }
        public void setApplianceVmId(String applianceVmId) { this.applianceVmId = applianceVmId; }
        public List<String> getApplianceMacs() { return applianceMacs; }
        public void setApplianceMacs(List<String> applianceMacs) { this.applianceMacs = applianceMacs; }
        public Networks getTestNetworks() { return testNetworks; }
        public void setTestNetworks(Networks testNetworks) { this.testNetworks = testNetworks; }
        public Networks getLiveNetworks() { return liveNetworks; }
        public void setLiveNetworks(Networks liveNetworks) { this.liveNetworks = liveNetworks; }
    }

    /** Network ids when no network is named ({@code default}), and per name ({@code by-name.<name>}). */
    public static class Networks {
        private List<String> defaults = new ArrayList<>();
        private Map<String, List<String>> byName = new LinkedHashMap<>();

        NetworkMapping toMapping() {
            return new NetworkMapping(defaults, byName);
        }

        public List<String> getDefaults() { return defaults; }
        public void setDefaults(List<String> defaults) { this.defaults = defaults; }
        public Map<String, List<String>> getByName() { return byName; }
        public void setByName(Map<String, List<String>> byName) { this.byName = byName; }
    }

    public Duration getJobWaitBound() { return jobWaitBound; }
    public void setJobWaitBound(Duration jobWaitBound) { this.jobWaitBound = jobWaitBound; }
    public String getTarget() { return target; }
    public void setTarget(String target) { this.target = target; }
    public String getNbdHost() { return nbdHost; }
    public void setNbdHost(String nbdHost) { this.nbdHost = nbdHost; }
    public int getNbdPort() { return nbdPort; }
    public void setNbdPort(int nbdPort) { this.nbdPort = nbdPort; }
    public String getNbdBindAddress() { return nbdBindAddress; }
    public void setNbdBindAddress(String nbdBindAddress) { this.nbdBindAddress = nbdBindAddress; }
    public String getNbdStateDir() { return nbdStateDir; }
    public void setNbdStateDir(String nbdStateDir) { this.nbdStateDir = nbdStateDir; }
    public String getNbdDeviceDir() { return nbdDeviceDir; }
    public void setNbdDeviceDir(String nbdDeviceDir) { this.nbdDeviceDir = nbdDeviceDir; }
    public String getNbdServerBinary() { return nbdServerBinary; }
    public void setNbdServerBinary(String nbdServerBinary) { this.nbdServerBinary = nbdServerBinary; }
    public List<Target> getTargets() { return targets; }
    public void setTargets(List<Target> targets) { this.targets = targets; }
}
