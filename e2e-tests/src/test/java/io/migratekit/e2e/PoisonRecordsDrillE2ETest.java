package io.migratekit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.migratekit.schemas.DeadLetters;
import io.migratekit.schemas.RegistrySettings;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import io.migratekit.vmasim.SimVm;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drill 8 of docs/reliability.md: poison records on every consumed topic. The consumed topics are
 * not listed here: they are every topic of the {@link Topics} registry that a consumer group of the
 * running stack is assigned, so a new topic with a consumer is drilled without touching this class,
 * and a new topic without one fails the test until it is named in {@link #NOT_CONSUMED}.
 *
 * <p>On every partition of every consumed topic poison records are written: bytes that are not
 * Avro and the Confluent wire format with a schema id the registry does not know; and, in a second
 * test, a valid record whose content is impossible (filed under another key than its
 * {@code vmware_vm_id}, or the key field its schema names: the scheduler's schedule and group ids).
 * Pass: each is dead-lettered by each group that consumes it, with origin and reason in the
 * {@code mk.dlt.*} headers; every group commits past the poison; a replication and a test failover
 * started afterwards complete. Owns no stack: it uses the shared {@link Pipeline}.
 */
class PoisonRecordsDrillE2ETest {

    /** Topics of the registry that no service consumes (read by external subscribers only). */
    private static final Set<String> NOT_CONSUMED = Set.of(
            Topics.FAILOVER_STEP_CHANGED.name(), Topics.FINAL_SYNC_REQUESTED.name(),
            Topics.SCHEDULE_EXECUTION_STARTED.name(), Topics.SCHEDULE_EXECUTION_COMPLETED.name());
    /**
     * Topics read only by job-intake's answer listeners, which have no consumer group (they read from
     * the end, skip and log what they cannot read): poisoned too, and they must still answer.
     */
    private static final Set<String> READ_WITHOUT_GROUP = Set.of(Topics.FAILOVER_REJECTED.name());
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** A schema id far above what the registry of a test stack hands out. */
    private static final int UNKNOWN_SCHEMA_ID = 987_654_321;

    static Pipeline pipeline;
    static Admin admin;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers()));
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @Test
    void undeserializableRecordsOnEveryConsumedTopicAreDeadLetteredAndTheConsumersCarryOn() throws Exception {
        drill(EnumSet.of(Kind.NOT_AVRO, Kind.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void recordsWithImpossibleContentOnEveryConsumedTopicAreDeadLetteredAndTheConsumersCarryOn() throws Exception {
        drill(EnumSet.of(Kind.IMPOSSIBLE_CONTENT));
    }

    private void drill(Set<Kind> kinds) throws Exception {
        // given: which group consumes which registry topic, as the running stack says
        Map<String, Set<String>> groupsByTopic = consumedTopics();
        Set<String> registryTopics = Topics.all().stream().map(Topic::name).collect(Collectors.toSet());
        assertThat(new TreeSet<>(groupsByTopic.keySet())).as("topics with a consumer group")
                .isEqualTo(registryTopics.stream().filter(t -> !NOT_CONSUMED.contains(t) && !READ_WITHOUT_GROUP.contains(t))
                        .collect(Collectors.toCollection(TreeSet::new)));
        READ_WITHOUT_GROUP.forEach(topic -> groupsByTopic.put(topic, Set.of()));
        Map<TopicPartition, Long> deadLetterStart = endOffsets(Topics.DEAD_LETTERS);

        // when: three poison records on every partition of every consumed topic
        List<Poison> poisons = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (Topic<?> topic : Topics.all()) {
                if (groupsByTopic.containsKey(topic.name())) {
                    poisons.addAll(poison(producer, topic, kinds));
                }
            }
        }
        System.out.printf("poison drill: %d poison records %s on %d topics%n", poisons.size(), kinds,
                groupsByTopic.size());

        // then: every group commits past the poison records of its topics
        awaitCommittedPast(poisons, groupsByTopic);

        // and: each poison record is dead-lettered once per consuming group, with its origin and reason
        Map<String, List<ConsumerRecord<byte[], byte[]>>> letters = deadLettersByOrigin(deadLetterStart);
        SoftAssertions softly = new SoftAssertions();
        for (Poison poison : poisons) {
            List<ConsumerRecord<byte[], byte[]>> found = letters.getOrDefault(poison.origin(), List.of());
            Set<String> groups = groupsByTopic.get(poison.topic());
            System.out.printf("poison drill: %s %s consumed by %s dead-lettered by %s: %s%n", poison.origin(),
                    poison.kind(), groups, found.stream().map(l -> header(l, DeadLetters.CONSUMER)).toList(),
                    found.stream().map(l -> header(l, DeadLetters.REASON)).distinct().toList());
            softly.assertThat(found).as("dead letters of %s (%s), consumed by %s", poison.origin(), poison.kind(),
                    groups).hasSizeGreaterThanOrEqualTo(groups.size());
            for (ConsumerRecord<byte[], byte[]> letter : found) {
                softly.assertThat(letter.value()).as("original bytes of %s", poison.origin()).isEqualTo(poison.value());
                softly.assertThat(header(letter, DeadLetters.CONSUMER)).isNotBlank();
                softly.assertThat(header(letter, DeadLetters.EXCEPTION)).isNotBlank();
                softly.assertThat(header(letter, DeadLetters.REASON)).as("reason for %s (%s)", poison.origin(),
                        poison.kind()).isNotBlank().containsIgnoringCase(mentions(poison));
            }
        }
        softly.assertAll();

        // and: the pipeline still works end to end behind the poison
        FailoverSupport failovers = new FailoverSupport(pipeline);
        SimVm vm = failovers.replicatedVm("after-poison", 1);
        String failoverId = failovers.acceptedFailover(vm, "test", FailoverSupport.options());
        assertThat(failovers.awaitEnded(failoverId).get("status").asString()).isEqualTo("completed");
        SimVm busy = pipeline.newVm("after-poison-busy", 1);
        pipeline.stack.simulator().faults().forVm(busy.id()).stallCopyAt(5);
        assertThat(pipeline.post("/replications", Pipeline.requestFor(busy)).statusCode()).isEqualTo(201);
        failovers.awaitContextStatus(busy, "replicating");
        var rejected = failovers.requestFailover(busy, "test", FailoverSupport.options());
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(409);
    }

    /**
     * The three kinds of poison and what the dead-letter reason must mention (an undeserializable
     * record's reason is each consumer's own wording: only that there is one is checked).
     */
    enum Kind {
        NOT_AVRO(""),
        UNKNOWN_SCHEMA_ID(""),
        /** Its reason names the key field: {@code vmware_vm_id}, or the one the topic's schema names. */
        IMPOSSIBLE_CONTENT("vmware_vm_id");

        final String reasonMentions;

        Kind(String reasonMentions) {
            this.reasonMentions = reasonMentions;
        }
    }

    /** What a poison's dead-letter reason must mention: an impossible record's the key field of its topic. */
    private static String mentions(Poison poison) {
        return poison.kind() != Kind.IMPOSSIBLE_CONTENT ? poison.kind().reasonMentions
                : Topics.all().stream().filter(t -> t.name().equals(poison.topic())).findFirst().orElseThrow().keyField();
    }

    record Poison(String topic, int partition, long offset, Kind kind, byte[] value) {
        String origin() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    private static List<Poison> poison(KafkaProducer<String, byte[]> producer, Topic<?> topic, Set<Kind> kinds)
            throws Exception {
        RegistrySettings registry = RegistrySettings.ofBaseUrl(pipeline.stack.registryUrl());
        List<Poison> written = new ArrayList<>();
        int partitions = admin.describeTopics(List.of(topic.name())).allTopicNames().get().get(topic.name())
                .partitions().size();
        for (int partition = 0; partition < partitions; partition++) {
            String key = UUID.randomUUID().toString();
            byte[] notAvro = ("{\"this is\": \"not avro\", \"partition\": " + partition + "}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] unknownId = ByteBuffer.allocate(13).put((byte) 0).putInt(UNKNOWN_SCHEMA_ID).putLong(42L).array();
            byte[] impossible = serialize(topic, registry, impossibleRecord(topic, "not-" + key));
            Map<Kind, byte[]> values = Map.of(Kind.NOT_AVRO, notAvro, Kind.UNKNOWN_SCHEMA_ID, unknownId,
                    Kind.IMPOSSIBLE_CONTENT, impossible);
            for (Kind kind : kinds) {
                written.add(send(producer, topic, partition, key, kind, values.get(kind)));
            }
        }
        return written;
    }

    private static Poison send(KafkaProducer<String, byte[]> producer, Topic<?> topic, int partition, String key,
            Kind kind, byte[] value) throws ExecutionException, InterruptedException {
        RecordMetadata sent = producer.send(new ProducerRecord<>(topic.name(), partition, key, value)).get();
        return new Poison(topic.name(), partition, sent.offset(), kind, value);
    }

    @SuppressWarnings("unchecked")
    private static <V extends SpecificRecord> byte[] serialize(Topic<V> topic, RegistrySettings registry,
            SpecificRecord record) {
        return topic.valueSerde(registry).serializer().serialize(topic.name(), (V) record);
    }

    /**
     * A record of the topic's type that the schema accepts but that cannot be true: every field
     * filled from its schema, and its key field ({@code vmware_vm_id}, or the one the topic names) a
     * value other than the record's key.
     */
    static SpecificRecord impossibleRecord(Topic<?> topic, String otherVm) {
        Schema schema = SpecificData.get().getSchema(topic.valueType());
        SpecificRecord record = (SpecificRecord) sample(schema);
        Schema.Field vmField = schema.getField(topic.keyField());
        assertThat(vmField).as("%s has a %s field", topic.name(), topic.keyField()).isNotNull();
        record.put(vmField.pos(), otherVm);
        return record;
    }

    /** A value of any schema: the smallest one of its type (first enum symbol, empty collections, null in unions). */
    private static Object sample(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> {
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), sample(field.schema()));
                }
                yield record;
            }
            case ENUM -> SpecificData.get().createEnum(schema.getEnumSymbols().get(0), schema);
            case ARRAY -> List.of();
            case MAP -> Map.of();
            case UNION -> schema.getTypes().get(0).getType() == Schema.Type.NULL ? null
                    : sample(schema.getTypes().get(0));
            case STRING -> "impossible";
            case LONG -> schema.getLogicalType() != null ? Instant.now().truncatedTo(ChronoUnit.MILLIS) : 1L;
            case INT -> 1;
            case DOUBLE -> 1.0;
            case FLOAT -> 1.0f;
            case BOOLEAN -> false;
            case BYTES -> ByteBuffer.allocate(0);
            default -> throw new AssertionError("no sample for schema type " + schema.getType());
        };
    }

    /** Registry topic → consumer groups assigned to it, once the groups are stable and agree twice in a row. */
    private static Map<String, Set<String>> consumedTopics() throws Exception {
        Set<String> registryTopics = Topics.all().stream().map(Topic::name).collect(Collectors.toSet());
        Map<String, Set<String>> previous = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> groups = admin.listGroups().all().get().stream().map(GroupListing::groupId).toList();
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all().get();
            Map<String, Set<String>> current = new TreeMap<>();
            boolean stable = true;
            for (ConsumerGroupDescription group : described.values()) {
                stable &= group.groupState() == org.apache.kafka.common.GroupState.STABLE || group.members().isEmpty();
                group.members().forEach(member -> member.assignment().topicPartitions().stream()
                        .map(TopicPartition::topic).filter(registryTopics::contains)
                        .forEach(t -> current.computeIfAbsent(t, x -> new TreeSet<>()).add(group.groupId())));
            }
            if (stable && current.equals(previous)) {
                return current;
            }
            previous = current;
            Thread.sleep(1000);
        }
        throw new AssertionError("the consumer groups did not settle within " + WAIT + ": " + previous);
    }

    private static void awaitCommittedPast(List<Poison> poisons, Map<String, Set<String>> groupsByTopic)
            throws Exception {
        Map<TopicPartition, Long> lastPoison = new HashMap<>();
        poisons.forEach(p -> lastPoison.merge(new TopicPartition(p.topic(), p.partition()), p.offset(), Math::max));
        Set<String> groups = groupsByTopic.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> behind;
        do {
            behind = new ArrayList<>();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                for (Map.Entry<TopicPartition, Long> poisoned : lastPoison.entrySet()) {
                    if (!groupsByTopic.get(poisoned.getKey().topic()).contains(group)) {
                        continue;
                    }
                    OffsetAndMetadata offset = committed.get(poisoned.getKey());
                    if (offset == null || offset.offset() <= poisoned.getValue()) {
                        behind.add(group + " on " + poisoned.getKey() + " at "
                                + (offset == null ? "nothing" : offset.offset()) + " (poison up to " + poisoned.getValue()
                                + ")");
                    }
                }
            }
            if (behind.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("consumers did not get past the poison records within " + WAIT + ": " + behind);
    }

    /** Every dead letter written since the given offsets, by the origin its headers name. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> deadLettersByOrigin(
            Map<TopicPartition, Long> from) {
        Map<TopicPartition, Long> end = endOffsets(Topics.DEAD_LETTERS);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byOrigin = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertThat(System.nanoTime()).as("reading the dead letters").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(200))) {
                    String origin = header(letter, DeadLetters.ORIGINAL_TOPIC) + "-"
                            + header(letter, DeadLetters.ORIGINAL_PARTITION) + "@"
                            + header(letter, DeadLetters.ORIGINAL_OFFSET);
                    byOrigin.computeIfAbsent(origin, o -> new ArrayList<>()).add(letter);
                }
            }
        }
        return byOrigin;
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
