package io.migratekit.intake;

import io.migratekit.platform.DependencyUnavailableException;
import io.migratekit.schemas.EventSchemas;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The value schemas of the topics job-intake writes through the platform's publisher, registered
 * (or found) self-contained with their compatibility level ({@link EventSchemas}) once at start-up,
 * on one thread, before the service takes a request: on a fresh registry, a first burst of requests
 * would otherwise make many request threads register the same schemas at once. Owns the deadline of
 * that registration and the failure naming the registry. {@code ReplicationRequested}, the other
 * topic job-intake writes, is registered by the replication client through its own serializer when
 * it starts. Also tells a send that failed in the serializer (the schema registry) from one that
 * failed in the Kafka client. The publisher's serializer finds the schemas registered afterwards, it
 * is not warmed here.
 */
public final class ProducedSchemas {

    /** The topics job-intake writes through the platform's publisher. */
    static final List<Topic<?>> PUBLISHED = List.of(Topics.CHANGE_ID_RECORDED, Topics.FAILOVER_REQUESTED,
            Topics.FAILOVER_CLEANUP_REQUESTED, Topics.SCHEDULES, Topics.MACHINE_GROUPS, Topics.GROUP_MEMBERSHIPS,
            Topics.SCHEDULE_TRIGGER_REQUESTED);
    static final String REGISTRY_SETTING = "MIGRATEKIT_REGISTRY_URL";


    private final List<Topic<?>> topics;

    private ProducedSchemas(List<Topic<?>> topics) {
        this.topics = topics;
    }

    /**
     * Registers the value schema of every topic of {@code topics} within {@code timeout}.
     *
     * @throws DependencyUnavailableException naming the registry (without credentials) when it does not
     */
    static ProducedSchemas register(RegistrySettings registry, List<Topic<?>> topics, Duration timeout) {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        Thread registration = new Thread(() -> {
            try {
                EventSchemas.register(registry, topics);
                registered.complete(null);
            } catch (RuntimeException e) {
                registered.completeExceptionally(e);
            }
        }, "schema-registration");
        registration.setDaemon(true);
        registration.start();
        try {
            registered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(registry, topics, timeout, e);
        } catch (ExecutionException e) {
            throw unavailable(registry, topics, timeout, e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(registry, topics, timeout, e);
        }
        return new ProducedSchemas(topics);
    }

    /** The topics whose schemas were registered. */
    public List<Topic<?>> topics() {
        return topics;
    }

    /**
     * Whether a send that threw before its record was handed to the producer failed in the value
     * serializer (registering or finding the schema, or encoding the event) rather than in the Kafka
     * client (closed, interrupted). The serde's own failures are not Kafka exceptions, so the test is
     * where the failure was raised: in the Apicurio serde, or as a {@link SerializationException}.
     */
    public static boolean failedInSerializer(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SerializationException) {
                return true;
            }
            for (StackTraceElement frame : cause.getStackTrace()) {
                if (frame.getClassName().startsWith("io.apicurio.registry.")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static DependencyUnavailableException unavailable(RegistrySettings registry, List<Topic<?>> topics,
            Duration timeout, Throwable cause) {
        return new DependencyUnavailableException("The schema registry", registry.urlForMessages(), REGISTRY_SETTING,
                "The schema registry at " + registry.urlForMessages() + " did not register the schemas of the topics "
                        + "job-intake writes (" + String.join(", ", topics.stream().map(Topic::name).toList())
                        + ") within " + timeout.toSeconds() + " s (" + RegistrySettings.describeFailure(cause) + ")",
                cause);
    }
}
