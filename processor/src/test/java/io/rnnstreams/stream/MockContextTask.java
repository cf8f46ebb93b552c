package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.stream.registry.RegistryUnavailableException;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * One task's {@link ForecastProcessor} driven directly on a {@link MockProcessorContext} over the topology's own
 * stores (caching and changelog off), its commits made by calling the key-state store's flush ({@link #flush}), with
 * the lagged sink's send failing on demand: several readings of a key between two commits, which a {@code
 * TopologyTestDriver} (a commit after every record) never has. Wall-clock punctuators are captured, not run
 * ({@code MockProcessorContext#scheduledPunctuators}). Used by {@code HeldStatesBetweenCommitsTest} (branch rev20) and
 * {@code ProcessorMetricsTest} (branch tput18m).
 */
/** One task's processor over its stores, with the lagged sink's send failing on demand. */
final class MockContextTask {
    final MockProcessorContext<String, Object> context;
    final PendingWritesStore<KeyState> keyStates;
    final ForecastProcessor processor;
    boolean laggedSendFails;

    @SuppressWarnings("unchecked")
    MockContextTask(StreamSettings settings, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "held-state-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        this.context = new MockProcessorContext<>(props, new TaskId(0, 0),
                stateDir.toFile()) {
            @Override
            public <K extends String, V> void forward(Record<K, V> record, String childName) {
                if (laggedSendFails && ForecastTopology.LAGGED_SINK.equals(childName)) {
                    // as the sink's serializer throws when the schema registry does not answer
                    throw new RegistryUnavailableException("planted: the registry does not answer", null);
                }
                super.forward(record, childName);
            }
        };
        context.setCurrentSystemTimeMs(time(100)); // the wall clock after every reading's event time
        PendingWritesStore.Registry<KeyState> keyStores = PendingWritesStore.builder(
                ForecastTopology.KEY_STATE_STORE, new AvroSerde<>(StateCodec.keyStateCodec()));
        PendingWritesStore.Registry<ModelState> modelStores = PendingWritesStore.builder(
                ForecastTopology.MODEL_STORE, AvroSerde.of(ModelState.class));
        KeyValueStore<String, KeyState> keyStore = keyStores.withCachingDisabled().withLoggingDisabled().build();
        KeyValueStore<String, ModelState> modelStore =
                modelStores.withCachingDisabled().withLoggingDisabled().build();
        KeyValueStore<String, ModelState> smootherStore = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE), Serdes.String(),
                AvroSerde.of(ModelState.class)).withLoggingDisabled().build();
        for (KeyValueStore<String, ?> store : new KeyValueStore[] {keyStore, modelStore, smootherStore}) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        this.keyStates = keyStores.forTask(context.taskId());
        this.processor = new ForecastProcessor(settings, InitialModels.of(settings),
                new ModelCacheBudget(settings.limits().modelCacheBytes()), ProcessorMetrics.NO_METER_REGISTRY,
                modelStores, keyStores);
        processor.init(context);
    }

    void send(String key, int k, int t) {
        byte[] bytes = TopologyFixture.encode(time(t), reading(k, t));
        processor.process(new Record<>(key, new RawReading(bytes, TopologyFixture.READINGS.decode(bytes), null),
                time(t)));
    }

    /** What a commit (or a dirty close's flush) writes: the pending writes, built now. */
    void flush() {
        keyStates.flushCache();
    }

    byte[] stored(String key) {
        KeyState state = keyStates.get(key);
        return state == null ? null : StateCodec.keyStateCodec().encode(state);
    }
}
