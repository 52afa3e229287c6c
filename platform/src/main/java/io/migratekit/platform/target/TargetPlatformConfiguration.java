package io.migratekit.platform.target;

import io.migratekit.cloudstack.SimulatedCloudStack;
import io.migratekit.cloudstack.TargetPlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the {@link TargetPlatform} from {@code migratekit.cloudstack.target}, unless the context
 * already has one (the standalone launcher gives job-service and failover-service the same one). An
 * unknown value stops the start-up with a message naming the setting. A simulated platform of a
 * process's own holds only what that process created: failover-service on one of its own does not
 * see the volumes job-service made, and a failover on it fails at its target VM step, saying so.
 * Imported by the services that drive the target platform, not applied to every service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CloudStackProperties.class)
public class TargetPlatformConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TargetPlatformConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(TargetPlatform.class)
    TargetPlatform targetPlatform(CloudStackProperties properties) {
        if (!"simulated".equalsIgnoreCase(properties.getTarget())) {
            throw new IllegalStateException("migratekit.cloudstack.target=" + properties.getTarget()
                    + " is not supported; the only target platform so far is 'simulated'");
        }
        log.warn("the target platform is SIMULATED: volumes and VMs exist in memory only (NBD exports named for {}:{})",
                properties.getNbdHost(), properties.getNbdPort());
        return new SimulatedCloudStack(properties.getNbdHost(), properties.getNbdPort());
    }
}
