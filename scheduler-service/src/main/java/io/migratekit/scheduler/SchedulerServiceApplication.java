package io.migratekit.scheduler;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * scheduler-service: fires the cron schedules of machine groups exactly once per due time, runs each
 * execution under its caps ({@code plan}, {@code engine}) and keeps its tables ({@code store}),
 * materialized from job-intake's definition events. It writes no job: every replication goes through
 * the replication client as a {@code ReplicationRequested}, decided by job-service like any other.
 */
@SpringBootApplication
public class SchedulerServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SchedulerServiceApplication.class, args);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
