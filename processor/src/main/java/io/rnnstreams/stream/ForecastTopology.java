package io.rnnstreams.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.config.ValueFormats;
import io.rnnstreams.config.WireFormat;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.stream.registry.RegistrySerde;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The topology: sensor topics -> {@link ForecastProcessor} (with the key-state and model stores,
 * persistent RocksDB, changelogged, cached between commits) -> predictions topic, and dead-letter topic.
 *
 * <p>The source starts from the earliest offset when the application has none: a new deployment (or a
 * backtest under a fresh application id) learns from the whole retained history.
 *
 * <pre>
 *   readings (source, event-time extractor, strict UTF-8 key, RawReading value of rnn.format.input)
 *     -> forecast (processor; stores rnn-key-state, rnn-models)
 *         -> predictions  (sink: String key, Prediction, single-object Avro or the registry format)
 *         -> dead-letters (sink: original key and value bytes, reason headers)
 *         -> lagged       (sink, rnn.smoothing.lag &gt; 0 only: String key, LaggedOutput, single-object Avro;
 *                          the processor then also has the store rnn-smoother-models)
 * </pre>
 */
public final class ForecastTopology {
    public static final String SOURCE = "readings";
    public static final String PROCESSOR = "forecast";
    public static final String PREDICTIONS_SINK = "predictions";
    public static final String DEAD_LETTER_SINK = "dead-letters";
    public static final String KEY_STATE_STORE = "rnn-key-state";
    public static final String MODEL_STORE = "rnn-models";
    /** The fixed-lag smoother's models ({@code rnn.smoothing.lag > 0} only). */
    public static final String SMOOTHER_MODEL_STORE = "rnn-smoother-models";
    /** The smoother's {@code LaggedOutput}s ({@code rnn.smoothing.lag > 0} only). */
    public static final String LAGGED_SINK = "lagged";
    /** Micrometer gauge: bytes of per-key models cached by this instance (Prometheus rnn_model_cache_bytes). */
    public static final String MODEL_CACHE_GAUGE = "rnn.model.cache";

    private ForecastTopology() {
    }

    /**
     * The Streams properties this topology needs on top of {@code base}: the dead-letter handler for
     * undecodable records and the topic it writes to. {@code base} is not modified.
     *
     * @throws io.rnnstreams.config.ConfigException if the settings imply records larger than the producer's
     *     {@code max.request.size} ({@link RecordSizes#check})
     */
    public static Properties streamsProperties(StreamSettings settings, Properties base) {
        Properties props = new Properties();
        props.putAll(base);
        RecordSizes.check(settings, toMap(props));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class.getName());
        props.put(DeadLetterDeserializationHandler.TOPIC_CONFIG, settings.deadLetterTopic());
        return props;
    }

    public static Topology build(StreamSettings settings) {
        return build(settings, ProcessorMetrics.NO_METER_REGISTRY);
    }

    /**
     * The topology, with the per-reading processing-time histogram ({@link ProcessorMetrics#PROCESSING_TIME})
     * recorded in {@code registry} (the other metrics live in Kafka Streams' own registry).
     */
    public static Topology build(StreamSettings settings, MeterRegistry registry) {
        return build(settings, registry, InitialModels.of(settings));
    }

    /** {@link #build(StreamSettings, MeterRegistry)} with the new models starting from {@code initial}. */
    static Topology build(StreamSettings settings, MeterRegistry registry, InitialModels initial) {
        Topology topology = new Topology();
        EventTimeExtractor time = new EventTimeExtractor(settings.limits());
        if (settings.inputPattern() != null) {
            topology.addSource(AutoOffsetReset.earliest(), SOURCE, time, new StrictStringDeserializer(),
                    readingDeserializer(settings.formats()), settings.inputPattern());
        } else {
            topology.addSource(AutoOffsetReset.earliest(), SOURCE, time, new StrictStringDeserializer(),
                    readingDeserializer(settings.formats()), settings.inputTopics().toArray(String[]::new));
        }
        // key scope: one bound on the bytes of cached models for all of this instance's tasks, as a gauge
        ModelCacheBudget budget = new ModelCacheBudget(settings.limits().modelCacheBytes());
        Gauge.builder(MODEL_CACHE_GAUGE, budget, ModelCacheBudget::used).baseUnit("bytes")
                .description("bytes of deserialised per-key models cached by this instance (rnn.model.cache-bytes)")
                .register(registry);
        // the key states and the shared model are written once per commit, each key's latest (PendingWritesStore)
        PendingWritesStore.Registry<KeyState> keyStateStores =
                PendingWritesStore.builder(KEY_STATE_STORE, new AvroSerde<>(StateCodec.keyStateCodec()));
        PendingWritesStore.Registry<ModelState> modelStores =
                PendingWritesStore.builder(MODEL_STORE, AvroSerde.of(ModelState.class));
        topology.addProcessor(PROCESSOR,
                () -> new ForecastProcessor(settings, initial, budget, registry, modelStores, keyStateStores), SOURCE);
        topology.addStateStore(keyStateStores, PROCESSOR);
        topology.addStateStore(modelStores, PROCESSOR);
        topology.addSink(PREDICTIONS_SINK, settings.predictionsTopic(), new StringSerializer(),
                predictionSerializer(settings.formats()), PROCESSOR);
        topology.addSink(DEAD_LETTER_SINK, settings.deadLetterTopic(), new StringSerializer(),
                new ByteArraySerializer(), PROCESSOR);
        if (settings.smoothing().on()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SMOOTHER_MODEL_STORE),
                    Serdes.String(), AvroSerde.of(ModelState.class)).withCachingEnabled(), PROCESSOR);
            topology.addSink(LAGGED_SINK, settings.smoothing().laggedTopic(), new StringSerializer(),
                    AvroSerde.of(LaggedOutput.class).serializer(), PROCESSOR);
        }
        return topology;
    }

    /** The sensor-topic value deserializer of {@code formats.input()}. */
    static Deserializer<RawReading> readingDeserializer(ValueFormats formats) {
        return formats.input() == WireFormat.REGISTRY
                ? new RegistryReadingDeserializer(RegistrySerde.of(SensorReading.class, formats.registry()))
                : new RawReadingDeserializer();
    }

    /** The predictions-topic value serializer of {@code formats.output()}. */
    static Serializer<Prediction> predictionSerializer(ValueFormats formats) {
        return switch (formats.output()) {
            case REGISTRY -> RegistrySerde.of(Prediction.class, formats.registry()).serializer();
            case JSON -> PredictionJson.serializer();
            case SINGLE_OBJECT -> AvroSerde.of(Prediction.class).serializer();
        };
    }

    private static java.util.Map<String, Object> toMap(Properties props) {
        java.util.Map<String, Object> map = new java.util.HashMap<>();
        props.forEach((k, v) -> map.put(k.toString(), v));
        return map;
    }
}
