package io.migratekit.platform.target;

import io.migratekit.cloudstack.ApplianceNbdServer;
import io.migratekit.cloudstack.AsyncJobJournal;
import io.migratekit.cloudstack.CloudStackPreflight;
import io.migratekit.cloudstack.CloudStackTargetConfig;
import io.migratekit.cloudstack.CloudStackTargetConfigs;
import io.migratekit.cloudstack.CloudStackTargetPlatform;
import io.migratekit.cloudstack.SimulatedCloudStack;
import io.migratekit.cloudstack.TargetPlatform;
import io.migratekit.cloudstack.client.CloudStackClient;
import io.migratekit.cloudstack.nbd.NbdExportServer;
import io.migratekit.cloudstack.nbd.NbdServerSettings;
import io.migratekit.cloudstack.nbd.NbdkitApplianceServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the {@link TargetPlatform} from {@code migratekit.cloudstack.target}, unless the context
 * already has one: {@code simulated} (in memory, this process's own) or {@code cloudstack} (the
 * CloudStack API through {@link CloudStackClient}). For {@code cloudstack} it checks every configured
 * target with {@link CloudStackPreflight} and stops the start-up listing every problem of every
 * target; the async-job journal is the service's own ({@link AsyncJobJournal} bean, its own table),
 * and the appliance's NBD server is the context's {@link ApplianceNbdServer} bean or an
 * {@link NbdExportServer} started from the {@code nbd-*} settings (adopting the nbdkit already
 * serving that state directory, and left running at shutdown so the VMA's writes go on across a
 * restart). An unknown value stops the start-up with a message naming the setting. Imported by the
 * services that drive the target platform, not applied to every service.
 *
 * <p>Not yet here: choosing the target per request by its {@code ossea_config_id}; until then exactly
 * one target is configured, and more are refused at start-up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CloudStackProperties.class)
public class TargetPlatformConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TargetPlatformConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(TargetPlatform.class)
    TargetPlatform targetPlatform(CloudStackProperties properties, ObjectProvider<AsyncJobJournal> journal,
            ObjectProvider<ApplianceNbdServer> nbdServer) {
        String kind = properties.getTarget() == null ? "" : properties.getTarget().trim().toLowerCase();
        return switch (kind) {
            case "simulated" -> {
                log.warn("the target platform is SIMULATED: volumes and VMs exist in memory only (NBD exports named for {}:{})",
                        properties.getNbdHost(), properties.getNbdPort());
                yield new SimulatedCloudStack(properties.getNbdHost(), properties.getNbdPort());
            }
            case "cloudstack" -> cloudStack(properties, System::getenv, Clock.systemUTC(),
                    journal.getIfAvailable(() -> {
                        throw new IllegalStateException("migratekit.cloudstack.target=cloudstack needs the service's"
                                + " AsyncJobJournal (its cloudstack async-jobs table); this service has none");
                    }), nbdServer.getIfAvailable(
                            () -> new NbdkitApplianceServer(NbdExportServer.start(nbdSettings(properties)))));
            default -> throw new IllegalStateException("migratekit.cloudstack.target=" + properties.getTarget()
                    + " is not supported; use 'simulated' or 'cloudstack'");
        };
    }

    /**
     * The platform on the configured CloudStack target, after the preflight of every target passed.
     *
     * @throws IllegalStateException listing every problem found, or saying which setting is missing
     */
    static CloudStackTargetPlatform cloudStack(CloudStackProperties properties, Function<String, String> environment,
            Clock clock, AsyncJobJournal journal, ApplianceNbdServer nbdServer) {
        CloudStackTargetConfigs configs = configs(properties);
        List<String> problems = new ArrayList<>();
        for (CloudStackTargetConfig config : configs.all()) {
            CloudStackPreflight.Report report = CloudStackPreflight.check(config, environment,
                    CloudStackClient.Timing.defaults(), clock);
            report.problems().forEach(problem -> problems.add("CloudStack target " + config.id() + ": " + problem));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the CloudStack preflight found " + problems.size() + " problem(s):\n  "
                    + String.join("\n  ", problems));
        }
        CloudStackTargetConfig config = configs.all().iterator().next();
        log.info("the target platform is CloudStack target {} at {} (NBD exports at {}:{})", config.id(),
                config.apiUrl(), properties.getNbdHost(), properties.getNbdPort());
        return new CloudStackTargetPlatform(config, config.client(environment, timing(properties), clock),
                journal, nbdServer, properties.getNbdHost(), properties.getNbdPort());
    }

    /** The client's default timing, with the configured bound of a job wait. */
    static CloudStackClient.Timing timing(CloudStackProperties properties) {
        CloudStackClient.Timing defaults = CloudStackClient.Timing.defaults();
        return new CloudStackClient.Timing(defaults.callTimeout(), defaults.firstPoll(), defaults.maxPoll(),
                properties.getJobWaitBound(), defaults.expiresAhead());
    }

    /** The configured targets; none, or more than one, is refused until requests choose by ossea_config_id. */
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
        if (configs.size() != 1) {
            throw new IllegalStateException("migratekit.cloudstack.target=cloudstack needs exactly one entry in"
                    + " migratekit.cloudstack.targets (found " + configs.size() + ")");
        }
        return new CloudStackTargetConfigs(configs);
    }

    /** The appliance's NBD server from the {@code nbd-*} settings (not closed with the context: see the class comment). */
    static NbdServerSettings nbdSettings(CloudStackProperties properties) {
        return new NbdServerSettings(Path.of(properties.getNbdDeviceDir()), Path.of(properties.getNbdStateDir()),
                properties.getNbdBindAddress(), properties.getNbdPort(), properties.getNbdHost(),
                properties.getNbdServerBinary(), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }
}
