package io.migratekit.intake;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * job-intake: the REST API of the pipeline on port 8082. Authenticates, validates, publishes
 * replication requests and answers with their outcome, serves the read model and the VMA copy
 * engine's change-id callbacks. Makes no decision and keeps no state of its own.
 */
@SpringBootApplication
public class JobIntakeApplication {

    public static void main(String[] args) {
        SpringApplication.run(JobIntakeApplication.class, args);
    }
}
