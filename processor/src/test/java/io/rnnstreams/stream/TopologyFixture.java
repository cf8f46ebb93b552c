package io.rnnstreams.stream;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver around the forecast topology, with raw-byte input and typed outputs. */
final class TopologyFixture implements AutoCloseable {
    static final String INPUT = "sensor-readings";
    static final String PREDICTIONS = "predictions";
    static final String DLQ = "sensor-readings-dlq";
    static final SingleObjectCodec<SensorReading> READINGS = SingleObjectCodec.of(SensorReading.class);
    static final SingleObjectCodec<Prediction> PREDICTION_CODEC = SingleObjectCodec.of(Prediction.class);

    final StreamSettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> input;
    final TestOutputTopic<String, byte[]> predictions;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    TopologyFixture(StreamSettings settings, Path stateDir) {
        this(settings, stateDir, Map.of());
    }

    /** With {@code extra} Kafka Streams properties on top of the fixture's own. */
    TopologyFixture(StreamSettings settings, Path stateDir, Map<String, String> extra) {
        this(settings, stateDir, extra, InitialModels.of(settings));
    }

    /** With the new models starting from {@code initial} instead of the settings' own. */
    TopologyFixture(StreamSettings settings, Path stateDir, InitialModels initial) {
        this(settings, stateDir, Map.of(), initial);
    }

    private TopologyFixture(StreamSettings settings, Path stateDir, Map<String, String> extra,
                            InitialModels initial) {
        this.settings = settings;
        Properties base = new Properties();
        base.put(StreamsConfig.APPLICATION_ID_CONFIG, "rnn-streams-test");
        base.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        base.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        base.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        base.putAll(extra);
        driver = new TopologyTestDriver(ForecastTopology.build(settings, ProcessorMetrics.NO_METER_REGISTRY, initial),
                ForecastTopology.streamsProperties(settings, base));
        input = driver.createInputTopic(INPUT, new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(PREDICTIONS, new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static LearnerConfig learner() {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(2).hiddenSizes(8).cellType(CellType.LSTM).seed(9).build())
                .k1(4).k2(8).optimizer(OptimizerConfig.adam(0.01)).build();
    }

    static StreamSettings settings(ModelScope scope) {
        return settings(scope, 1);
    }

    static StreamSettings settings(ModelScope scope, int horizon) {
        return new StreamSettings(List.of(INPUT), null, PREDICTIONS, DLQ, scope, learner(), horizon,
                Duration.ofHours(1), 3.0, Duration.ofDays(1), Duration.ofHours(1), 1e12, DetectorConfig.DEFAULTS, 100,
                null);
    }

    static byte[] encode(long eventTime, double... values) {
        return READINGS.encode(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(eventTime))
                .setValues(java.util.Arrays.stream(values).boxed().toList()).setTags(Map.of()).build());
    }

    static byte[] key(String sensor) {
        return sensor.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A smooth two-channel reading of sensor {@code k} at step {@code t}. */
    static double[] reading(int k, int t) {
        return new double[] {Math.sin(t * 0.2 + k) * (k + 1), Math.cos(t * 0.05 * (k + 1)) + 10 * k};
    }

    static long time(int t) {
        return 1_700_000_000_000L + t * 60_000L;
    }

    void send(String sensor, long eventTime, double... values) {
        input.pipeInput(key(sensor), encode(eventTime, values), eventTime);
    }

    static Prediction decode(byte[] bytes) {
        return PREDICTION_CODEC.decode(bytes);
    }

    static double[] forecast(Prediction p) {
        return p.getForecast().stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public void close() {
        driver.close();
    }
}
