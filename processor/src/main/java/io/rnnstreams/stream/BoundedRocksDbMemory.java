package io.rnnstreams.stream;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of the JVM together, as Kafka Streams' memory-management
 * guide does: one LRU block cache of {@code rnn.state.rocksdb-memory} bytes shared by all stores, which also holds
 * their index and filter blocks, and a write-buffer manager that charges every store's memtables to that cache, up
 * to half of it. Without it, each store instance of each task takes up to 3 x 16 MiB of memtables and a 50 MiB
 * block cache of its own, so memory grows with the number of tasks and with the writes before the first flush.
 *
 * <p>Configured with {@code rocksdb.config.setter} (the application sets it unless the user set another one);
 * the size comes from the Streams configuration key {@link #MEMORY_CONFIG}. The cache is created by the first store
 * that opens and shared by every later one in the JVM; it is never closed (it lives as long as the JVM).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** The Streams configuration key of the size in bytes (the {@code rnn.state.rocksdb-memory} setting). */
    public static final String MEMORY_CONFIG = "rnn.state.rocksdb-memory";
    /** Share of the cache that memtables may take. */
    static final double WRITE_BUFFER_SHARE = 0.5;
    /** Share of the cache kept for index and filter blocks (high priority). */
    static final double HIGH_PRIORITY_SHARE = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;
    private static long bytes;

    /** The shared cache and write-buffer manager, created on first use with {@code size} bytes. */
    private static synchronized void init(long size) {
        if (cache == null) {
            cache = new LRUCache(size, -1, false, HIGH_PRIORITY_SHARE);
            writeBuffers = new WriteBufferManager((long) (size * WRITE_BUFFER_SHARE), cache);
            bytes = size;
        }
    }

    /** The size the shared cache was created with, or 0 before any store opened. */
    public static synchronized long bytes() {
        return bytes;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Object value = configs.get(MEMORY_CONFIG);
        if (value == null) {
            throw new IllegalStateException(MEMORY_CONFIG + " is not in the Streams configuration; "
                    + BoundedRocksDbMemory.class.getName() + " needs it");
        }
        init(Long.parseLong(value.toString().trim()));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBuffers);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store: they stay open
    }
}
