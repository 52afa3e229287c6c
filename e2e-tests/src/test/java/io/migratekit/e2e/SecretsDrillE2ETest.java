package io.migratekit.e2e;

import static io.migratekit.e2e.Pipeline.requestFor;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.migratekit.vmasim.SimVm;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Drill 11 of docs/reliability.md, the secrets part: after a full run — a replication to completion,
 * a live failover (power-off, power-state polls and the final sync all carry the vCenter login), a
 * test failover and its cleanup, and the error paths (VMA 500, a VM that vanished, unknown VM, bad
 * JSON, a wrong token) — none of the stack's secrets (operator API token, VMA callback token,
 * vCenter password, PostgreSQL password, management token, CloudStack secret key, each a random
 * 256-bit value) appears in any record of any topic (raw key, value
 * and header bytes, internal topics included), any row of any table of either database, the logs
 * (our services at DEBUG while the flow runs) or any API answer. The scan proves it looks by finding
 * the VM's name in each place. Owns no stack: it uses the shared {@link Pipeline}.
 */
class SecretsDrillE2ETest {

    /** The standalone PostgreSQL's superuser; its password is one of the secrets scanned for. */
    private static final String DB_USER = "postgres";

    static Pipeline pipeline;
    static FailoverSupport failovers;

    @BeforeAll
    static void stack() {
        pipeline = Pipeline.get();
        failovers = new FailoverSupport(pipeline);
    }

    @Test
    void noSecretAppearsInEventsTablesLogsOrAnswersAfterAFullRun() throws Exception {
        Path secrets = pipeline.stack.apiTokenFile().getParent();
        Map<String, String> secretValues = new LinkedHashMap<>();
        secretValues.put("API token", pipeline.stack.apiToken());
        secretValues.put("VMA token", Files.readString(secrets.resolve("vma-token")).strip());
        secretValues.put("vCenter password", Files.readString(secrets.resolve("vcenter-password")).strip());
        secretValues.put("PostgreSQL password", Files.readString(secrets.resolve("postgres-password")).strip());
        secretValues.put("management token", pipeline.stack.managementToken());
        secretValues.put("CloudStack secret key", Files.readString(secrets.resolve("cloudstack-secret-key")).strip());
        assertThat(secretValues.values()).allSatisfy(secret -> assertThat(secret).hasSizeGreaterThanOrEqualTo(40));

        // given: our services log at DEBUG while the flow runs
        Logger ours = (Logger) LoggerFactory.getLogger("io.migratekit");
        Level before = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        List<String> answers = new ArrayList<>();
        SimVm vm;
        try {
            // when: a full run, happy and unhappy paths
            vm = failovers.replicatedVm("secrets", 1);
            String live = failovers.acceptedFailover(vm, "live", FailoverSupport.options());
            assertThat(failovers.awaitEnded(live).get("status").asString()).isEqualTo("completed");
            SimVm tested = failovers.replicatedVm("secrets-test", 1);
            String test = failovers.acceptedFailover(tested, "test", FailoverSupport.options());
            assertThat(failovers.awaitEnded(test).get("status").asString()).isEqualTo("completed");
            HttpResponse<String> cleanup = pipeline.post("/failovers/" + test + "/cleanup", "");
            answers.add(cleanup.body());
            answers.addAll(errorAnswers());
        } finally {
            ours.setLevel(before);
        }

        // then: no secret anywhere, and each place was really read (the VM's name is found in it)
        Map<String, String> places = new LinkedHashMap<>();
        places.put("topics", topicBytes());
        places.put("database", databaseRows("migratekit") + databaseRows("registry"));
        places.put("logs", logs(secrets.getParent()));
        places.put("API answers", String.join("\n", answers));
        places.forEach((place, text) -> {
            System.out.printf("secrets drill: scanned %,d characters of %s%n", text.length(), place);
            secretValues.forEach((name, secret) -> assertThat(text.contains(secret))
                    .as("the %s appears in the %s", name, place).isFalse());
        });
        assertThat(places.get("topics")).contains(vm.name());
        assertThat(places.get("database")).contains(vm.name());
        assertThat(places.get("logs")).contains(vm.name());
        assertThat(places.get("API answers")).contains("not valid JSON");
    }

    /** The answers of the error paths (each status checked, so the path was really taken). */
    private static List<String> errorAnswers() {
        List<String> bodies = new ArrayList<>();
        SimVm failing = pipeline.newVm("secrets-vma-500", 1);
        pipeline.stack.simulator().faults().forVm(failing.id()).discoveryError(true);
        bodies.add(expect(pipeline.post("/replications", requestFor(failing)), 502));
        SimVm vanished = pipeline.newVm("secrets-vanished", 1);
        pipeline.stack.simulator().faults().forVm(vanished.id()).vanishAfterDiscovery(true);
        bodies.add(expect(pipeline.post("/replications", requestFor(vanished)), 502));
        SimVm unknown = pipeline.newVm("secrets-unknown", 1);
        bodies.add(expect(pipeline.post("/replications", requestFor(unknown).put("ossea_config_id", "one")), 400));
        bodies.add(expect(pipeline.postAsync("/replications", "{not json", pipeline.stack.apiToken()).join(), 400));
        bodies.add(expect(pipeline.postAsync("/replications", requestFor(unknown), "wrong-token").join(), 401));
        bodies.add(expect(pipeline.post("/failovers", Pipeline.JSON.createObjectNode()
                .put("vm_name", "no-such-vm").put("failover_type", "live")), 404));
        return bodies;
    }

    private static String expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body();
    }

    /** Every record of every topic, internal ones included: key, value and headers as raw bytes. */
    private static String topicBytes() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.stack.bootstrapServers()));
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("reading every topic to its end").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    append(all, record.key());
                    append(all, record.value());
                    for (Header header : record.headers()) {
                        all.append(header.key());
                        append(all, header.value());
                    }
                }
            }
        }
        return all.toString();
    }

    private static void append(StringBuilder all, byte[] bytes) {
        if (bytes != null) {
            // Latin-1 maps every byte to one character, so an ASCII secret inside binary Avro is found as is.
            all.append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\n');
        }
    }

    /** Every row of every table of the database, as PostgreSQL's text form of the row. */
    private static String databaseRows(String database) throws SQLException, IOException {
        String url = pipeline.stack.jdbcUrl().substring(0, pipeline.stack.jdbcUrl().lastIndexOf('/') + 1) + database;
        StringBuilder all = new StringBuilder();
        try (Connection connection = DriverManager.getConnection(url, DB_USER,
                Files.readString(pipeline.stack.apiTokenFile().resolveSibling("postgres-password")).strip());
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet names = statement.executeQuery("select table_schema, table_name from information_schema.tables"
                    + " where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')")) {
                while (names.next()) {
                    tables.add('"' + names.getString(1) + "\".\"" + names.getString(2) + '"');
                }
            }
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select t::text from " + table + " t")) {
                    while (rows.next()) {
                        all.append(table).append(' ').append(rows.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }

    /** This JVM's log file (every service of the stack logs into it) and the registry's own log. */
    private static String logs(Path dataDir) throws IOException {
        StringBuilder all = new StringBuilder(Files.readString(Path.of("target", "e2e.log"), StandardCharsets.ISO_8859_1));
        Path registryLog = dataDir.resolve("logs").resolve("registry.log");
        if (Files.exists(registryLog)) {
            all.append(Files.readString(registryLog, StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }
}
