package io.rnnstreams.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A persistent, changelogged, cached key-value store of the topology whose writes can wait for the commit:
 * {@link #putAtCommit} keeps what would make a key's value, and the store builds the value and writes it when Kafka
 * Streams flushes its caches before a commit, so a value replaced many times between two commits is built, encoded
 * and written once per commit instead of after every change. Two stores use it: the model store
 * ({@link ForecastTopology#MODEL_STORE}: the shared scope's model, trained many times per commit,
 * {@link StoreModelRepository}) and the key-state store ({@link ForecastTopology#KEY_STATE_STORE}: each key's
 * state after its last reading, {@link KeyStateWrite}).
 *
 * <p><b>The store's content at each commit is the latest value of every key.</b> Kafka Streams 4.3's commit
 * ({@code StreamTask.prepareCommit}) calls {@code ProcessorStateManager.flushCache()}, which calls
 * {@link #flushCache()} on every store that is a {@link CachedStateStore}, then flushes the producer, then commits the
 * input offsets with the transaction (exactly-once) or alone: the pending values are written into the record cache
 * and flushed to the changelog within the commit they belong to. The public {@link StateStore#commit} comes after the
 * transaction's commit ({@code StreamTask.postCommit}), too late; so the hook is Kafka Streams' internal
 * {@link CachedStateStore#flushCache}, which {@link WrappedStateStore} (the base of Kafka's own store layers) declares
 * and this store overrides. {@code PendingModelStoreTest} fails if a Kafka Streams version stops calling it (the
 * {@code TopologyTestDriver} commits through the same {@code prepareCommit}). A task closed cleanly commits first (the
 * values are written). One closed dirty is flushed too, if it processed records since its last commit
 * ({@code TaskManager.closeTaskDirty} calls {@code prepareCommit(false)}, which flushes the caches): the pending values
 * are built and written, under exactly-once into the transaction that is aborted and the local store that is wiped,
 * under at_least_once for good (the uncommitted work stays, as for any cached store); its revived processor reads the
 * store, under exactly-once rolled back to the last commit. So a pending value must stay buildable from what it was
 * given until it is written or dropped ({@link #dropPending}).
 *
 * <p><b>Who sees a pending value.</b> The task's processor, through {@link #latest}: a pending value if there is one,
 * else the stored one. Everything else, the {@link KeyValueStore} reads ({@link #get}, {@link #all}, ...) included,
 * sees the store as of the last commit: interactive queries (the HTTP API) run on other threads and must not build
 * a value from state the stream thread is changing, and the idle-key punctuator's scan of {@link #all} finds a key
 * first written since the last commit only after that commit. A {@link #put}, {@link #delete} (the punctuator's) or
 * any other write of a key drops its pending value: the store's entry is then the key's latest. Pending writes, the
 * flush and {@link #latest} run on the task's stream thread; the pending map is not thread-safe.
 *
 * <p><b>Bounded.</b> At most {@value #MAX_PENDING} keys wait per task: a write beyond that writes the least recently
 * written key's pending value into the store at once (the record cache then folds or evicts it as it did every
 * write before), so the memory the pending values hold is bounded whatever the commit interval (30 s under
 * at_least_once) and the key count; what the store holds at each commit is the same.
 *
 * <p>Extends {@link WrappedStateStore}, which delegates the {@link StateStore} part and the cache's hooks to the
 * wrapped store; the key-value reads and writes are delegated here (Kafka has no wrapping base for them that is not
 * one of its own layers: metering, caching, logging).
 *
 * @param <V> the stored values
 */
final class PendingWritesStore<V> extends WrappedStateStore<KeyValueStore<String, V>, String, V>
        implements KeyValueStore<String, V> {
    /** Keys whose write may wait for the commit, per task (~2 KB each for a hybrid key state at D = 1, H = 32). */
    static final int MAX_PENDING = 10_000;

    private final Registry<V> registry;
    /** In the order of their last write (access order: a key written again moves to the end). */
    private final LinkedHashMap<String, Supplier<V>> pending = new LinkedHashMap<>(16, 0.75f, true);
    private TaskId task;
    /** Run at every flush before the pending writes ({@link #atFlush}); null for none. */
    private Runnable atFlush;

    private PendingWritesStore(KeyValueStore<String, V> inner, Registry<V> registry) {
        super(inner);
        this.registry = registry;
    }

    /**
     * The builder of one of the topology's stores: {@code Stores.keyValueStoreBuilder} of a persistent store named
     * {@code name} with String keys and {@code values}, cached, each task's store wrapped; {@link Registry#forTask}
     * finds a task's store for its processor.
     */
    static <V> Registry<V> builder(String name, Serde<V> values) {
        return new Registry<>(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                values).withCachingEnabled());
    }

    /**
     * Writes what {@code latest} makes under {@code key} when the task next commits (replacing a pending one);
     * {@code latest} is called on the stream thread: when the store writes it (at the commit, or earlier beyond
     * {@link #MAX_PENDING} keys) and by {@link #latest}.
     */
    void putAtCommit(String key, Supplier<V> latest) {
        pending.put(key, latest);
        if (pending.size() > MAX_PENDING) {
            Map.Entry<String, Supplier<V>> eldest = pending.entrySet().iterator().next();
            wrapped().put(eldest.getKey(), eldest.getValue().get());
            pending.remove(eldest.getKey());
        }
    }

    /** {@code key}'s latest value: the pending one if a write is pending, else the stored one (null if none). */
    V latest(String key) {
        Supplier<V> value = pending.get(key);
        return value != null ? value.get() : wrapped().get(key);
    }

    /**
     * Drops {@code key}'s pending write if it is {@code write} (the same instance) and leaves the stored value as it is
     * (the last commit's, or an earlier write beyond {@link #MAX_PENDING}): for a write that must not be built any more
     * because what it would be built from has changed (a held hybrid state changed by a reading that then failed,
     * {@link HeldKeyStates}). A later write of the key, or none, is left alone.
     */
    void dropPending(String key, Supplier<V> write) {
        pending.remove(key, write);
    }

    /** Keys whose write is pending now. */
    int pendingCount() {
        return pending.size();
    }

    /** Writes the pending values into the store: before the caches are flushed for a commit. */
    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Supplier<V>> e : pending.entrySet()) {
            wrapped().put(e.getKey(), e.getValue().get());
        }
        pending.clear();
    }

    /**
     * Runs {@code action} at every flush of the caches from now on (each commit of the task, and the flush of a task
     * closed dirty), before the pending writes are written, on the stream thread; null runs nothing. The processor
     * records its per-reading metrics' batches there ({@link ProcessorMetrics#flush}).
     */
    void atFlush(Runnable action) {
        this.atFlush = action;
    }

    @Override
    public void flushCache() {
        if (atFlush != null) {
            atFlush.run();
        }
        writePending();
        super.flushCache();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        pending.clear();
        super.init(context, root);
        task = context.taskId();
        registry.stores.put(task, this);
    }

    /** Drops what is still pending: a task's close flushes first (cleanly or dirty, see the class comment). */
    @Override
    public void close() {
        pending.clear();
        if (task != null) {
            registry.stores.remove(task, this);
        }
        super.close();
    }

    @Override
    public void put(String key, V value) {
        pending.remove(key);
        wrapped().put(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        pending.remove(key);
        return wrapped().putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        for (KeyValue<String, V> e : entries) {
            pending.remove(e.key);
        }
        wrapped().putAll(entries);
    }

    @Override
    public V delete(String key) {
        pending.remove(key);
        return wrapped().delete(key);
    }

    @Override
    public V get(String key) {
        return wrapped().get(key);
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        return wrapped().reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        return wrapped().all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        return wrapped().reverseAll();
    }

    @Override
    public <S extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, S prefixKeySerializer) {
        return wrapped().prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries();
    }

    /**
     * The {@link StoreBuilder} of the store, and where each task's processor finds its task's store (the
     * processor's own handle, {@code ProcessorContext.getStateStore}, is Kafka Streams' read-write decorator).
     */
    static final class Registry<V> implements StoreBuilder<KeyValueStore<String, V>> {
        private final StoreBuilder<KeyValueStore<String, V>> builder;
        private final Map<TaskId, PendingWritesStore<V>> stores = new ConcurrentHashMap<>();

        private Registry(StoreBuilder<KeyValueStore<String, V>> builder) {
            this.builder = builder;
        }

        /** The store of {@code task}, initialised and open, or null if it has none open. */
        PendingWritesStore<V> forTask(TaskId task) {
            return stores.get(task);
        }

        @Override
        public KeyValueStore<String, V> build() {
            return new PendingWritesStore<>(builder.build(), this);
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            builder.withCachingEnabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            builder.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
            builder.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
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
