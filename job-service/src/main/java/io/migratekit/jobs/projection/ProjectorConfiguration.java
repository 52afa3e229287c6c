package io.migratekit.jobs.projection;

import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the read-model projector and its listener. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProjectorProperties.class)
public class ProjectorConfiguration {

    @Bean
    ReadModelProjector readModelProjector(DSLContext dsl) {
        return new ReadModelProjector(dsl);
    }

    @Bean
    ProjectorListener projectorListener(ReadModelProjector projector) {
        return new ProjectorListener(projector);
    }
}
