package io.migratekit.jobs;

import io.migratekit.cloudstack.AsyncJobJournal;
import io.migratekit.platform.target.JdbcAsyncJobJournal;
import io.migratekit.platform.target.TargetPlatformConfiguration;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * job-service: the Kafka Streams decision on every fresh discovery (package {@code decision}), the
 * migration workflow after each created job ({@code workflow}), the read-model projector
 * ({@code projection}) and the target platform it drives ({@code target}). Everything shared with the
 * other services (Kafka clients, registry, dead letters, VMA client, health) comes from the platform.
 */
@SpringBootApplication
@Import(TargetPlatformConfiguration.class)
public class JobServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(JobServiceApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The CloudStack async jobs this service started and waits on, in its own table (one writer per table). */
    @Bean
    AsyncJobJournal cloudStackJobJournal(DataSource dataSource, Clock clock) {
        return new JdbcAsyncJobJournal(dataSource, "cloudstack_async_jobs", clock);
    }
}
