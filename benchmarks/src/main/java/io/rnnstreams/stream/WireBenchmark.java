package io.rnnstreams.stream;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.eval.PredictionIntervals;
import io.rnnstreams.learner.SensorState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bytes in and out of one reading as the stream thread handles them, with the topology's own serdes
 * ({@link ForecastTopology}'s key and value deserializers of the sensor topic, its predictions sink's key and value
 * serializers) and the processor's own steps between them ({@link ReadingValidator#check}, the {@link Prediction}
 * built as {@code ForecastProcessor.emit} builds it, through {@link PredictionDetails}):
 * <ul>
 *   <li>{@code decode}: the key's bytes to its {@code String}, the value's bytes to a {@link RawReading}, the
 *       reading validated into its event time and {@code double[]} values;</li>
 *   <li>{@code encode}: the prediction built from the learner's {@code double[]} arrays and serialized, key and
 *       value;</li>
 *   <li>{@code wire}: both.</li>
 * </ul>
 * Readings as the end-to-end benchmark's load generator writes them ({@code channels = 1}: keys {@code s-00000} ...
 * {@code s-00099} in round-robin order, no tags) or an eight-channel sensor with its channels named in the
 * {@code channels} tag and a site tag ({@code channels = 8}); the predictions' intervals ready, horizon 1 (the
 * default). Each call takes the next of 1,000 pre-encoded readings.
 *
 * <p>Also run by {@code deploy/local/paired.sh} (class {@code io.rnnstreams.stream.WireBenchmark}) against another
 * tree: it uses nothing but what both trees have ({@link #setup} and the methods returning a {@code long}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireBenchmark {
    private static final int KEYS = 100;
    private static final int MESSAGES = 1_000;
    private static final String TOPIC = "sensors";
    private static final long EVENT_TIME = 1_800_000_000_000L;
    /** The wall clock the readings are validated at: after the last one. */
    private static final long NOW = EVENT_TIME + 1_000L * MESSAGES;

    @Param({"1", "8"})
    public int channels = 1;

    private StreamSettings settings;
    private Deserializer<String> keyDeserializer;
    private Deserializer<RawReading> valueDeserializer;
    private Serializer<String> keySerializer;
    private Serializer<Prediction> valueSerializer;
    private ReadingValidator validator;
    private PredictionIntervals intervals;
    private final PredictionDetails.ChannelNames channelNames = new PredictionDetails.ChannelNames();
    private String fingerprint;
    private byte[][] keyBytes;
    private byte[][] valueBytes;
    private String[] keys;
    private RawReading[] decoded;
    private double[][] forecasts;
    private double[][] errors;
    private double[][] contributions;
    private double[] intervalState;
    private long[] timeIntervals;
    private int next;

    @Setup
    public void setup() {
        settings = AppConfig.of(Map.of("rnn.model.channels", Integer.toString(channels))).streamSettings();
        keyDeserializer = new StrictStringDeserializer();
        valueDeserializer = ForecastTopology.readingDeserializer(settings.formats());
        keySerializer = new StringSerializer();
        valueSerializer = ForecastTopology.predictionSerializer(settings.formats());
        validator = new ReadingValidator(settings);
        intervals = new PredictionIntervals(PredictionIntervals.DEFAULT_LEVEL);
        fingerprint = settings.modelFingerprint();
        SingleObjectCodec<SensorReading> codec = SingleObjectCodec.of(SensorReading.class);
        Map<String, String> tags = new LinkedHashMap<>();
        if (channels > 1) {
            StringBuilder names = new StringBuilder();
            for (int c = 0; c < channels; c++) {
                names.append(c == 0 ? "" : ",").append("channel-").append(c);
            }
            tags.put(PredictionDetails.CHANNELS_TAG, names.toString());
            tags.put("site", "plant-7");
        }
        keyBytes = new byte[MESSAGES][];
        valueBytes = new byte[MESSAGES][];
        keys = new String[MESSAGES];
        decoded = new RawReading[MESSAGES];
        forecasts = new double[MESSAGES][channels];
        errors = new double[MESSAGES][channels];
        contributions = new double[MESSAGES][channels];
        for (int i = 0; i < MESSAGES; i++) {
            int k = i % KEYS;
            keys[i] = String.format("s-%05d", k);
            keyBytes[i] = keys[i].getBytes(StandardCharsets.UTF_8);
            List<Double> values = new ArrayList<>(channels);
            for (int c = 0; c < channels; c++) {
                double v = Math.sin(2 * Math.PI * i / (24 + k % 11)) * (1 + k % 5) + 0.05 * ((i * 7919 + k + c) % 13 - 6);
                values.add(v);
                forecasts[i][c] = v + 0.01 * Math.cos(i + c);
                errors[i][c] = 0.02 * Math.sin(3 * i + c);
                contributions[i][c] = 1.0 / channels;
            }
            valueBytes[i] = codec.encode(new SensorReading(Instant.ofEpochMilli(EVENT_TIME + 1_000L * i), values,
                    new LinkedHashMap<>(tags)));
            decoded[i] = valueDeserializer.deserialize(TOPIC, valueBytes[i]);
        }
        intervalState = PredictionIntervals.initialState(channels);
        SensorState sensor = SensorState.first(channels);
        for (int i = 0; i < 2 * PredictionIntervals.WARM_UP; i++) {
            intervals.update(intervalState, errors[i]);
            sensor.advance(EVENT_TIME + 1_000L * i, 1);
        }
        timeIntervals = sensor.intervals();
        if (wire() == 0) {
            throw new IllegalStateException("nothing decoded or encoded");
        }
    }

    /** The key's and the value's bytes of the next reading decoded and the reading validated. */
    @Benchmark
    public long decode() {
        int i = next();
        return decode(i);
    }

    /** The next reading's prediction built and serialized, key and value. */
    @Benchmark
    public long encode() {
        int i = next();
        return encode(i, keys[i], decoded[i]);
    }

    /** Both. */
    @Benchmark
    public long wire() {
        int i = next();
        return decode(i) + encode(i, keys[i], decoded[i]);
    }

    private int next() {
        int i = next;
        next = i + 1 == MESSAGES ? 0 : i + 1;
        return i;
    }

    private long decode(int i) {
        String key = keyDeserializer.deserialize(TOPIC, keyBytes[i]);
        RawReading raw = valueDeserializer.deserialize(TOPIC, valueBytes[i]);
        ReadingValidator.Verdict verdict = validator.check(key, raw, NOW);
        if (!verdict.accepted()) {
            throw new IllegalStateException(verdict.reason() + ": " + verdict.detail());
        }
        return key.hashCode() + verdict.eventTime() + Double.doubleToRawLongBits(verdict.values()[0]);
    }

    /** As {@code ForecastProcessor.emit} builds the prediction (horizon 1, intervals ready), then the sink. */
    private long encode(int i, String key, RawReading raw) {
        long eventTime = EVENT_TIME + 1_000L * i;
        double[] forecast = forecasts[i];
        List<List<Double>> horizon = List.of();
        Prediction prediction = new Prediction();
        prediction.setEventTime(Instant.ofEpochMilli(eventTime));
        prediction.setForecast(PredictionDetails.avroDoubles(forecast));
        prediction.setHorizon(horizon);
        prediction.setPreviousError(PredictionDetails.avroDoubles(errors[i]));
        prediction.setAnomalyScore(0.25 + 1e-3 * i);
        prediction.setAnomaly(false);
        prediction.setWarmingUp(false);
        prediction.setChannelContributions(PredictionDetails.avroDoubles(contributions[i]));
        prediction.setReadingsLearned(1_000L + i);
        prediction.setModelFingerprint(fingerprint);
        prediction.setStateReset(false);
        PredictionDetails.complete(prediction, eventTime, forecast, horizon, intervalState, intervals.level(),
                timeIntervals, raw.reading().getTags(), channelNames);
        byte[] k = keySerializer.serialize("predictions", key);
        byte[] v = valueSerializer.serialize("predictions", prediction);
        return k.length + v.length + v[v.length - 1];
    }
}
