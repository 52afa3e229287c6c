package io.migratekit.platform.streams;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * The {@code rocksdb.config.setter} of every Streams service: bounds the off-heap memory of all RocksDB
 * stores of one Streams application by one number, {@code migratekit.streams.rocksdb-memory}
 * (environment {@code MIGRATEKIT_STREAMS_ROCKSDB_MEMORY}, default 64 MiB; see {@link StreamsProperties}).
 * Without it Kafka Streams gives every store instance (one per task per store) its own 50 MB block cache
 * and up to three 16 MB memtables, unbounded in total.
 *
 * <p>As the Kafka Streams memory-management guide ("RocksDB") describes: every store of the application
 * uses the application's one {@link LRUCache} as its block cache, caches its index and filter blocks in
 * it with high priority (a tenth of the cache is reserved for them, so data blocks do not evict them) and
 * pins the top-level ones, and counts its memtables against the same cache through the application's one
 * {@link WriteBufferManager}, which may take {@code migratekit.streams.rocksdb-write-buffer-ratio} of it.
 * The cache does not enforce a strict capacity limit: with one, RocksDB fails a read once the cache is
 * full ("Insert failed due to LRU cache being full"), which a store would report as a processing
 * failure, and the Kafka guide warns against combining it with memtables charged to the cache. The bound
 * is therefore RocksDB's soft one: unused blocks are evicted to stay under it and memtables flushed to
 * stay within their share; what is in use at the moment (blocks being read, pinned index and filter
 * blocks, memtables waiting for their flush) may exceed it briefly. Kafka Streams' memtable size (16 MB),
 * memtable count (3) and block size (4 KB) stay: the write buffer manager bounds the memtables' sum.
 *
 * <p>Kafka Streams creates one setter per store from its class, so the setter finds its application's
 * {@link Pool} in the Streams configuration under {@link #POOL_CONFIG} (put there by
 * {@link StreamsApp#standardConfig}): one pool per application, never shared between applications in one
 * JVM. The pool is closed with its application ({@link StreamsApp#stop}), not by a store's
 * {@link #close}: the cache and write buffer manager outlive every single store. It decides nothing about
 * which stores exist or how Streams caches records on heap ({@code statestore.cache.max.bytes}).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Config key of the application's {@link Pool}. */
    public static final String POOL_CONFIG = "migratekit.rocksdb-memory";
    /** The share of the cache kept for index and filter blocks (the Kafka guide's INDEX_FILTER_BLOCK_RATIO). */
    static final double INDEX_AND_FILTER_RATIO = 0.1;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object pool = configs.get(POOL_CONFIG);
        if (!(pool instanceof Pool applicationPool)) {
            throw new IllegalStateException("the Streams configuration has no RocksDB memory pool under "
                    + POOL_CONFIG);
        }
        applicationPool.configure(options);
    }

    @Override
    public void close(String storeName, Options options) {
        // The store's options own nothing of this setter but the application's shared cache and write buffer
        // manager, which other stores still use: the pool closes them with the application.
    }

    /**
     * One Streams application's RocksDB memory: one cache of the total size and one write buffer manager
     * charged to it, made when the application's first store opens and closed with the application (a
     * later start makes new ones). Thread-safe: stores of several stream threads open concurrently.
     */
    public static final class Pool implements AutoCloseable {

        private final long totalBytes;
        private final long writeBufferBytes;
        private LRUCache cache;
        private WriteBufferManager writeBufferManager;

        /**
         * @param totalBytes       block cache, index and filter blocks and memtables of all the stores together
         * @param writeBufferRatio the share of {@code totalBytes} the memtables may take, above 0 and below 1
         */
        public Pool(long totalBytes, double writeBufferRatio) {
            if (totalBytes <= 0) {
                throw new IllegalArgumentException("migratekit.streams.rocksdb-memory must be positive, not "
                        + totalBytes + " bytes");
            }
            if (!(writeBufferRatio > 0 && writeBufferRatio < 1)) {
                throw new IllegalArgumentException("migratekit.streams.rocksdb-write-buffer-ratio must be above 0 "
                        + "and below 1, not " + writeBufferRatio);
            }
            this.totalBytes = totalBytes;
            this.writeBufferBytes = (long) (totalBytes * writeBufferRatio);
        }

        public long totalBytes() {
            return totalBytes;
        }

        public long writeBufferBytes() {
            return writeBufferBytes;
        }

        /** Points one store's options at the shared cache and write buffer manager. */
        synchronized void configure(Options options) {
            if (cache == null) {
                cache = new LRUCache(totalBytes, -1, false, INDEX_AND_FILTER_RATIO);
                writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
            }
            // Kafka Streams' own table config (its Bloom filter and block size), not a new one.
            BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
            table.setBlockCache(cache);
            table.setCacheIndexAndFilterBlocks(true);
            table.setCacheIndexAndFilterBlocksWithHighPriority(true);
            table.setPinTopLevelIndexAndFilter(true);
            options.setWriteBufferManager(writeBufferManager);
            // RocksDB copies the table config into its native table factory here, so this comes last.
            options.setTableFormatConfig(table);
        }

        /** The cache the stores share now; null before the first store opened or after {@link #close}. */
        synchronized Cache cache() {
            return cache;
        }

        /** The write buffer manager the stores share now; null like {@link #cache()}. */
        synchronized WriteBufferManager writeBufferManager() {
            return writeBufferManager;
        }

        /**
         * Releases the Java handles of the cache and write buffer manager. Stores still open keep the native
         * ones alive (RocksDB holds them by shared pointer) until they close; a store opened afterwards gets
         * new ones.
         */
        @Override
        public synchronized void close() {
            if (cache == null) {
                return;
            }
            writeBufferManager.close();
            cache.close();
            writeBufferManager = null;
            cache = null;
        }
    }
}
