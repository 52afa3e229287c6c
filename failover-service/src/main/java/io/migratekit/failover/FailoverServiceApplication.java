package io.migratekit.failover;

import io.migratekit.cloudstack.AsyncJobJournal;
import io.migratekit.platform.target.JdbcAsyncJobJournal;
import io.migratekit.platform.target.TargetPlatformConfiguration;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * failover-service: the durable process of test and live failovers (package {@code engine}), the
 * rules of their steps ({@code process}), their record in PostgreSQL ({@code store}) and the VMA and
 * CloudStack calls they make ({@code steps}, {@code target}). The replication decisions are not
 * here: the decision in job-service admits a failover and runs its final sync like any request.
 */
@SpringBootApplication
@Import(TargetPlatformConfiguration.class)
public class FailoverServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(FailoverServiceApplication.class, args);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The CloudStack async jobs this service started and waits on, in its own table (one writer per table). */
    @Bean
    AsyncJobJournal cloudStackJobJournal(DataSource dataSource, Clock clock) {
        return new JdbcAsyncJobJournal(dataSource, "failover_cloudstack_async_jobs", clock);
    }
}
