package io.migratekit.progress.streams;

import io.migratekit.progress.ProgressMetrics;
import io.migratekit.progress.follow.JobFollowRules;
import io.migratekit.progress.poll.ProgressPoller;
import io.migratekit.schemas.Topic;
import io.migratekit.schemas.Topics;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The progress-service topology: four sources ({@code JOB_STARTED}, {@code CHANGE_ID_RECORDED},
 * {@code JOB_COMPLETED}, {@code JOB_FAILED}) into one {@code followed-jobs} processor that owns the
 * persistent, changelogged {@code followed-jobs-store} (key = job id), and three sinks
 * ({@code JOB_PROGRESS}, {@code JOB_COMPLETED}, {@code JOB_FAILED}). Every topic is keyed by VM id, so
 * all events of one job meet in one task. Owns the wiring only.
 */
public final class FollowTopology {

    public static final String STORE = "followed-jobs-store";
    public static final String PROCESSOR = "followed-jobs";
    static final String JOB_PROGRESS_SINK = "job-progress-sink";
    static final String JOB_COMPLETED_SINK = "job-completed-sink";
    static final String JOB_FAILED_SINK = "job-failed-sink";

    private FollowTopology() {
    }

    /**
     * @param serdes         the value serdes of the topics
     * @param rules          the follow rules
     * @param poller         the shared, capped VMA poller
     * @param metrics        where the processors report
     * @param tick           how often each task starts due polls and applies outcomes
     * @param endedRetention how long an ended job is remembered (so duplicates of its events change nothing)
     * @param purgeInterval  how often ended jobs past the retention are forgotten
     */
    public static Topology build(EventSerdes serdes, JobFollowRules rules, ProgressPoller poller,
            ProgressMetrics metrics, Duration tick, Duration endedRetention, Duration purgeInterval) {
        FollowProcessor.Options options = new FollowProcessor.Options(tick, endedRetention, purgeInterval);
        Topology topology = new Topology();
        String[] sources = {
                source(topology, serdes, Topics.JOB_STARTED),
                source(topology, serdes, Topics.CHANGE_ID_RECORDED),
                source(topology, serdes, Topics.JOB_COMPLETED),
                source(topology, serdes, Topics.JOB_FAILED)};
        topology.addProcessor(PROCESSOR, () -> new FollowProcessor(rules, poller, metrics, options), sources);
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), new FollowedJobSerde()), PROCESSOR);
        sink(topology, serdes, JOB_PROGRESS_SINK, Topics.JOB_PROGRESS);
        sink(topology, serdes, JOB_COMPLETED_SINK, Topics.JOB_COMPLETED);
        sink(topology, serdes, JOB_FAILED_SINK, Topics.JOB_FAILED);
        return topology;
    }

    private static <V extends SpecificRecord> String source(Topology topology, EventSerdes serdes, Topic<V> topic) {
        String name = topic.name() + "-source";
        topology.addSource(name, topic.keySerde().deserializer(), serdes.valueSerde(topic).deserializer(), topic.name());
        return name;
    }

    private static <V extends SpecificRecord> void sink(Topology topology, EventSerdes serdes, String name,
            Topic<V> topic) {
        topology.addSink(name, topic.name(), topic.keySerde().serializer(), serdes.valueSerde(topic).serializer(),
                PROCESSOR);
    }
}
