package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelCacheBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The stream processor's cost per reading in process, one thread, without a broker or a {@code TopologyTestDriver}
 * (which commits after every record): {@link ForecastProcessor#process} of the default hybrid learner (scope shared,
 * D = 1, the corrector's shape {@link #corrector}) on a {@link MockProcessorContext} over the topology's own stores
 * (the key-state and model stores' {@link PendingWritesStore} over RocksDB, caching and changelog off), {@code keys}
 * keys read in turn. Every {@value #READINGS_PER_COMMIT} readings a commit: both stores' pending writes written
 * ({@code flushCache}), the forwarded records dropped, and every wall-clock punctuator of at most one second run (far
 * more often than a second at the stream's rate: what a per-second punctuator costs is overstated, not hidden).
 * The per-reading bookkeeping (metrics, held key states, the pending write, the last-seen map) is on this path, the
 * producer's send and the Prediction's encoding are not. Run in pairs by {@code deploy/local/paired.sh} (method
 * {@code io.rnnstreams.stream.ProcessorBenchmark#process}, its fields as {@code keys=100,corrector=16/16/16} or
 * {@code -} for these defaults; {@code modelSave} is ignored); branch {@code tput18m}.
 */
public class ProcessorBenchmark {
    static final int READINGS_PER_COMMIT = 800;
    private static final int WARM_UP_READINGS = 200;
    private static final long START = 1_700_000_000_000L;

    public int keys = 100;
    public String modelSave = "commit";
    /** The recurrent corrector's shape as {@code H/k1/k2}, as in {@code HybridBenchmark}. */
    public String corrector = "16/16/16";

    private MockProcessorContext<String, Object> context;
    private PendingWritesStore<KeyState> keyStates;
    private PendingWritesStore<ModelState> modelStates;
    private ForecastProcessor processor;
    private String[] names;
    private int next;
    private int sinceCommit;
    private long t;

    public void setup() {
        String[] shape = corrector.split("/");
        StreamSettings settings = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared",
                "rnn.model.hidden", shape[0], "rnn.train.k1", shape[1], "rnn.train.k2", shape[2])).streamSettings();
        Path dir;
        try {
            dir = Files.createTempDirectory("processor-benchmark");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processor-benchmark");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        context = new MockProcessorContext<>(props, new TaskId(0, 0), dir.toFile());
        PendingWritesStore.Registry<KeyState> keyStores = PendingWritesStore.builder(
                ForecastTopology.KEY_STATE_STORE, new AvroSerde<>(StateCodec.keyStateCodec()));
        PendingWritesStore.Registry<ModelState> modelStores = PendingWritesStore.builder(
                ForecastTopology.MODEL_STORE, AvroSerde.of(ModelState.class));
        KeyValueStore<String, KeyState> keyStore = keyStores.withCachingDisabled().withLoggingDisabled().build();
        KeyValueStore<String, ModelState> modelStore = modelStores.withCachingDisabled().withLoggingDisabled().build();
        KeyValueStore<String, ModelState> smootherStore = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ForecastTopology.SMOOTHER_MODEL_STORE), Serdes.String(),
                AvroSerde.of(ModelState.class)).withLoggingDisabled().build();
        for (KeyValueStore<String, ?> store : List.of(keyStore, modelStore, smootherStore)) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
        keyStates = keyStores.forTask(context.taskId());
        modelStates = modelStores.forTask(context.taskId());
        processor = new ForecastProcessor(settings, InitialModels.of(settings),
                new ModelCacheBudget(settings.limits().modelCacheBytes()), ProcessorMetrics.NO_METER_REGISTRY,
                modelStores, keyStores);
        processor.init(context);
        names = new String[keys];
        for (int k = 0; k < keys; k++) {
            names[k] = "sensor-" + k;
        }
        for (int i = 0; i < WARM_UP_READINGS * keys; i++) {
            process();
        }
    }

    /** One key's next reading through the processor; a commit every {@value #READINGS_PER_COMMIT}. */
    public int process() {
        int k = next;
        next = (next + 1) % keys;
        if (k == 0) {
            t++;
        }
        long eventTime = START + t * 1_000L;
        context.setCurrentSystemTimeMs(eventTime + 500L);
        SensorReading reading = SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(eventTime))
                .setValues(List.of(Math.sin(t * 0.05 + k) + 0.1 * Math.sin(t * 1.7 + 3 * k))).setTags(Map.of())
                .build();
        processor.process(new Record<>(names[k], new RawReading(null, reading, null), eventTime));
        if (++sinceCommit == READINGS_PER_COMMIT) {
            sinceCommit = 0;
            modelStates.flushCache();
            keyStates.flushCache();
            context.resetForwards();
            for (MockProcessorContext.CapturedPunctuator p : context.scheduledPunctuators()) {
                if (p.getType() == PunctuationType.WALL_CLOCK_TIME
                        && p.getInterval().compareTo(Duration.ofSeconds(1)) <= 0) {
                    p.getPunctuator().punctuate(context.currentSystemTimeMs());
                }
            }
        }
        return k;
    }
}
