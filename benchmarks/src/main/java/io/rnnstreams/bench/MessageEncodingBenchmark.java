package io.rnnstreams.bench;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.stream.StateCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One single-object message as the stream writes it per reading, in the default's shape ({@code rnn.learner=hybrid},
 * D = 1, LSTM H = 32): {@code record = prediction}, the predictions topic's value after the key's intervals are ready
 * (one forecast, previous error, contribution, forecast time, lower and upper bound), built from the learner's
 * {@code double[]} arrays and encoded, as {@code ForecastProcessor.emit} and the predictions sink do each reading;
 * {@code record = keyState}, the hybrid key state the changelog carries, encoded. Two ways to the same bytes:
 * <ul>
 *   <li>{@code codec}: the arrays of doubles copied into Avro's primitive-backed arrays
 *       ({@code PredictionDetails.avroDoubles}), encoded by {@link SingleObjectCodec#encode} (a per-thread reused buffer and
 *       buffered binary encoder; the prediction written field by field, the key state's bytes from their arrays;
 *       branch {@code tput18f});</li>
 *   <li>{@code avroMessageEncoder}: before, the arrays boxed into {@code ArrayList}s, encoded by Avro's
 *       {@link BinaryMessageEncoder} (a direct binary encoder into a per-thread synchronized
 *       {@code ByteArrayOutputStream}) and copied to an exactly sized array.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MessageEncodingBenchmark {
    @Param({"prediction", "keyState"})
    public String record;

    private static final Schema DOUBLES = Prediction.getClassSchema().getField("forecast").schema();
    private static final long EVENT_TIME = 1_700_000_000_000L;

    private Encoding<Prediction> predictions;
    private Encoding<KeyState> keyStates;
    private KeyState keyState;
    private String fingerprint;
    private final double[] forecast = {0.8414709848078965};
    private final double[] previousError = {-0.012345678901234};
    private final double[] contributions = {1.0};
    private final double[] lower = {0.7414709848078965};
    private final double[] upper = {0.9414709848078965};

    @Setup
    public void setup() {
        predictions = new Encoding<>(Prediction.class);
        keyStates = new Encoding<>(KeyState.class);
        keyState = hybridKeyState();
        fingerprint = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared", "rnn.model.hidden",
                "32")).streamSettings().modelFingerprint();
        if (!Arrays.equals(codec(), avroMessageEncoder())) {
            throw new IllegalStateException("the two encodings differ on the " + record);
        }
    }

    @Benchmark
    public byte[] codec() {
        return record.equals("prediction") ? predictions.codec(prediction(MessageEncodingBenchmark::primitive))
                : keyStates.codec(keyState);
    }

    @Benchmark
    public byte[] avroMessageEncoder() {
        return record.equals("prediction") ? predictions.avro(prediction(MessageEncodingBenchmark::boxed))
                : keyStates.avro(keyState);
    }

    /** As {@code PredictionDetails.avroDoubles} does. */
    private static List<Double> primitive(double[] a) {
        PrimitivesArrays.DoubleArray list = new PrimitivesArrays.DoubleArray(a.length, DOUBLES);
        for (int i = 0; i < a.length; i++) {
            list.add(i, a[i]);
        }
        return list;
    }

    /** As {@code PredictionDetails.avroDoubles} did before branch tput18f (then named {@code boxed}). */
    private static List<Double> boxed(double[] a) {
        List<Double> list = new ArrayList<>(a.length);
        for (double v : a) {
            list.add(v);
        }
        return list;
    }

    /** A record class's codec and Avro's message encoder as the codec made it before (no copy inside Avro). */
    private static final class Encoding<T extends SpecificRecord> {
        private final SingleObjectCodec<T> codec;
        private final BinaryMessageEncoder<T> avro;

        Encoding(Class<T> type) {
            this.codec = SingleObjectCodec.of(type);
            SpecificData model = SpecificData.getForClass(type);
            this.avro = new BinaryMessageEncoder<>(model, codec.schema(), false);
        }

        byte[] codec(T value) {
            return codec.encode(value);
        }

        byte[] avro(T value) {
            try {
                ByteBuffer encoded = avro.encode(value);
                int start = encoded.arrayOffset() + encoded.position();
                return Arrays.copyOfRange(encoded.array(), start, start + encoded.remaining());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The default's prediction of a one-channel key with its intervals ready, built as {@code ForecastProcessor.emit}
     * and {@code PredictionDetails.complete} build it, the arrays of doubles made lists by {@code list}.
     */
    private Prediction prediction(Function<double[], List<Double>> list) {
        List<Instant> times = new ArrayList<>(1);
        times.add(Instant.ofEpochMilli(EVENT_TIME + 1_000));
        List<List<Double>> lowers = new ArrayList<>(1);
        lowers.add(list.apply(lower));
        List<List<Double>> uppers = new ArrayList<>(1);
        uppers.add(list.apply(upper));
        return Prediction.newBuilder()
                .setEventTime(Instant.ofEpochMilli(EVENT_TIME))
                .setForecast(list.apply(forecast))
                .setHorizon(List.of())
                .setPreviousError(list.apply(previousError))
                .setAnomalyScore(0.4321)
                .setAnomaly(false)
                .setWarmingUp(false)
                .setChannelContributions(list.apply(contributions))
                .setReadingsLearned(12_345L)
                .setModelFingerprint(fingerprint)
                .setStateReset(false)
                .setForecastTimes(times)
                .setChannelNames(List.of())
                .setTags(Map.of())
                .setIntervalLevel(0.9)
                .setIntervalLower(lowers)
                .setIntervalUpper(uppers)
                .build();
    }

    /** The key state of a hybrid key (D = 1, LSTM H = 32, shared scope) after 300 readings of a noisy sine. */
    private static KeyState hybridKeyState() {
        StreamSettings settings = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared",
                "rnn.model.hidden", "32")).streamSettings();
        HybridForecaster learner = new HybridForecaster(settings.scope(), settings.modelConfig(),
                settings.learnerChoice().period(), settings.learnerChoice().arOrder(), true, HybridForecaster.ANCHORED,
                ModelRepository.inMemory(), settings.modelCacheSize(), ModelCacheBudget.unbounded());
        HybridForecaster.KeyState state = learner.newKey();
        SensorState sensor = SensorState.first(1);
        for (long t = 1; t <= 300; t++) {
            learner.observe("sensor-0", state, new double[] {Math.sin(t * 0.05) + 0.1 * Math.sin(t * 1.7)});
            sensor.advance(t * 1_000, state.modelVersion());
        }
        return StateCodec.keyState(learner.exportState(state), sensor);
    }
}
