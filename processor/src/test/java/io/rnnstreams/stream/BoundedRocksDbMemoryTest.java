package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.ConfigException;
import io.rnnstreams.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The RocksDB memory bound: one cache for every store of the JVM, sized by {@code rnn.state.rocksdb-memory}
 * (validated at start-up). SoakIT measures what it does to the resident set.
 */
class BoundedRocksDbMemoryTest {

    @Test
    void everyStoreGetsTheOneSharedCacheSizedByTheSetting() {
        RocksDB.loadLibrary();
        long size = AppConfig.of(Map.of()).get(Settings.STATE_ROCKSDB_MEMORY);
        assertEquals(64L << 20, size, "default 64 MiB");
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        try (Options a = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options b = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            setter.setConfig("rnn-key-state", a, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, Long.toString(size)));
            // a later store with another value still shares the first cache: one bound per JVM
            setter.setConfig("rnn-models", b, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "9999999"));
            assertEquals(size, BoundedRocksDbMemory.bytes());
            assertTrue(((BlockBasedTableConfig) a.tableFormatConfig()).cacheIndexAndFilterBlocks());
            assertTrue(((BlockBasedTableConfig) b.tableFormatConfig()).cacheIndexAndFilterBlocks());
        }
    }

    @Test
    void withoutTheSizeTheSetterRefusesToGuess() {
        try (Options o = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new BoundedRocksDbMemory().setConfig("s", o, Map.of()));
            assertTrue(e.getMessage().contains("rnn.state.rocksdb-memory"), e.getMessage());
        }
    }

    @Test
    void aSizeBelow8MiBIsRefusedNamingTheSetting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("rnn.state.rocksdb-memory", "1000")));
        assertTrue(e.getMessage().contains("rnn.state.rocksdb-memory") && e.getMessage().contains("1000")
                && e.getMessage().contains("8388608"), e.getMessage());
    }
}
