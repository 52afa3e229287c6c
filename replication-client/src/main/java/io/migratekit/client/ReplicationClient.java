package io.migratekit.client;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.data.SerdeMetadata;
import io.apicurio.registry.serde.data.SerdeRecord;
import io.migratekit.events.ReplicationRequest;
import io.migratekit.events.ReplicationRequested;
import io.migratekit.schemas.EventIds;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of the replication request/reply: publishes a {@code ReplicationRequested}
 * (key = the VMware VM id, correlation id = a request id) through an idempotent {@code acks=all}
 * producer whose every wait is bounded, and hands back the request's outcome — the first
 * {@code JobStarted}, {@code ContextCreated} without a job, {@code ReplicationRejected},
 * {@code DiscoveryFailed} or {@code JobFailed} carrying that correlation id — through one outcome
 * listener per client instance.
 *
 * <p>Owns one producer with its value serializer (whose schema it registers at start), one consumer
 * thread and the map of waiting requests; thread-safe, meant to be shared by every caller of a
 * process. It does not decide anything about the request (the pipeline does), does not validate it
 * beyond the key it needs, and does not dead-letter records it cannot read (it skips them).
 */
public final class ReplicationClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicationClient.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final String REQUEST_TOPIC = Topics.REPLICATION_REQUESTED.name();

    private final ReplicationClientSettings settings;
    private final Clock clock;
    private final AvroKafkaSerializer<SpecificRecord> serializer;
    private final Producer<String, byte[]> producer;
    private final PendingOutcomes pending = new PendingOutcomes();
    private final OutcomeListener listener;
    private final Thread listenerThread;
    private volatile boolean closed;

    /** A client that is not started: nothing connects before {@link #start}. */
    ReplicationClient(ReplicationClientSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.serializer = new AvroKafkaSerializer<>();
        serializer.configure(settings.registry().serdeConfig(), false);
        this.producer = new KafkaProducer<>(producerConfig(settings));
        try {
            this.listener = new OutcomeListener(consumerConfig(settings), settings.registry(), pending,
                    settings.startTimeout());
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            serializer.close();
            throw e;
        }
        this.listenerThread = new Thread(listener, settings.clientId() + "-outcome-listener");
        this.listenerThread.setDaemon(true);
    }

    /**
     * Connects to the pipeline and returns once the outcome listener reads every outcome topic
     * from its current end and the request's schema is registered.
     *
     * @throws PipelineUnavailableException if the listener is not positioned, or the schema registry
     *                                      does not take the request's schema, within the start timeout
     */
    public static ReplicationClient start(ReplicationClientSettings settings) {
        return start(settings, Clock.systemUTC());
    }

    /** As {@link #start(ReplicationClientSettings)}, with the clock that stamps {@code occurred_at}. */
    public static ReplicationClient start(ReplicationClientSettings settings, Clock clock) {
        ReplicationClient client = new ReplicationClient(Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(clock, "clock"));
        client.listenerThread.start();
        try {
            client.listener.ready().get(settings.startTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new PipelineUnavailableException("interrupted while joining the outcome topics", e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new PipelineUnavailableException("The pipeline's broker is unavailable: the outcome listener "
                    + "could not join the outcome topics at " + settings.bootstrapServers() + " within "
                    + settings.startTimeout() + " (" + cause + ")", cause);
        }
        client.registerRequestSchema();
        return client;
    }

    /**
     * Registers (or finds) the schema of {@code ReplicationRequested}, with the schemas it refers to,
     * through the serializer every publish uses, and leaves it in that serializer's cache. Done once
     * here, on one thread: on a fresh registry, a first burst of requests would otherwise make every
     * request thread register the same schemas at once. Bounded by the start timeout; closes the
     * client and fails when the registry does not answer.
     */
    private void registerRequestSchema() {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        Thread registration = new Thread(() -> {
            try {
                serializer.getSchemaResolver().resolveSchema(
                        new SerdeRecord<>(new SerdeMetadata(REQUEST_TOPIC, false), new ReplicationRequested()));
                registered.complete(null);
            } catch (RuntimeException e) {
                registered.completeExceptionally(e);
            }
        }, settings.clientId() + "-schema-registration");
        registration.setDaemon(true);
        registration.start();
        try {
            registered.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new PipelineUnavailableException(PipelineUnavailableException.Failed.SCHEMA_REGISTRY,
                    "interrupted while registering the schema of " + REQUEST_TOPIC, e, null);
        } catch (ExecutionException | TimeoutException e) {
            close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new PipelineUnavailableException(PipelineUnavailableException.Failed.SCHEMA_REGISTRY,
                    "The schema registry is unavailable at " + settings.registry().urlForMessages()
                            + ": the schema of " + REQUEST_TOPIC + " could not be registered within "
                            + settings.startTimeout() + " (" + RegistrySettings.describeFailure(cause) + ")",
                    cause, null);
        }
    }

    /** A new request id. */
    public static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Publishes the request under a new request id and waits at most {@code wait} for its outcome.
     *
     * @throws PipelineUnavailableException when the schema registry does not take the request, or the
     *                                      broker does not acknowledge it within the publish timeout
     */
    public Submission submit(ReplicationRequest request, Duration wait) {
        return submit(newRequestId(), request, wait);
    }

    /**
     * Publishes the request under the given request id (e.g. one a failover chose for its final
     * sync) and waits at most {@code wait} for its outcome. The wait starts before the publish, so
     * no outcome can slip past it.
     */
    public Submission submit(String requestId, ReplicationRequest request, Duration wait) {
        ensureOpen();
        Objects.requireNonNull(wait, "wait");
        String vmId = vmId(request);
        // Registered before the publish, VM included: the outcome listener decodes only the records of
        // VMs a request waits for, and the outcome of this one cannot be written before it is published.
        var outcome = pending.register(requireRequestId(requestId), vmId, wait);
        try {
            send(requestId, vmId, request);
        } catch (RuntimeException e) {
            pending.forget(requestId);
            throw e;
        }
        return new Submission(requestId, outcome);
    }

    /** Publishes the request under a new request id without waiting for its outcome; returns the id. */
    public String publish(ReplicationRequest request) {
        String requestId = newRequestId();
        publish(requestId, request);
        return requestId;
    }

    /** Publishes the request under the given request id without waiting for its outcome. */
    public void publish(String requestId, ReplicationRequest request) {
        ensureOpen();
        send(requireRequestId(requestId), vmId(request), request);
    }

    private void send(String requestId, String vmId, ReplicationRequest request) {
        ReplicationRequested event = ReplicationRequested.newBuilder()
                .setEventId(EventIds.newEventId())
                .setOccurredAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setCorrelationId(requestId)
                .setVmwareVmId(vmId)
                .setRequest(request)
                .build();
        byte[] value;
        try {
            // Serialized here rather than in the producer, so a registry failure is told apart from a broker one.
            value = serializer.serialize(REQUEST_TOPIC, event);
        } catch (RuntimeException e) {
            throw new PipelineUnavailableException(PipelineUnavailableException.Failed.SCHEMA_REGISTRY,
                    "The replication request " + requestId + " could not be serialized through the schema "
                            + "registry at " + settings.registry().urlForMessages() + " ("
                            + RegistrySettings.describeFailure(e)
                            + "); nothing was sent to the broker", e, null);
        }
        long waitMs = settings.publishTimeout().toMillis() + 1000;
        try {
            producer.send(new ProducerRecord<>(REQUEST_TOPIC, vmId, value)).get(waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineUnavailableException("interrupted while publishing the replication request", e,
                    requestId);
        } catch (ExecutionException e) {
            throw unacknowledged(requestId, e.getCause());
        } catch (TimeoutException e) {
            throw unacknowledged(requestId, e);
        } catch (RuntimeException e) {
            throw unacknowledged(requestId, e);
        }
    }

    private PipelineUnavailableException unacknowledged(String requestId, Throwable cause) {
        return new PipelineUnavailableException("The pipeline's broker is unavailable: the replication request "
                + requestId + " was not acknowledged within " + settings.publishTimeout() + " ("
                + cause.getClass().getSimpleName() + ")", cause, requestId);
    }


    /** Requests waiting for their outcome right now. */
    public int pendingCount() {
        return pending.size();
    }

    /** Outcome records the listener could not read and skipped, since start. */
    public long skippedRecords() {
        return listener.skippedRecords();
    }

    /** Outcomes handed to a waiting request, since start. */
    public long deliveredOutcomes() {
        return listener.deliveredOutcomes();
    }

    /** Whether the outcome listener is running (false after close or if it died). */
    public boolean isListening() {
        return listener.isListening() && listenerThread.isAlive();
    }

    /**
     * Stops the listener, ends every wait with "no outcome yet" and closes the producer after
     * flushing what it has. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.stop();
        try {
            listenerThread.join(CLOSE_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.releaseAll();
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("Producer close: {}", e.toString());
        }
        try {
            serializer.close();
        } catch (RuntimeException e) {
            log.debug("Serializer close: {}", e.toString());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the replication client is closed");
        }
    }

    private static String requireRequestId(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("request id is required");
        }
        return requestId;
    }

    private static String vmId(ReplicationRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.getSourceVm() == null || request.getSourceVm().getId() == null
                || request.getSourceVm().getId().isBlank()) {
            throw new IllegalArgumentException("source_vm.id is required: it is the record key");
        }
        return request.getSourceVm().getId();
    }

    static Map<String, Object> producerConfig(ReplicationClientSettings settings) {
        int publishMs = (int) settings.publishTimeout().toMillis();
        Map<String, Object> config = new HashMap<>(settings.kafkaProperties());
        config.putAll(settings.registry().serdeConfig());
        // Values arrive serialized (see send): the registry is reached through the client's own serializer.
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, settings.clientId());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Every wait of a send is bounded by the publish timeout: metadata, buffer, delivery.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishMs);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, publishMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, publishMs);
        return config;
    }

    static Map<String, Object> consumerConfig(ReplicationClientSettings settings) {
        Map<String, Object> config = new HashMap<>(settings.kafkaProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-outcomes");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }
}
