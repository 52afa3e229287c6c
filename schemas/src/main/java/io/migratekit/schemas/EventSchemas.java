package io.migratekit.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.data.SerdeMetadata;
import io.apicurio.registry.serde.data.SerdeRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The registry's side of the event catalog: the value schema of every topic registered
 * self-contained (every record and enum it uses inlined, no reference to another subject), and its
 * subject's compatibility level set to {@value #COMPATIBILITY}, so that a consumer knowing nothing but
 * a schema id parses the writer schema with a plain Avro parser, and the registry itself refuses a
 * change an older or newer reader could not read. The shared types stay shared in the {@code .avsc}
 * files; only what is registered is inlined.
 *
 * <p>Registers through the serializer's own path (the same content the serializers send, so they find
 * these versions instead of adding new ones). On a registry holding the older form (with references),
 * this adds one new version per subject, compatible with the old. Owns no connection beyond one call;
 * does not decide which topics a service registers.
 */
public final class EventSchemas {

    /** Compatibility of every value subject: new schemas read old data and old schemas read new data. */
    public static final String COMPATIBILITY = "FULL";

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final int PARALLEL_CALLS = 4;
    /** HTTP/1.1: the JDK client's h2c upgrade attempt on a request with a body is not worth a stalled start. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CALL_TIMEOUT).build();

    private EventSchemas() {
    }

    /** The registry subject of a topic's value schema (topic-name strategy, as the serdes use it). */
    public static String subject(Topic<?> topic) {
        return topic.name() + "-value";
    }

    /**
     * Registers (or finds) the self-contained value schema of every topic of {@code topics} and sets
     * each subject's compatibility level.
     *
     * @throws IllegalStateException when the registry refuses a schema or the compatibility level
     */
    public static void register(RegistrySettings registry, List<Topic<?>> topics) {
        // The calls are independent per subject and mostly waiting: made side by side, a service starts sooner.
        ExecutorService calls = Executors.newFixedThreadPool(Math.max(1, Math.min(topics.size(), PARALLEL_CALLS)));
        try (AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(registry.serdeConfig(), false);
            List<Future<?>> registrations = new ArrayList<>();
            for (Topic<?> topic : topics) {
                registrations.add(calls.submit(() -> {
                    serializer.getSchemaResolver().resolveSchema(
                            new SerdeRecord<>(new SerdeMetadata(topic.name(), false), emptyEvent(topic)));
                    setCompatibility(registry, subject(topic), COMPATIBILITY);
                }));
            }
            for (Future<?> registration : registrations) {
                registration.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new IllegalStateException("cannot register the event schemas", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while registering the event schemas", e);
        } finally {
            calls.shutdownNow();
        }
    }

    /** Sets a subject's compatibility level through the Confluent-compatible API. */
    static void setCompatibility(RegistrySettings registry, String subject, String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.confluentCompatibleUrl() + "/config/"
                        + URLEncoder.encode(subject, StandardCharsets.UTF_8)))
                .timeout(CALL_TIMEOUT)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the schema registry at " + registry.urlForMessages()
                        + " refused compatibility " + level + " for " + subject + ": HTTP " + response.statusCode()
                        + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot set compatibility " + level + " for " + subject + " at "
                    + registry.urlForMessages() + " (" + RegistrySettings.describeFailure(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting compatibility for " + subject, e);
        }
    }

    /** An event of the topic's type with no field set: all the registration path reads of it is its schema. */
    private static SpecificRecord emptyEvent(Topic<?> topic) {
        Class<?> type = topic.valueType();
        return (SpecificRecord) SpecificData.newInstance(type, SpecificData.get().getSchema(type));
    }
}
