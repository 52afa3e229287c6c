package io.migratekit.jobs.workflow;

import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.platform.EventPublisher;
import io.migratekit.platform.VmaProperties;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import java.time.Clock;
import java.util.Optional;
import org.jooq.DSLContext;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the migration workflow: the workflow itself, its runner, the JobCreated listener and the volume release. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkflowProperties.class)
public class WorkflowConfiguration {

    @Bean
    MigrationWorkflow migrationWorkflow(TargetPlatforms targetPlatforms, VmaClient vmaClient,
            VcenterCredentials vcenterCredentials, VmaProperties vma, WorkflowProperties properties, Clock clock) {
        return new MigrationWorkflow(targetPlatforms, vmaClient::replicate,
                (jobId, deadline) -> vmaClient.progress(jobId, deadline).thenApply(Optional::isPresent),
                vcenterCredentials, vma.getOmaUrl(), vma.getCallTimeout(), properties.getVmaNoJobGrace(), clock);
    }

    @Bean(destroyMethod = "close")
    WorkflowRunner workflowRunner(MigrationWorkflow workflow, EventPublisher publisher, DSLContext dsl,
            WorkflowProperties properties, Clock clock) {
        return new WorkflowRunner(workflow, publisher, new ProcessedEvents(dsl, properties.getGroupId()),
                properties.getConcurrency(), properties.getPublishTimeout(), clock);
    }

    @Bean
    JobCreatedListener jobCreatedListener(WorkflowRunner runner) {
        return new JobCreatedListener(runner);
    }

    @Bean
    VolumesSupersededListener volumesSupersededListener(TargetPlatforms targetPlatforms) {
        return new VolumesSupersededListener(new VolumeRelease(targetPlatforms));
    }
}
