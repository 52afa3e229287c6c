package io.migratekit.client;

import io.migratekit.events.ContextCreated;
import io.migratekit.events.DiscoveryFailed;
import io.migratekit.events.JobFailed;
import io.migratekit.events.JobStarted;
import io.migratekit.events.ReplicationRejected;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * How the pipeline answered one replication request: the event that ended it, for the request id
 * that is its correlation id. Exactly one of the five shapes; {@link #kind()} allows a switch.
 * Owns the rule of which events are outcomes, nothing about what a caller makes of them.
 */
public sealed interface ReplicationOutcome {

    /** The five ways a request can end. */
    enum Kind {
        /** A job was created and the VMA started copying. */
        JOB_STARTED,
        /** The VM was added to management only ({@code start_replication=false}). */
        CONTEXT_CREATED,
        /** The decision refused the request (the 409 rules, a failover in progress). */
        REJECTED,
        /** Fresh discovery could not produce a usable VM. */
        DISCOVERY_FAILED,
        /** A job was created but failed before the copy started. */
        JOB_FAILED
    }

    Kind kind();

    /** The request id (the event's correlation id). */
    String requestId();

    /** The event itself. */
    SpecificRecord event();

    /**
     * The outcome an event stands for, or empty when the event is not an outcome — a
     * {@link ContextCreated} with {@code start_replication=true} is followed by a job, and any
     * other event type is not an answer to a request.
     */
    static Optional<ReplicationOutcome> of(Object event) {
        if (event instanceof JobStarted started) {
            return Optional.of(new Started(started));
        }
        if (event instanceof ContextCreated created) {
            return created.getStartReplication() ? Optional.empty() : Optional.of(new ContextOnly(created));
        }
        if (event instanceof ReplicationRejected rejected) {
            return Optional.of(new Rejected(rejected));
        }
        if (event instanceof DiscoveryFailed failed) {
            return Optional.of(new DiscoveryFailure(failed));
        }
        if (event instanceof JobFailed failed) {
            return Optional.of(new JobFailure(failed));
        }
        return Optional.empty();
    }

    /** The job started: {@code JobStarted}. */
    record Started(JobStarted event) implements ReplicationOutcome {
        @Override
        public Kind kind() {
            return Kind.JOB_STARTED;
        }

        @Override
        public String requestId() {
            return event.getCorrelationId();
        }
    }

    /** The VM was added to management without a job: {@code ContextCreated} with start_replication=false. */
    record ContextOnly(ContextCreated event) implements ReplicationOutcome {
        @Override
        public Kind kind() {
            return Kind.CONTEXT_CREATED;
        }

        @Override
        public String requestId() {
            return event.getCorrelationId();
        }
    }

    /** The decision refused the request: {@code ReplicationRejected}. */
    record Rejected(ReplicationRejected event) implements ReplicationOutcome {
        @Override
        public Kind kind() {
            return Kind.REJECTED;
        }

        @Override
        public String requestId() {
            return event.getCorrelationId();
        }
    }

    /** Discovery could not produce a usable VM: {@code DiscoveryFailed}. */
    record DiscoveryFailure(DiscoveryFailed event) implements ReplicationOutcome {
        @Override
        public Kind kind() {
            return Kind.DISCOVERY_FAILED;
        }

        @Override
        public String requestId() {
            return event.getCorrelationId();
        }
    }

    /** The job failed before the copy started: {@code JobFailed}. */
    record JobFailure(JobFailed event) implements ReplicationOutcome {
        @Override
        public Kind kind() {
            return Kind.JOB_FAILED;
        }

        @Override
        public String requestId() {
            return event.getCorrelationId();
        }
    }
}
