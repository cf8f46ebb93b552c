package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bytes written per reading, from the encoded records the topology writes: every reading puts one key
 * state; every training (every k1 readings of a key) puts one model state. These are the bytes offered to
 * the changelogs before Kafka Streams' record cache folds repeated writes of a key between commits, so they
 * are an upper bound. Prints docs/stream.md's table; asserts that the per-reading key state grows with the
 * hidden state and window, not with the parameter count.
 */
class BytesPerReadingTest {
    private static final SingleObjectCodec<KeyState> KEY_STATES = SingleObjectCodec.of(KeyState.class);
    private static final SingleObjectCodec<ModelState> MODELS = SingleObjectCodec.of(ModelState.class);

    @TempDir
    Path dir;

    /** perReading: key state + model state / k1, the bytes offered to the changelogs per reading. */
    record Figures(int parameters, int keyState, int modelState, int prediction, double perReading) {
    }

    static LearnerConfig lstm(int channels, int hidden) {
        return LearnerConfig.builder().network(NetworkConfig.builder().inputSize(channels).hiddenSizes(hidden)
                .cellType(CellType.LSTM).build()).k1(16).k2(16).optimizer(OptimizerConfig.adam(0.005)).build();
    }

    Figures measure(LearnerConfig learner, String name) {
        StreamSettings settings = new StreamSettings(List.of(TopologyFixture.INPUT), null, TopologyFixture.PREDICTIONS,
                TopologyFixture.DLQ, ModelScope.KEY, learner, 1, Duration.ofHours(1), 3.0, Duration.ofDays(1),
                Duration.ofHours(1), 1e12, DetectorConfig.DEFAULTS, 10, null);
        // the largest configuration's model record (1.7 MB) needs a raised producer limit (RecordSizes.check)
        try (TopologyFixture f = new TopologyFixture(settings, dir.resolve(name),
                Map.of("producer.max.request.size", "8388608"))) {
            int d = learner.channels();
            for (int t = 0; t < 40; t++) {
                double[] x = new double[d];
                for (int i = 0; i < d; i++) {
                    x[i] = Math.sin(t * 0.3 + i);
                }
                f.send("s", TopologyFixture.time(t), x);
            }
            List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
            int prediction = out.get(out.size() - 1).value().length;
            KeyState keyState = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).get("s");
            ModelState modelState = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE).get("s");
            int keyBytes = KEY_STATES.encode(keyState).length + "s".length();
            int modelBytes = MODELS.encode(modelState).length + "s".length();
            int parameters = new Model(learner).network().parameterCount();
            // both scopes put a model state after every training, one per k1 readings of a key
            return new Figures(parameters, keyBytes, modelBytes, prediction,
                    keyBytes + (double) modelBytes / learner.k1());
        }
    }

    /**
     * {@code rnn.learner=hybrid} at D = 1, H = 16 (the default since h16) and H = 32 (issue 18's line is stated
     * at H = 32) (LSTM, k1 = k2 = 16), AR(8), scope shared, without a period (the
     * default {@code rnn.hybrid.period=0}) and with period 24: the key state record after 40 readings, and the
     * recurrent core's record (one per training of any key; folded by the record cache between commits). Prints
     * the figures for docs/stream.md; asserts the record is the learner's compact state
     * ({@code HybridForecaster.keyStateSize}, counters as varints) plus the sensor's part, and within issue 18's
     * 1.5 KB (1,536 B) without a period (the default) and within 1,600 B with period 24 (over 1.5 KB at H = 32);
     * the learner's part pinned per H (1,090 B at 16, 1,218 B at 32); then again
     * after 10,000 readings, when the counters are wider varints: the default is still within 1.5 KB, and the
     * figure with period 24 (over by ~35 B) is printed for docs/accuracy.md.
     */
    @ParameterizedTest
    @CsvSource({"0, 16, GRU", "24, 16, GRU", "0, 32, GRU", "0, 16, LSTM", "24, 16, LSTM", "0, 32, LSTM",
        "24, 32, LSTM"})
    void hybridKeyState(int period, int hidden, CellType cell) {
        LearnerConfig base = lstm(1, hidden);
        LearnerConfig learner = base.toBuilder().network(base.network().toBuilder().cellType(cell).build()).build();
        io.rnnstreams.config.LearnerChoice choice = new io.rnnstreams.config.LearnerChoice(
                io.rnnstreams.config.LearnerChoice.Kind.HYBRID, period, 8);
        StreamSettings settings = new StreamSettings(List.of(TopologyFixture.INPUT), null, TopologyFixture.PREDICTIONS,
                TopologyFixture.DLQ, ModelScope.SHARED, learner, 1, Duration.ofHours(1), 3.0, Duration.ofDays(1),
                Duration.ofHours(1), 1e12, DetectorConfig.DEFAULTS, 10, null).withLearnerChoice(choice);
        try (TopologyFixture f = new TopologyFixture(settings, dir.resolve("hybrid"))) {
            for (int t = 0; t < 40; t++) {
                f.send("s", TopologyFixture.time(t), Math.sin(t * 0.3));
            }
            KeyState keyState = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE).get("s");
            ModelState modelState = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE)
                    .get(ModelScope.SHARED.storeKey("s"));
            int keyBytes = KEY_STATES.encode(keyState).length + "s".length();
            int modelBytes = MODELS.encode(modelState).length;
            io.rnnstreams.learner.HybridForecaster hybrid = new io.rnnstreams.learner.HybridForecaster(
                    ModelScope.SHARED, settings.modelConfig(), period, 8, true,
                    io.rnnstreams.learner.ModelRepository.inMemory(), 1);
            io.rnnstreams.eval.StateSize size = hybrid.keyStateSize();
            System.out.printf("| hybrid, %s D=1 H=%d k1=k2=16, m=%d, AR(8), scope shared | %,d B | %,d B "
                    + "(learner's state %s) | model %,d B per training |%n", cell, hidden, period, keyBytes, keyBytes,
                    size, modelBytes);
            long numbers = 8 * size.doubles() + 4 * size.floats() + 2 * size.halves();
            // the learner's state (HybridForecaster.keyStateSize) per H without a period: 1,218 B at H = 32 (the
            // former default), 1,090 B at H = 16 (the default since h16; tput18i's figures): 4H halves (the
            // corrector's hidden and cell state and their anchor) depend on H, the rest does not
            // a GRU keeps no cell state: 2H halves instead of 4H (1,026 B at H = 16, the default since h16g)
            if (period == 0) {
                int expected = cell == CellType.LSTM ? (hidden == 16 ? 1_090 : 1_218) : (hidden == 16 ? 1_026 : 1_090);
                assertEquals(expected, size.bytes(), cell + ": the learner's key state at H = " + hidden);
            }
            // the sensor's part (detector 15 + 5D + D(D + 1)/2, error sums 2D, score 1, prediction intervals 1 + 3D:
            // 29 doubles at D = 1), the counters and intervals as varints, the record's framing and empty plain-RNN
            // fields
            long rest = keyBytes - numbers - 8 * 29;
            assertTrue(rest > 0 && rest < 80, "key state = the learner's numbers + the sensor's + a small overhead, got "
                    + rest + " bytes over");
            // issue 18: a key's state with the default settings (no period) within 1.5 KB per reading at H = 32;
            // with period 24 it is over by ~40 B (the gain's five candidate errors, the seq2seq and smoother fields'
            // null markers, the lattice snap's 2 floats, the detector's layout 3 (two doubles of the current event)
            // and layout 4 (one double: the standing alarm's peak surprise, 1,573 -> 1,581 B) came after the cut,
            // and layout 5 (D + 1 doubles: the change test's event level and its count, 1,581 -> 1,597 B; the
            // default's 1,410 -> 1,426 B), bounded here so that it cannot grow unseen
            int limit = period == 0 ? 1_536 : 1_600;
            assertTrue(keyBytes <= limit, "the hybrid's key state record is " + keyBytes + " bytes, over " + limit);

            // later the counters (reading counts, model version, error count) are wider varints: 2 bytes each
            // from 64, 3 from 8,192
            for (int t = 40; t < 10_000; t++) {
                f.send("s", TopologyFixture.time(t), Math.sin(t * 0.3));
            }
            int later = KEY_STATES.encode(f.driver.<String, KeyState>getKeyValueStore(
                    ForecastTopology.KEY_STATE_STORE).get("s")).length + "s".length();
            System.out.printf("| hybrid, %s H=%d, m=%d, after 10,000 readings | %,d B |%n", cell, hidden, period,
                    later);
            if (period == 0) {
                assertTrue(later <= 1_536, "the default's key state record is " + later + " bytes after 10,000 readings");
            }
        }
    }

    /**
     * {@code rnn.forecast.mode=seq2seq} at D = 1 and 8, H = 32 (LSTM, k1 = k2 = 16), N = 24, scope key: the key
     * state record after 60 readings, the encoder-decoder's model record (one per training) and the prediction
     * (the decoder's N forecasts in its horizon). Prints the figures for docs/stream.md; asserts the key state is
     * the encoder-decoder's state ({@code Seq2SeqState.storedDoubles}) plus the sensor's part and a small overhead.
     */
    @Test
    void seq2seqKeyState() {
        for (int d : new int[] {1, 8}) {
            LearnerConfig learner = lstm(d, 32);
            StreamSettings settings = new StreamSettings(List.of(TopologyFixture.INPUT), null,
                    TopologyFixture.PREDICTIONS, TopologyFixture.DLQ, ModelScope.KEY, learner, 24, Duration.ofHours(1),
                    3.0, Duration.ofDays(1), Duration.ofHours(1), 1e12, DetectorConfig.DEFAULTS, 10, null)
                    .withForecastMode(io.rnnstreams.config.ForecastMode.SEQ2SEQ);
            try (TopologyFixture f = new TopologyFixture(settings, dir.resolve("seq2seq-" + d))) {
                for (int t = 0; t < 60; t++) {
                    double[] x = new double[d];
                    for (int i = 0; i < d; i++) {
                        x[i] = Math.sin(t * 0.3 + i);
                    }
                    f.send("s", TopologyFixture.time(t), x);
                }
                List<TestRecord<String, byte[]>> out = f.predictions.readRecordsToList();
                int prediction = out.get(out.size() - 1).value().length;
                KeyState keyState = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE)
                        .get("s");
                ModelState modelState = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE)
                        .get("s");
                int keyBytes = KEY_STATES.encode(keyState).length + "s".length();
                int modelBytes = MODELS.encode(modelState).length + "s".length();
                io.rnnstreams.model.Seq2SeqState state = new io.rnnstreams.model.Seq2SeqState(settings.seq2seqConfig());
                long parameters = RecordSizes.parameterCount(settings);
                System.out.printf("| seq2seq N=24, LSTM D=%d H=32 k1=k2=16, scope key | %,d | %,d B | %,d B | %,d B "
                        + "| %,.0f B |%n", d, parameters, keyBytes, modelBytes, prediction,
                        keyBytes + (double) modelBytes / learner.k1());
                // the sensor's part as in the test below: detector, error sums, score, interval quantiles
                long sensor = 15 + 5 * d + d * (d + 1) / 2 + 2 * d + 1 + 1 + 3 * d;
                long overhead = keyBytes - 8 * (state.storedDoubles() + sensor);
                assertTrue(overhead > 0 && overhead < 128, "key state = the encoder-decoder's doubles + the sensor's "
                        + "+ a small overhead, got " + overhead + " bytes over");
                long modelOverhead = modelBytes - 8 * 3 * parameters;
                assertTrue(modelOverhead > 0 && modelOverhead < 352, "model state = 3P doubles + the settings it was "
                        + "trained under (~330 bytes with architecture=seq2seq(N=24,corrects=persistence+level,"
                        + "combine=min-variance,gain=chosen)), got " + modelOverhead);
            }
        }
    }

    /**
     * {@code rnn.smoothing.lag} = 3 and 10 at D = 1, H = 32 (LSTM, k1 = k2 = 16), scope key: the key state's
     * {@code smoother} field (the same record with it null subtracted) and the smoother's model record (one per
     * training). Prints the figures for docs/stream.md; asserts the field is the smoother's doubles
     * ({@code SmootherState.storedDoubles}) plus the lagged detector's and the lagged verdict's ({@code LaggedVerdict.stateSize}: {@code 3L + 15}) and a small
     * overhead (counters as varints, the L + 1 event times).
     */
    @Test
    void smootherKeyState() {
        for (int lag : new int[] {3, 10}) {
            LearnerConfig learner = lstm(1, 32);
            StreamSettings settings = new StreamSettings(List.of(TopologyFixture.INPUT), null,
                    TopologyFixture.PREDICTIONS, TopologyFixture.DLQ, ModelScope.KEY, learner, 1, Duration.ofHours(1),
                    3.0, Duration.ofDays(1), Duration.ofHours(1), 1e12, DetectorConfig.DEFAULTS, 10, null)
                    .withSmoothing(new io.rnnstreams.config.Smoothing(lag, "lagged"));
            try (TopologyFixture f = new TopologyFixture(settings, dir.resolve("smoother-" + lag))) {
                for (int t = 0; t < 60; t++) {
                    f.send("s", TopologyFixture.time(t), Math.sin(t * 0.3));
                }
                KeyState keyState = f.driver.<String, KeyState>getKeyValueStore(ForecastTopology.KEY_STATE_STORE)
                        .get("s");
                ModelState model = f.driver.<String, ModelState>getKeyValueStore(
                        ForecastTopology.SMOOTHER_MODEL_STORE).get("s");
                int keyBytes = KEY_STATES.encode(keyState).length + "s".length();
                int withoutSmoother = KEY_STATES.encode(KeyState.newBuilder(keyState).setSmoother(null).build()).length
                        + "s".length();
                int modelBytes = MODELS.encode(model).length + "s".length();
                io.rnnstreams.model.SmootherState state = new io.rnnstreams.model.SmootherState(
                        settings.smootherConfig());
                long detector = io.rnnstreams.eval.detection.AnomalyDetector.initialState(1).length
                        + io.rnnstreams.eval.detection.LaggedVerdict.stateSize(lag);
                System.out.printf("| smoothing L=%d, LSTM D=1 H=32 k1=k2=16, scope key | key state %,d B (smoother %,d B) "
                        + "| smoother model %,d B per training |%n", lag, keyBytes, keyBytes - withoutSmoother, modelBytes);
                long overhead = keyBytes - withoutSmoother - 8 * (state.storedDoubles() + detector);
                assertTrue(overhead > 0 && overhead < 64 + 8 * (lag + 1), "smoother field = its doubles + the "
                        + "detector's + the lagged score's + a small overhead, got " + overhead + " bytes over");
            }
        }
    }

    @Test
    void keyStateIsProportionalToHiddenStateAndWindowNotToParameters() {
        System.out.println("| model | P | key state / reading | model state / training | prediction | "
                + "changelog bytes / reading, upper bound |");
        System.out.println("|---|---|---|---|---|---|");
        Figures[] figures = new Figures[4];
        int[][] shapes = {{1, 32}, {8, 32}, {1, 64}, {8, 128}};
        for (int s = 0; s < shapes.length; s++) {
            LearnerConfig learner = lstm(shapes[s][0], shapes[s][1]);
            Figures f = measure(learner, "m" + s);
            figures[s] = f;
            System.out.printf("| LSTM D=%d H=%d k1=k2=16 | %,d | %,d B | %,d B | %,d B | %,.0f B |%n", shapes[s][0],
                    shapes[s][1], f.parameters(), f.keyState(), f.modelState(), f.prediction(), f.perReading());
        }
        // the key state holds hidden state and anchor (2 x 2H doubles for an LSTM), the window (k2 x 2D),
        // the normaliser and last input/forecast (4D), the anomaly detector (15 + 5D + D(D+1)/2), the prequential error sums
        // (2D), the last anomaly score (1) and the prediction intervals' error quantiles (1 + 3D): no weights; the
        // overhead includes the gap rule's 6 intervals (varint longs, a few bytes each)
        for (int s = 0; s < shapes.length; s++) {
            int d = shapes[s][0];
            int h = shapes[s][1];
            int doubles = 2 * 2 * h + 16 * 2 * d + 4 * d + 15 + 5 * d + d * (d + 1) / 2 + 2 * d + 1 + 1 + 3 * d;
            int overhead = figures[s].keyState() - 8 * doubles;
            assertTrue(overhead > 0 && overhead < 96, "key state = its doubles + a small fixed overhead, got "
                    + overhead + " bytes over " + doubles + " doubles");
            // the weights and Adam moments are 3P doubles; the overhead is mostly the settings the model was
            // trained under (learner.ModelIdentity, ~190 bytes)
            assertEquals(0, (figures[s].modelState() - 8 * 3 * figures[s].parameters()) / 256,
                    "model state = 3P doubles + a small fixed overhead");
        }
        // H 32 -> 64 (D = 1): the key state grows by 2 x 2 x 32 doubles; the parameters grow about 3.7x
        assertEquals(8 * 2 * 2 * 32, figures[2].keyState() - figures[0].keyState(), 8);
        assertTrue(figures[2].parameters() > 3.5 * figures[0].parameters());
    }
}
