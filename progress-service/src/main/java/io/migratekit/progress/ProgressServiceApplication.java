package io.migratekit.progress;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * progress-service: follows every running replication job on the VMA from its {@code JobStarted}
 * until it ends, and emits {@code JobProgress}, {@code JobCompleted} or {@code JobFailed}. Makes no
 * replication decisions.
 */
@SpringBootApplication
public class ProgressServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ProgressServiceApplication.class, args);
    }
}
