package io.migratekit.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void producesAndConsumesARecord() throws Exception {
        // given
        String bootstrapServers = SharedTestInfrastructure.get().bootstrapServers();
        KafkaTestClient client = new KafkaTestClient(bootstrapServers);
        client.createTopic("broker-round-trip");

        // when
        client.send("broker-round-trip", "vm-1", "discovered");

        // then
        assertThat(client.read("broker-round-trip", 1))
                .extracting(ConsumerRecord::key, ConsumerRecord::value)
                .containsExactly(tuple("vm-1", "discovered"));
        assertThat(client.partitions("broker-round-trip")).isEqualTo(3);
    }

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        // given a broker that stored a record, then stopped
        try (KafkaBroker broker = KafkaBroker.start(dataDir, "127.0.0.1", 0, 0)) {
            KafkaTestClient client = new KafkaTestClient(broker.bootstrapServers());
            client.createTopic("durable");
            client.send("durable", "job-7", "created");
        }

        // when a broker starts again on the same directory
        try (KafkaBroker restarted = KafkaBroker.start(dataDir, "127.0.0.1", 0, 0)) {
            KafkaTestClient client = new KafkaTestClient(restarted.bootstrapServers());

            // then the topic and the record are still there
            assertThat(client.topics()).contains("durable");
            assertThat(client.read("durable", 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("created");
        }
    }

    @Test
    void namesThePortWhenItIsTaken(@TempDir Path dataDir) throws Exception {
        try (ServerSocket occupant = new ServerSocket()) {
            // given
            occupant.bind(new InetSocketAddress("127.0.0.1", 0));
            int taken = occupant.getLocalPort();

            // when / then
            assertThatThrownBy(() -> KafkaBroker.start(dataDir, "127.0.0.1", taken, 0))
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("127.0.0.1:" + taken)
                    .hasMessageContaining("already in use");
        }
    }
}
