package io.migratekit.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * How the pipeline's topics are laid out on a cluster (partitions, replication, retention) and
 * the one place that creates them from {@link Topics}. Production values come from configuration.
 *
 * @param partitions        partitions of every event topic (the unit of parallelism per VM id)
 * @param replicationFactor copies of every partition (3 in production)
 * @param minInsyncReplicas min.insync.replicas (2 in production, with acks=all)
 * @param retention         retention of event topics; the compacted context changelog keeps forever
 */
public record TopicSettings(int partitions, short replicationFactor, int minInsyncReplicas, Duration retention) {

    /** One broker on one machine: the standalone stack and the tests. */
    public static TopicSettings singleBroker(int partitions) {
        return new TopicSettings(partitions, (short) 1, 1, Duration.ofDays(7));
    }

    public List<NewTopic> newTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?> topic : Topics.all()) {
            topics.add(newTopic(topic.name(), topic.compacted()));
        }
        topics.add(newTopic(Topics.DEAD_LETTERS, false));
        return topics;
    }

    private NewTopic newTopic(String name, boolean compacted) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        if (compacted) {
            configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        } else {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    /** Creates every missing topic; existing topics are left as they are. */
    public void ensureTopics(Admin admin, Duration timeout) {
        try {
            var result = admin.createTopics(newTopics());
            for (var entry : result.values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not confirm topic creation within " + timeout, e);
        }
    }
}
