package io.rnnstreams.stream;

import io.rnnstreams.avro.ModelState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * The model store ({@link ForecastTopology#MODEL_STORE}: persistent, changelogged, cached) with writes that wait for
 * the commit: {@link #putAtCommit} keeps what would export a model, and the store writes the export when Kafka Streams
 * flushes its caches before a commit, so a model trained many times between two commits is exported, packed and
 * encoded once per commit instead of after every training (the shared scope's model: {@link StoreModelRepository}).
 *
 * <p><b>The store's content at each commit is the model in memory.</b> Kafka Streams 4.3's commit
 * ({@code StreamTask.prepareCommit}) calls {@code ProcessorStateManager.flushCache()}, which calls
 * {@link #flushCache()} on every store that is a {@link CachedStateStore}, then flushes the producer, then commits the
 * input offsets with the transaction (exactly-once) or alone: the pending models are written into the record cache
 * and flushed to the changelog within the commit they belong to. The public {@link StateStore#commit} comes after the
 * transaction's commit ({@code StreamTask.postCommit}), too late; so this store implements Kafka Streams' internal
 * {@link CachedStateStore}, the one hook before it. {@code PendingModelStoreTest} fails if a Kafka Streams version
 * stops calling it (the {@code TopologyTestDriver} commits through the same {@code prepareCommit}). A task closed
 * cleanly commits first (the models are written); one closed dirty drops them with the rest of its uncommitted work
 * ({@link #close}), and its revived processor reloads the model from the store.
 *
 * <p>Readers other than the stream thread (interactive queries) read the store as of the last commit; the processor
 * reads a model from the store only when it first needs it after {@code init} (before any is pending). Pending
 * writes and the flush run on the task's stream thread.
 */
final class PendingModelStore implements KeyValueStore<String, ModelState>, CachedStateStore<String, ModelState> {
    private final KeyValueStore<String, ModelState> inner;
    private final Registry registry;
    private final Map<String, Supplier<ModelState>> pending = new LinkedHashMap<>();
    private TaskId task;

    private PendingModelStore(KeyValueStore<String, ModelState> inner, Registry registry) {
        this.inner = inner;
        this.registry = registry;
    }

    /**
     * The builder of the topology's model store: {@code Stores.keyValueStoreBuilder} of a persistent store named
     * {@code name}, cached, each task's store wrapped; {@link #forTask} finds a task's store for its processor.
     */
    static Registry builder(String name) {
        return new Registry(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                AvroSerde.of(ModelState.class)).withCachingEnabled());
    }

    /** Writes what {@code latest} exports under {@code key} when the task next commits (replacing a pending one). */
    void putAtCommit(String key, Supplier<ModelState> latest) {
        pending.put(key, latest);
    }

    /** Writes the pending models into the store: before the caches are flushed for a commit. */
    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Supplier<ModelState>> e : pending.entrySet()) {
            inner.put(e.getKey(), e.getValue().get());
        }
        pending.clear();
    }

    @Override
    public void flushCache() {
        writePending();
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.flushCache();
        }
    }

    @Override
    public void clearCache() {
        if (inner instanceof CachedStateStore<?, ?> cached) {
            cached.clearCache();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean setFlushListener(CacheFlushListener<String, ModelState> listener, boolean sendOldValues) {
        return inner instanceof CachedStateStore<?, ?> cached
                && ((CachedStateStore<String, ModelState>) cached).setFlushListener(listener, sendOldValues);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        inner.init(context, root);
        task = context.taskId();
        registry.stores.put(task, this);
    }

    /** Drops the pending models: a task closed cleanly has committed them; one closed dirty must not write them. */
    @Override
    public void close() {
        pending.clear();
        if (task != null) {
            registry.stores.remove(task, this);
        }
        inner.close();
    }

    @Override
    public void put(String key, ModelState value) {
        pending.remove(key);
        inner.put(key, value);
    }

    @Override
    public ModelState putIfAbsent(String key, ModelState value) {
        pending.remove(key);
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<String, ModelState>> entries) {
        for (KeyValue<String, ModelState> e : entries) {
            pending.remove(e.key);
        }
        inner.putAll(entries);
    }

    @Override
    public ModelState delete(String key) {
        pending.remove(key);
        return inner.delete(key);
    }

    @Override
    public ModelState get(String key) {
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<String, ModelState> range(String from, String to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, ModelState> reverseRange(String from, String to) {
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, ModelState> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<String, ModelState> reverseAll() {
        return inner.reverseAll();
    }

    @Override
    public <S extends org.apache.kafka.common.serialization.Serializer<P>, P> KeyValueIterator<String, ModelState>
            prefixScan(P prefix, S prefixKeySerializer) {
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    /**
     * The {@link StoreBuilder} of the model store, and where each task's processor finds its task's store (the
     * processor's own handle, {@code ProcessorContext.getStateStore}, is Kafka Streams' read-write decorator).
     */
    static final class Registry implements StoreBuilder<KeyValueStore<String, ModelState>> {
        private final StoreBuilder<KeyValueStore<String, ModelState>> builder;
        private final Map<TaskId, PendingModelStore> stores = new ConcurrentHashMap<>();

        private Registry(StoreBuilder<KeyValueStore<String, ModelState>> builder) {
            this.builder = builder;
        }

        /** The model store of {@code task}, initialised and open, or null if it has none open. */
        PendingModelStore forTask(TaskId task) {
            return stores.get(task);
        }

        @Override
        public KeyValueStore<String, ModelState> build() {
            return new PendingModelStore(builder.build(), this);
        }

        @Override
        public StoreBuilder<KeyValueStore<String, ModelState>> withCachingEnabled() {
            builder.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, ModelState>> withCachingDisabled() {
            builder.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, ModelState>> withLoggingEnabled(Map<String, String> config) {
            builder.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, ModelState>> withLoggingDisabled() {
            builder.withLoggingDisabled();
            return this;
        }

        @Override
        public Map<String, String> logConfig() {
            return builder.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return builder.loggingEnabled();
        }

        @Override
        public String name() {
            return builder.name();
        }
    }
}
