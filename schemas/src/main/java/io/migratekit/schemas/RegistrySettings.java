package io.migratekit.schemas;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the schema registry is and how our Avro serdes talk to it: Confluent's wire format
 * (magic byte 0, 4-byte schema id, Avro body), schemas registered on first use and self-contained
 * (every named type inlined, no references to other subjects: a reader needs nothing but the schema
 * id, see {@link EventSchemas}), specific (generated) classes on read, writers and readers remembered per schema
 * ({@link CachingAvroDatumProvider}). Owns no connection; the serdes open their own.
 *
 * @param url the registry's core API, e.g. {@code http://127.0.0.1:8080/apis/registry/v3}
 */
public record RegistrySettings(String url) {

    // User information in a URL (user:password@), kept out of every message.
    private static final Pattern USER_INFO = Pattern.compile("(?<=//)[^/@\\s]+@");

    public RegistrySettings {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("schema registry url is not set");
        }
    }

    /** Builds the settings from the registry's base address, e.g. {@code http://127.0.0.1:8080}. */
    public static RegistrySettings ofBaseUrl(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new RegistrySettings(base + "/apis/registry/v3");
    }

    /** The registry's base address (without the API path). */
    public String baseUrl() {
        int at = url.indexOf("/apis/");
        return at < 0 ? url : url.substring(0, at);
    }

    /** The Confluent-compatible API of the same registry. */
    public String confluentCompatibleUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** Serde settings shared by serializers, deserializers and Streams serdes. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", url);
        config.put("apicurio.registry.auto-register", "true");
        config.put("apicurio.registry.find-latest", "false");
        // Register the schema with its named types inlined instead of as references to their own subjects.
        config.put("apicurio.registry.dereference-schema", "true");
        config.put("apicurio.registry.headers.enabled", "false");
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        config.put("apicurio.registry.use-specific-avro-reader", "true");
        config.put("apicurio.registry.http.adapter", "JDK");
        config.put("apicurio.registry.avro-datum-provider", CachingAvroDatumProvider.class.getName());
        return config;
    }

    /** Producer properties for Avro values (keys are plain strings). */
    public Map<String, Object> producerSerdeConfig() {
        Map<String, Object> config = serdeConfig();
        config.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        config.put("value.serializer", AvroKafkaSerializer.class.getName());
        return config;
    }

    /** Consumer properties for Avro values (keys are plain strings). */
    public Map<String, Object> consumerSerdeConfig() {
        Map<String, Object> config = serdeConfig();
        config.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        config.put("value.deserializer", AvroKafkaDeserializer.class.getName());
        return new HashMap<>(config);
    }

    /** The registry's address for messages and logs: the URL without the user information it may carry. */
    public String urlForMessages() {
        return withoutUserInfo(url);
    }

    /**
     * A failure of a registry call for messages and logs: its root cause's type and message, without the
     * user information of any URL in it.
     */
    public static String describeFailure(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + withoutUserInfo(message));
    }

    private static String withoutUserInfo(String text) {
        return USER_INFO.matcher(text).replaceAll("");
    }
}
