package io.migratekit.failover;

import io.micrometer.core.instrument.MeterRegistry;
import io.migratekit.cloudstack.TargetPlatforms;
import io.migratekit.failover.engine.FailoverInbox;
import io.migratekit.failover.engine.FailoverListener;
import io.migratekit.failover.engine.FailoverPublisher;
import io.migratekit.failover.engine.FailoverRunner;
import io.migratekit.failover.process.FailoverEvents;
import io.migratekit.failover.steps.SourceVmPower;
import io.migratekit.failover.steps.TargetVmBuilder;
import io.migratekit.failover.store.FailoverStore;
import io.migratekit.platform.EventPublisher;
import io.migratekit.platform.PlatformProperties;
import io.migratekit.platform.VmaProperties;
import io.migratekit.vma.VcenterCredentials;
import io.migratekit.vma.VmaClient;
import java.time.Clock;
import org.jooq.DSLContext;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the failover process: its record, events, VMA and target-platform steps, the runner with its
 * workers, the inbox and listener, and the resumption of every unfinished failover once the service
 * is up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FailoverProperties.class)
public class FailoverConfiguration {

    @Bean
    FailoverStore failoverStore(DSLContext dsl, PlatformProperties platform, Clock clock) {
        return new FailoverStore(dsl, platform.getServiceName(), clock);
    }

    @Bean
    FailoverEvents failoverEvents(Clock clock) {
        return new FailoverEvents(clock);
    }

    @Bean
    FailoverPublisher failoverPublisher(EventPublisher publisher, FailoverProperties properties) {
        return new FailoverPublisher(publisher, properties.getPublishTimeout());
    }

    @Bean
    SourceVmPower sourceVmPower(VmaClient vma, VcenterCredentials credentials, VmaProperties vmaProperties,
            FailoverProperties properties) {
        return new SourceVmPower(vma, credentials, vmaProperties.getCallTimeout(),
                properties.getPowerOffConfirmTimeout(), properties.getPowerStatePollInterval());
    }

    @Bean
    TargetVmBuilder targetVmBuilder(TargetPlatforms targets) {
        return new TargetVmBuilder(targets);
    }

    @Bean
    FailoverMetrics failoverMetrics(MeterRegistry registry) {
        return new FailoverMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    FailoverRunner failoverRunner(FailoverStore store, FailoverEvents events, FailoverPublisher publisher,
            SourceVmPower power, TargetVmBuilder target, FailoverMetrics metrics, Clock clock,
            FailoverProperties properties) {
        return new FailoverRunner(store, events, publisher, power, target, metrics, clock, new FailoverRunner.Settings(
                properties.getWorkers(), properties.getFinalSyncDeadlineUnit(), properties.getSizingWait(),
                properties.getRetryBackoff()));
    }

    @Bean
    FailoverInbox failoverInbox(FailoverStore store, FailoverRunner runner, FailoverEvents events,
            FailoverPublisher publisher) {
        return new FailoverInbox(store, runner, events, publisher);
    }

    @Bean
    FailoverListener failoverListener(FailoverInbox inbox) {
        return new FailoverListener(inbox);
    }

    /** Once the service is up, every failover left unfinished by the last run goes on from its recorded step. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> resumeUnfinishedFailovers(FailoverRunner runner) {
        return event -> runner.resumeAll();
    }
}
