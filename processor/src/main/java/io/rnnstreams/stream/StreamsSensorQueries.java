package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.SequenceSnapshot;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@link SensorQueries} over a running {@link KafkaStreams} with {@code application.server} set to
 * {@link #self()}: keys are located with {@link KafkaStreams#queryMetadataForKey}, and read from the active
 * store partition that holds them ({@link StoreQueryParameters#withPartition}). Metadata that is not available
 * (a rebalance), and stores that cannot be read ({@link InvalidStateStoreException}: migrating or restoring),
 * become {@link QueryUnavailableException}s or {@link Unavailable}.
 */
public final class StreamsSensorQueries implements SensorQueries {
    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private final KafkaStreams streams;
    private final StreamSettings settings;
    private final ModelSnapshot initialModel;
    private final Instance self;
    private final HostInfo selfHost;
    private final StreamThreadLiveness liveness;
    /** Reads the keys' hybrid states ({@code rnn.learner=hybrid}), or null when the plain RNN runs. */
    private final HybridForecaster hybridReader;
    /** Kafka's default {@code max.poll.interval.ms}. */
    public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);

    /**
     * @param initialModel the warm-start model ({@code rnn.model.init}), or null
     * @param self         this instance's {@code application.server}
     */
    public StreamsSensorQueries(KafkaStreams streams, StreamSettings settings, ModelSnapshot initialModel,
                                Instance self) {
        this(streams, settings, initialModel, self, DEFAULT_MAX_POLL_INTERVAL);
    }

    /**
     * @param maxPollInterval the stream threads' {@code max.poll.interval.ms}: a thread that has not polled for
     *                        longer is stuck, and {@link #running()} is false ({@link StreamThreadLiveness})
     */
    public StreamsSensorQueries(KafkaStreams streams, StreamSettings settings, ModelSnapshot initialModel,
                                Instance self, Duration maxPollInterval) {
        this.liveness = new StreamThreadLiveness(streams, maxPollInterval);
        this.streams = Objects.requireNonNull(streams, "streams");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.initialModel = initialModel;
        this.self = Objects.requireNonNull(self, "self");
        this.selfHost = new HostInfo(self.host(), self.port());
        this.hybridReader = settings.learnerChoice().hybrid() ? HybridLearners.reader(settings) : null;
    }

    @Override
    public Location locate(String key) {
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(ForecastTopology.KEY_STATE_STORE, key, KEYS);
        } catch (StreamsException | IllegalStateException e) {
            return new Unavailable("Kafka Streams is " + streams.state() + ": " + e.getMessage());
        }
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost() == null
                || metadata.activeHost().port() < 0) {
            return new Unavailable("the key's partition has no active owner now (Kafka Streams is "
                    + streams.state() + ")");
        }
        if (metadata.activeHost().equals(selfHost)) {
            return new Local(metadata.partition());
        }
        return new Remote(new Instance(metadata.activeHost().host(), metadata.activeHost().port()));
    }

    @Override
    public Optional<SensorSummary> summary(String key) {
        int partition = localPartition(key);
        KeyState state = read(ForecastTopology.KEY_STATE_STORE, partition, key);
        if (state == null) {
            return Optional.empty();
        }
        ModelState model = read(ForecastTopology.MODEL_STORE, partition, SensorViews.modelKey(key, settings.scope()));
        SequenceSnapshot seq2seq = settings.seq2seq() ? StateCodec.seq2seq(state) : null;
        if (seq2seq != null) {
            return Optional.of(SensorViews.summary(key, state, model, settings.scope(), seq2seq));
        }
        HybridForecaster.KeyState hybrid = SensorViews.hybridState(hybridReader, state);
        return Optional.of(hybrid != null ? SensorViews.summary(key, state, model, settings.scope(), hybrid)
                : SensorViews.summary(key, state, model, settings.scope()));
    }

    @Override
    public Optional<double[][]> forecast(String key, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        int partition = localPartition(key);
        KeyState state = read(ForecastTopology.KEY_STATE_STORE, partition, key);
        if (state == null) {
            return Optional.empty();
        }
        if (settings.seq2seq()) {
            // the decoder's N forecasts made at the key's last reading; none for a state another learner wrote
            SequenceSnapshot seq2seq = StateCodec.seq2seq(state);
            return seq2seq == null ? Optional.empty() : Optional.of(SensorViews.forecast(seq2seq, steps));
        }
        HybridForecaster.KeyState hybrid = SensorViews.hybridState(hybridReader, state);
        if (hybrid != null) {
            return Optional.of(SensorViews.forecast(hybrid, steps));
        }
        if (!StateCodec.hasSequence(state)) {
            // a state the settings cannot read (the hybrid's under other shapes, or another learner's)
            return Optional.empty();
        }
        ModelState model = read(ForecastTopology.MODEL_STORE, partition, SensorViews.modelKey(key, settings.scope()));
        return Optional.of(SensorViews.forecast(settings.learner(), state, model, initialModel, steps));
    }

    /**
     * Adds to {@code into} up to {@code limit} keys of one store partition (in the stores' order) that sort
     * after {@code after} (null: from the first) and that a query can name ({@link SensorQueries#queryable}).
     */
    static void collect(java.util.Iterator<String> sortedKeys, String after, int limit,
                        java.util.Collection<String> into) {
        int taken = 0;
        while (sortedKeys.hasNext() && taken < limit) {
            String key = sortedKeys.next();
            if ((after == null || SensorQueries.compareKeys(key, after) > 0) && SensorQueries.queryable(key)) {
                into.add(key);
                taken++;
            }
        }
    }

    @Override
    public List<String> localKeys(String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        TreeSet<String> keys = new TreeSet<>(SensorQueries::compareKeys);
        for (int partition : localPartitions()) {
            ReadOnlyKeyValueStore<String, KeyState> store = store(ForecastTopology.KEY_STATE_STORE, partition);
            try (KeyValueIterator<String, KeyState> it = store.range(after, null)) {
                collect(new java.util.Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public String next() {
                        return it.next().key;
                    }
                }, after, limit, keys);
            } catch (InvalidStateStoreException e) {
                throw unavailable(e);
            }
        }
        List<String> page = new ArrayList<>(Math.min(limit, keys.size()));
        for (String k : keys) {
            if (page.size() == limit) {
                break;
            }
            page.add(k);
        }
        return page;
    }

    @Override
    public List<Instance> otherInstances() {
        List<Instance> others = new ArrayList<>();
        try {
            for (StreamsMetadata m : streams.streamsMetadataForStore(ForecastTopology.KEY_STATE_STORE)) {
                if (!m.hostInfo().equals(selfHost) && m.hostInfo().port() >= 0 && !m.topicPartitions().isEmpty()) {
                    others.add(new Instance(m.hostInfo().host(), m.hostInfo().port()));
                }
            }
        } catch (StreamsException | IllegalStateException e) {
            throw new QueryUnavailableException("instance metadata not available: Kafka Streams is "
                    + streams.state(), e);
        }
        return others;
    }

    @Override
    public Instance self() {
        return self;
    }

    @Override
    public String state() {
        List<String> problems = streams.state() == KafkaStreams.State.RUNNING ? liveness.problems() : List.of();
        return problems.isEmpty() ? streams.state().name()
                : streams.state().name() + ", but " + String.join("; ", problems);
    }

    /** RUNNING, with every stream thread alive and polling within {@code max.poll.interval.ms}. */
    @Override
    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING && liveness.problems().isEmpty();
    }

    @Override
    public List<Integer> localPartitions() {
        TreeSet<Integer> partitions = new TreeSet<>();
        try {
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                for (TaskMetadata task : thread.activeTasks()) {
                    partitions.add(task.taskId().partition());
                }
            }
        } catch (StreamsException | IllegalStateException e) {
            throw new QueryUnavailableException("task metadata not available: Kafka Streams is " + streams.state(), e);
        }
        return List.copyOf(partitions);
    }

    /** The partition of {@code key} if it is active here; otherwise the key moved (or is moving) away. */
    private int localPartition(String key) {
        Location location = locate(key);
        if (location instanceof Unavailable u) {
            throw new QueryUnavailableException(u.reason());
        }
        if (location instanceof Remote r) {
            throw new QueryUnavailableException("the key is now held by " + r.instance() + " (rebalanced)");
        }
        return ((Local) location).partition();
    }

    private <V> V read(String storeName, int partition, String key) {
        try {
            ReadOnlyKeyValueStore<String, V> store = store(storeName, partition);
            return store.get(key);
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String storeName, int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(storeName,
                    QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    private QueryUnavailableException unavailable(RuntimeException e) {
        return new QueryUnavailableException("store not queryable now (Kafka Streams is " + streams.state()
                + "): " + e.getMessage(), e);
    }
}
