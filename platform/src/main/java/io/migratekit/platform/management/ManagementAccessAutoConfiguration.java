package io.migratekit.platform.management;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Guards the management endpoints of every servlet-based service with {@link ManagementAccess}
 * (the health an orchestrator probes open with its status only, everything else behind the
 * management token). Says at start-up whether a management token is configured.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "jakarta.servlet.http.HttpFilter")
@EnableConfigurationProperties(ManagementProperties.class)
public class ManagementAccessAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ManagementAccessAutoConfiguration.class);

    @Bean
    ManagementAccess managementAccess(ManagementProperties properties, Environment environment) {
        ManagementAccess access = new ManagementAccess(
                environment.getProperty("management.endpoints.web.base-path", "/actuator"), properties.tokenHashes());
        if (!access.hasTokens()) {
            log.info("No management token configured (MIGRATEKIT_MANAGEMENT_TOKEN_SHA256): only the health status "
                    + "is served, every other management endpoint answers 401");
        }
        return access;
    }

    @Bean
    ManagementAccessFilter managementAccessFilter(ManagementAccess managementAccess) {
        return new ManagementAccessFilter(managementAccess);
    }
}
