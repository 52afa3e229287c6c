package io.migratekit.failover.target;

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
 * already has one (the standalone launcher gives job-service and failover-service the same one). A
 * simulated platform of its own holds only what this process created: the volumes job-service made
 * are not in it, so a failover on it fails at its target VM step, saying so.
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
        log.warn("the target platform is SIMULATED and this process's own: it knows only the VMs and volumes "
                + "created in this process");
        return new SimulatedCloudStack(properties.getNbdHost(), properties.getNbdPort());
    }
}
