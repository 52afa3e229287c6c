package io.migratekit.platform.streams;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of a service's Kafka Streams application, under the same {@code migratekit.streams.*} keys
 * in every Streams service (environment: {@code MIGRATEKIT_STREAMS_APPLICATION_ID},
 * {@code MIGRATEKIT_STREAMS_STATE_DIR}, {@code MIGRATEKIT_STREAMS_THREADS},
 * {@code MIGRATEKIT_STREAMS_CLOSE_TIMEOUT}, {@code MIGRATEKIT_STREAMS_ROCKSDB_MEMORY},
 * {@code MIGRATEKIT_STREAMS_ROCKSDB_WRITE_BUFFER_RATIO}). Unset, the application id is
 * {@code migratekit-<service name>} and the state directory a folder of that name under the temporary
 * directory. The replication of internal topics is the platform's {@code migratekit.topics.*}. A service
 * binds its own topology's settings under the same prefix in its own class.
 */
@ConfigurationProperties("migratekit.streams")
public class StreamsProperties {

    /** The Streams application id: consumer group, transactional id prefix and internal topic prefix. */
    private String applicationId;
    /**
     * Where the state stores live on local disk (one directory per application id inside); the
     * changelogs restore them when lost, a persistent directory only makes restarts faster.
     */
    private String stateDir;
    /** Stream threads of this instance. */
    private int threads = 1;
    /** How long shutdown waits for Kafka Streams to close cleanly. */
    private Duration closeTimeout = Duration.ofSeconds(30);
    /**
     * Off-heap memory of all RocksDB stores of this application together (block cache, index and filter
     * blocks, memtables; see {@link BoundedRocksDbMemory}), per application and instance. 64 MiB holds the
     * index and filter blocks of 100,000 VM contexts and most of their data blocks; a lookup of one that
     * does not fit reads its block from the file, which the operating system caches.
     */
    private DataSize rocksdbMemory = DataSize.ofMegabytes(64);
    /** The share of {@code rocksdb-memory} the memtables may take before RocksDB flushes them. */
    private double rocksdbWriteBufferRatio = 0.5;

    /** The configured application id, or {@code migratekit-<serviceName>}. */
    public String applicationId(String serviceName) {
        return applicationId != null ? applicationId : "migratekit-" + serviceName;
    }

    /** The configured state directory, or {@code <tmp>/migratekit-<serviceName>-streams}. */
    public String stateDir(String serviceName) {
        return stateDir != null ? stateDir
                : System.getProperty("java.io.tmpdir") + "/migratekit-" + serviceName + "-streams";
    }

    public String getApplicationId() {
        return applicationId;
    }

    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public int getThreads() {
        return threads;
    }

    public void setThreads(int threads) {
        this.threads = threads;
    }

    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    public DataSize getRocksdbMemory() {
        return rocksdbMemory;
    }

    public void setRocksdbMemory(DataSize rocksdbMemory) {
        this.rocksdbMemory = rocksdbMemory;
    }

    public double getRocksdbWriteBufferRatio() {
        return rocksdbWriteBufferRatio;
    }

    public void setRocksdbWriteBufferRatio(double rocksdbWriteBufferRatio) {
        this.rocksdbWriteBufferRatio = rocksdbWriteBufferRatio;
    }
}
