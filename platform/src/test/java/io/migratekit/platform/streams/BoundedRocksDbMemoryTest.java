package io.migratekit.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * The RocksDB config setter of every Streams application: each store's options point at its
 * application's one cache and one write buffer manager (and keep Kafka Streams' own table settings),
 * the stores of one application share them in real RocksDB databases, two applications do not, and a
 * closed pool hands the next store new ones without disturbing the stores still open.
 */
class BoundedRocksDbMemoryTest {

    private static final long MIB = 1024 * 1024;

    static {
        // Kafka Streams has loaded it by the time a store is configured; a cache made first needs it too.
        RocksDB.loadLibrary();
    }

    private final BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
    private final List<AutoCloseable> resources = new ArrayList<>();
    @TempDir
    Path stateDir;

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void everyStoreOfAnApplicationUsesItsOneCacheAndWriteBufferManager() {
        // given
        BoundedRocksDbMemory.Pool pool = pool(64 * MIB, 0.5);
        Options first = kafkaStreamsOptions();
        Options second = kafkaStreamsOptions();

        // when
        setter.setConfig("vm-context-store", first, Map.of(BoundedRocksDbMemory.POOL_CONFIG, pool));
        setter.setConfig("decided-requests-store", second, Map.of(BoundedRocksDbMemory.POOL_CONFIG, pool));

        // then
        assertThat(List.of(pool.totalBytes(), pool.writeBufferBytes())).containsExactly(64 * MIB, 32 * MIB);
        for (Options options : List.of(first, second)) {
            BlockBasedTableConfigWithAccessibleCache table = (BlockBasedTableConfigWithAccessibleCache) options
                    .tableFormatConfig();
            assertThat(List.of(table.blockCache(), options.writeBufferManager()))
                    .containsExactly(pool.cache(), pool.writeBufferManager());
            assertThat(List.of(table.cacheIndexAndFilterBlocks(), table.cacheIndexAndFilterBlocksWithHighPriority(),
                    table.pinTopLevelIndexAndFilter())).containsExactly(true, true, true);
            // Kafka Streams' own table settings stay
            assertThat(table.blockSize()).isEqualTo(4096);
            assertThat(table.filterPolicy()).isInstanceOf(BloomFilter.class);
        }
    }

    @Test
    void twoApplicationsDoNotShareTheirMemory() {
        // given
        BoundedRocksDbMemory.Pool decisions = pool(64 * MIB, 0.5);
        BoundedRocksDbMemory.Pool progress = pool(64 * MIB, 0.5);
        Options decisionStore = kafkaStreamsOptions();
        Options progressStore = kafkaStreamsOptions();

        // when
        setter.setConfig("vm-context-store", decisionStore, Map.of(BoundedRocksDbMemory.POOL_CONFIG, decisions));
        setter.setConfig("followed-jobs-store", progressStore, Map.of(BoundedRocksDbMemory.POOL_CONFIG, progress));

        // then
        assertThat(cacheOf(decisionStore)).isSameAs(decisions.cache()).isNotSameAs(progress.cache());
        assertThat(cacheOf(progressStore)).isSameAs(progress.cache());
        assertThat(decisionStore.writeBufferManager()).isSameAs(decisions.writeBufferManager())
                .isNotSameAs(progress.writeBufferManager());
        assertThat(progressStore.writeBufferManager()).isSameAs(progress.writeBufferManager());
    }

    @Test
    void theDatabasesOfOneApplicationShareOneCacheOfTheConfiguredSizeAndChargeTheirMemtablesToIt()
            throws Exception {
        // given: two stores of one application, one store of another
        BoundedRocksDbMemory.Pool application = pool(64 * MIB, 0.5);
        BoundedRocksDbMemory.Pool other = pool(16 * MIB, 0.5);
        RocksDB first = open("first", application);
        RocksDB second = open("second", application);
        RocksDB elsewhere = open("elsewhere", other);
        long otherUsage = elsewhere.getLongProperty("rocksdb.block-cache-usage");

        // when: one store's memtable takes 2 MiB
        byte[] value = new byte[1024];
        for (int i = 0; i < 2048; i++) {
            second.put(("vm-" + i).getBytes(StandardCharsets.UTF_8), value);
        }

        // then: both stores of the application see the one cache, with the memtable charged to it
        assertThat(List.of(first.getLongProperty("rocksdb.block-cache-capacity"),
                second.getLongProperty("rocksdb.block-cache-capacity"),
                elsewhere.getLongProperty("rocksdb.block-cache-capacity")))
                .containsExactly(64 * MIB, 64 * MIB, 16 * MIB);
        long usage = second.getLongProperty("rocksdb.block-cache-usage");
        assertThat(usage).isGreaterThanOrEqualTo(2 * MIB).isEqualTo(first.getLongProperty("rocksdb.block-cache-usage"))
                .isEqualTo(application.cache().getUsage());
        assertThat(elsewhere.getLongProperty("rocksdb.block-cache-usage")).isEqualTo(otherUsage);
    }

    @Test
    void aClosedPoolGivesTheNextStoreNewOnesAndTheOpenStoresKeepWorking() throws Exception {
        // given
        BoundedRocksDbMemory.Pool pool = pool(64 * MIB, 0.5);
        RocksDB open = open("open", pool);
        Cache before = pool.cache();
        WriteBufferManager writeBuffersBefore = pool.writeBufferManager();

        // when
        pool.close();
        RocksDB next = open("next", pool);

        // then
        assertThat(pool.cache()).isNotNull().isNotSameAs(before);
        assertThat(pool.writeBufferManager()).isNotNull().isNotSameAs(writeBuffersBefore);
        open.put(bytes("vm-1"), bytes("context"));
        next.put(bytes("vm-2"), bytes("context"));
        assertThat(List.of(new String(open.get(bytes("vm-1")), StandardCharsets.UTF_8),
                new String(next.get(bytes("vm-2")), StandardCharsets.UTF_8))).containsExactly("context", "context");
    }

    @Test
    void aStoreWithoutItsApplicationsPoolIsRefused() {
        Options options = kafkaStreamsOptions();

        assertThatThrownBy(() -> setter.setConfig("vm-context-store", options, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the Streams configuration has no RocksDB memory pool under migratekit.rocksdb-memory");
    }

    @Test
    void aPoolOfNoMemoryOrWithoutRoomForBlocksOrMemtablesIsRefused() {
        assertThatThrownBy(() -> new BoundedRocksDbMemory.Pool(0, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migratekit.streams.rocksdb-memory must be positive, not 0 bytes");
        assertThatThrownBy(() -> new BoundedRocksDbMemory.Pool(64 * MIB, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migratekit.streams.rocksdb-write-buffer-ratio must be above 0 and below 1, not 1.0");
        assertThatThrownBy(() -> new BoundedRocksDbMemory.Pool(64 * MIB, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("migratekit.streams.rocksdb-write-buffer-ratio must be above 0 and below 1, not 0.0");
    }

    private BoundedRocksDbMemory.Pool pool(long totalBytes, double writeBufferRatio) {
        BoundedRocksDbMemory.Pool pool = new BoundedRocksDbMemory.Pool(totalBytes, writeBufferRatio);
        resources.add(pool);
        return pool;
    }

    /** Options as Kafka Streams' RocksDBStore hands them to the setter: its own table config, cache and filter. */
    private Options kafkaStreamsOptions() {
        BlockBasedTableConfigWithAccessibleCache table = new BlockBasedTableConfigWithAccessibleCache();
        LRUCache ownCache = new LRUCache(50 * MIB);
        BloomFilter filter = new BloomFilter();
        Options options = new Options().setCreateIfMissing(true);
        resources.add(ownCache);
        resources.add(filter);
        resources.add(options);
        table.setBlockCache(ownCache);
        table.setBlockSize(4096);
        table.setFilterPolicy(filter);
        options.setTableFormatConfig(table);
        options.setWriteBufferSize(16 * MIB);
        options.setMaxWriteBufferNumber(3);
        return options;
    }

    private RocksDB open(String name, BoundedRocksDbMemory.Pool pool) throws Exception {
        Options options = kafkaStreamsOptions();
        setter.setConfig(name, options, Map.of(BoundedRocksDbMemory.POOL_CONFIG, pool));
        RocksDB db = RocksDB.open(options, stateDir.resolve(name).toString());
        // closed before the options and the pool (resources close in reverse order)
        resources.add(db);
        return db;
    }

    private static Cache cacheOf(Options options) {
        return ((BlockBasedTableConfigWithAccessibleCache) options.tableFormatConfig()).blockCache();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
