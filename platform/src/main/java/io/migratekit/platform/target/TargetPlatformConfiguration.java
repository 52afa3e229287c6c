package io.migratekit.platform.target;

import io.migratekit.cloudstack.ApplianceNbdServer;
import io.migratekit.cloudstack.AsyncJobJournal;
import io.migratekit.cloudstack.CloudStackPreflight;
import io.migratekit.cloudstack.CloudStackTargetConfig;
import io.migratekit.cloudstack.CloudStackTargetConfigs;
import io.migratekit.cloudstack.CloudStackTargetPlatform;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdServerSettings;
import io.migratekit.cloudstack.nbd.NbdkitApplianceServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link TargetPlatforms} of the services that drive the target, unless the context already has
 * them: one {@link CloudStackTargetPlatform} (its own {@link CloudStackClient}) per entry of
 * {@code migratekit.cloudstack.targets}, chosen per request by {@code ossea_config_id}. It first checks
 * every configured target with {@link CloudStackPreflight} and stops the start-up listing every
 * problem of every target. The async-job journal is the service's own ({@link AsyncJobJournal} bean,
 * its own table; the journal keys carry the target id), and the appliance's NBD server, shared by the
 * targets, is the context's {@link ApplianceNbdServer} bean or an {@link NbdExportServer} started from
 * the {@code nbd-*} settings (adopting the nbdkit already serving that state directory, and left
 * running at shutdown so the VMA's writes go on across a restart). {@code migratekit.cloudstack.target}
 * must be {@code cloudstack} (the only kind); anything else stops the start-up naming the setting.
 * Imported by the services that drive the target platform, not applied to every service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CloudStackProperties.class)
public class TargetPlatformConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TargetPlatformConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(TargetPlatforms.class)
    TargetPlatforms targetPlatforms(CloudStackProperties properties, ObjectProvider<AsyncJobJournal> journal,
            ObjectProvider<ApplianceNbdServer> nbdServer) {
        String kind = properties.getTarget() == null ? "" : properties.getTarget().trim().toLowerCase();
        if (!"cloudstack".equals(kind)) {
            throw new IllegalStateException("migratekit.cloudstack.target=" + properties.getTarget()
                    + " is not supported; use 'cloudstack' (the CloudStack API, or the CloudStack API simulator)");
        }
        return cloudStack(properties, System::getenv, Clock.systemUTC(),
                journal.getIfAvailable(() -> {
                    throw new IllegalStateException("migratekit.cloudstack.target=cloudstack needs the service's"
                            + " AsyncJobJournal (its cloudstack async-jobs table); this service has none");
                }), nbdServer.getIfAvailable(
                        () -> new NbdkitApplianceServer(NbdExportServer.start(nbdSettings(properties)))));
    }

    /**
     * A platform per configured CloudStack target, after the preflight of every target passed.
     *
     * @throws IllegalStateException listing every problem found, or saying which setting is missing
     */
    static TargetPlatforms cloudStack(CloudStackProperties properties, Function<String, String> environment,
            Clock clock, AsyncJobJournal journal, ApplianceNbdServer nbdServer) {
        CloudStackTargetConfigs configs = configs(properties);
        List<String> problems = new ArrayList<>();
        List<CloudStackTargetConfig> checked = new ArrayList<>();
        for (CloudStackTargetConfig config : configs.all()) {
            CloudStackPreflight.Report report = CloudStackPreflight.check(config, environment,
                    CloudStackClient.Timing.defaults(), clock);
            report.problems().forEach(problem -> problems.add("CloudStack target " + config.id() + ": " + problem));
            // the appliance VM as the preflight found it (by MAC address when no id is configured)
            checked.add(config.withApplianceVmId(report.applianceVmId()));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the CloudStack preflight found " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems));
        }
        Map<Long, CloudStackTargetPlatform> platforms = new LinkedHashMap<>();
        for (CloudStackTargetConfig config : checked) {
            log.info("CloudStack target {} at {}, appliance VM {} (NBD exports at {}:{})", config.id(),
                    config.apiUrl(), config.applianceVmId(), properties.getNbdHost(), properties.getNbdPort());
            platforms.put(config.id(), new CloudStackTargetPlatform(config,
                    config.client(environment, timing(properties), clock), journal, nbdServer,
                    properties.getNbdHost(), properties.getNbdPort()));
        }
        return new TargetPlatforms(platforms);
    }

    /** The client's default timing, with the configured bound of a job wait. */
    static CloudStackClient.Timing timing(CloudStackProperties properties) {
        CloudStackClient.Timing defaults = CloudStackClient.Timing.defaults();
        return new CloudStackClient.Timing(defaults.callTimeout(), defaults.firstPoll(), defaults.maxPoll(),
                properties.getJobWaitBound(), defaults.expiresAhead());
    }

    /** The configured targets; none is refused, and so is an incomplete one or an id configured twice. */
    static CloudStackTargetConfigs configs(CloudStackProperties properties) {
        List<CloudStackTargetConfig> configs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (CloudStackProperties.Target target : properties.getTargets()) {
            try {
                configs.add(target.toConfig());
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("migratekit.cloudstack.targets is incomplete:\n  " + String.join("\n  ", problems));
        }
        if (configs.isEmpty()) {
            throw new IllegalStateException("migratekit.cloudstack.target=cloudstack needs at least one entry in"
                    + " migratekit.cloudstack.targets");
        }
        try {
            return new CloudStackTargetConfigs(configs);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("migratekit.cloudstack.targets: " + e.getMessage(), e);
        }
    }

    /** The appliance's NBD server from the {@code nbd-*} settings (not closed with the context: see the class comment). */
    static NbdServerSettings nbdSettings(CloudStackProperties properties) {
        return new NbdServerSettings(Path.of(properties.getNbdDeviceDir()), Path.of(properties.getNbdStateDir()),
                properties.getNbdBindAddress(), properties.getNbdPort(), properties.getNbdHost(),
                properties.getNbdServerBinary(), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }
}
