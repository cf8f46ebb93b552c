package io.rnnstreams.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.eval.AnomalyScore;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Key state of layout 0 ({@code KeyState-v0.avsc}, before {@code errorStats} and {@code modelVersion}) is read
 * by the store's codec and continues the sequence exactly. (Through a broker's changelog: StateUpgradeIT.)
 */
class StateCodecHistoryTest {
    private static final LearnerConfig CONFIG = LearnerConfig.builder()
            .network(NetworkConfig.builder().inputSize(2).hiddenSizes(8).cellType(CellType.LSTM).build())
            .k1(4).k2(8).build();

    private static double[] reading(int t) {
        return new double[] {Math.sin(t * 0.2) * 3 + 10, Math.cos(t * 0.05)};
    }

    @Test
    void layoutZeroStateDecodesAndContinuesTheSequenceBitForBit() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 100; t++) {
            original.observe(reading(t));
        }
        Learner.LearnerSnapshot snapshot = original.exportState();
        KeyState current = StateCodec.keyState(snapshot.sequence(), 1_700_000_000_000L,
                new double[AnomalyScore.STATE_SIZE], 0);
        byte[] v0Bytes = asLayoutZero(current);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(KeyState.class).decode(v0Bytes),
                "a codec without the history cannot read it");
        KeyState decoded = StateCodec.keyStateCodec().decode(v0Bytes);
        assertEquals(0, decoded.getStateVersion());
        assertEquals(0, decoded.getErrorStats().remaining());
        assertEquals(0L, decoded.getModelVersion());
        assertEquals(100L, decoded.getReadings());

        Learner resumed = Learner.restore(CONFIG, new Learner.LearnerSnapshot(snapshot.model(),
                StateCodec.sequence(decoded)));
        for (int t = 100; t < 150; t++) {
            assertArrayEquals(original.observe(reading(t)).forecast(), resumed.observe(reading(t)).forecast(), 0.0,
                    "reading " + t);
        }
    }

    /**
     * Key state written before the anomaly detector ({@code KeyState-v1.avsc}: no {@code detectorState}, no
     * {@code intervals}) decodes, its old anomaly statistics are ignored, and the detector and the gap rule
     * start afresh while the sequence and the error sums carry on.
     */
    @Test
    void stateWrittenBeforeTheDetectorDecodesWithAFreshDetector() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 30; t++) {
            original.observe(reading(t));
        }
        KeyState current = StateCodec.keyState(original.exportState().sequence(), 1_700_000_000_000L,
                new double[] {30, 0.5, 0.25, 0.5}, 4);
        current.setErrorCount(29L);
        current.setErrorAbsSum(io.rnnstreams.avro.PackedDoubles.wrap(new double[] {2.0, 3.0}));
        current.setErrorSquaredSum(io.rnnstreams.avro.PackedDoubles.wrap(new double[] {4.0, 5.0}));
        byte[] v1Bytes = encode(current, StateCodec.KEY_STATE_HISTORY.get(1), 1);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(KeyState.class).decode(v1Bytes),
                "a codec without the history cannot read it");
        KeyState decoded = StateCodec.keyStateCodec().decode(v1Bytes);
        assertEquals(0, decoded.getDetectorState().remaining());
        assertEquals(java.util.List.of(), decoded.getIntervals());
        io.rnnstreams.learner.SensorState sensor = StateCodec.sensorState(decoded, 2);
        assertArrayEquals(io.rnnstreams.eval.detection.AnomalyDetector.initialState(2), sensor.detectorState(), 0.0);
        assertEquals(29L, sensor.scoredReadings());
        assertArrayEquals(new double[] {2.0, 3.0}, sensor.errorAbsSum(), 0.0);
        assertEquals(4L, sensor.modelVersion());
        assertEquals(30L, StateCodec.sequence(decoded).readings());
    }

    /**
     * Key state written before the hybrid learner's fields ({@code KeyState-v2.avsc}) decodes with them
     * empty: it holds no hybrid state, and the plain RNN's sequence carries on bit for bit.
     */
    @Test
    void stateWrittenBeforeTheHybridFieldsDecodesWithoutHybridState() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 40; t++) {
            original.observe(reading(t));
        }
        Learner.LearnerSnapshot snapshot = original.exportState();
        KeyState current = StateCodec.keyState(snapshot.sequence(), io.rnnstreams.learner.SensorState.first(2));
        byte[] bytes = encode(current, StateCodec.KEY_STATE_HISTORY.get(2), 1);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(KeyState.class).decode(bytes),
                "a codec without the history cannot read it");
        KeyState decoded = StateCodec.keyStateCodec().decode(bytes);
        assertEquals(null, StateCodec.hybrid(decoded));
        assertEquals(true, StateCodec.hasSequence(decoded));
        Learner resumed = Learner.restore(CONFIG, new Learner.LearnerSnapshot(snapshot.model(),
                StateCodec.sequence(decoded)));
        for (int t = 40; t < 60; t++) {
            assertArrayEquals(original.observe(reading(t)).forecast(), resumed.observe(reading(t)).forecast(), 0.0,
                    "reading " + t);
        }
    }

    /**
     * Key state written before the encoder-decoder's field ({@code KeyState-v3.avsc}) decodes without it: it holds
     * no seq2seq state, and the plain RNN's sequence carries on bit for bit. An encoder-decoder's state
     * round-trips through the current schema and continues bit for bit.
     */
    @Test
    void stateWrittenBeforeTheSeq2SeqFieldDecodesWithoutItAndSeq2SeqStateRoundTrips() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 40; t++) {
            original.observe(reading(t));
        }
        Learner.LearnerSnapshot snapshot = original.exportState();
        KeyState current = StateCodec.keyState(snapshot.sequence(), io.rnnstreams.learner.SensorState.first(2));
        byte[] bytes = encode(current, StateCodec.KEY_STATE_HISTORY.get(3), 1);
        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(KeyState.class).decode(bytes),
                "a codec without the history cannot read it");
        KeyState decoded = StateCodec.keyStateCodec().decode(bytes);
        assertEquals(null, StateCodec.seq2seq(decoded));
        Learner resumed = Learner.restore(CONFIG, new Learner.LearnerSnapshot(snapshot.model(),
                StateCodec.sequence(decoded)));
        for (int t = 40; t < 60; t++) {
            assertArrayEquals(original.observe(reading(t)).forecast(), resumed.observe(reading(t)).forecast(), 0.0,
                    "reading " + t);
        }

        io.rnnstreams.model.Seq2SeqConfig config = new io.rnnstreams.model.Seq2SeqConfig(CONFIG, 5);
        io.rnnstreams.model.Seq2SeqLearner learner = new io.rnnstreams.model.Seq2SeqLearner(config);
        for (int t = 0; t < 37; t++) {
            learner.observe(reading(t));
        }
        KeyState written = StateCodec.seq2seqKeyState(learner.sequence().exportState(),
                io.rnnstreams.learner.SensorState.first(2), new double[0]);
        KeyState read = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(written));
        assertEquals(false, StateCodec.hasSequence(read));
        assertEquals(null, StateCodec.hybrid(read));
        io.rnnstreams.model.Seq2SeqState restored = new io.rnnstreams.model.Seq2SeqState(config);
        restored.importState(StateCodec.seq2seq(read));
        io.rnnstreams.model.Seq2SeqForecaster forecaster = new io.rnnstreams.model.Seq2SeqForecaster(config);
        io.rnnstreams.model.EncoderDecoderModel model = new io.rnnstreams.model.EncoderDecoderModel(config);
        model.importState(learner.model().exportState());
        for (int t = 37; t < 60; t++) {
            assertArrayEquals(learner.observe(reading(t)).forecast(),
                    forecaster.observe(model, restored, reading(t)).forecast(), 0.0, "reading " + t);
            assertArrayEquals(learner.forecast(5)[4], forecaster.forecast(restored, 5)[4], 0.0, "reading " + t);
        }
    }

    /**
     * A plain encoder-decoder's key state as written before the corrected one's {@code seq2seq.correction}
     * ({@code KeyState-v4.avsc}, today's main) decodes, with an empty correction, and the plain encoder-decoder
     * continues from it bit for bit; the corrected encoder-decoder that {@code rnn.forecast.mode=seq2seq} serves
     * ({@code StreamSettings.seq2seqConfig}) does not adopt it: importing it is refused with a message saying so, and
     * at start-up the stored-model check refuses the plain model (its architecture differs), naming the setting and
     * the reset. (Shown failing once with the importer's check removed: the refusal was then a "window inputs"
     * length mismatch that named neither.)
     */
    @Test
    void aPlainSeq2SeqStateWrittenBeforeTheCorrectionDecodesAndIsRefusedByTheCorrectedOne() throws Exception {
        io.rnnstreams.model.Seq2SeqConfig plain = new io.rnnstreams.model.Seq2SeqConfig(CONFIG, 5);
        io.rnnstreams.model.Seq2SeqLearner learner = new io.rnnstreams.model.Seq2SeqLearner(plain);
        for (int t = 0; t < 37; t++) {
            learner.observe(reading(t));
        }
        KeyState written = StateCodec.seq2seqKeyState(learner.sequence().exportState(),
                io.rnnstreams.learner.SensorState.first(2), new double[0]);
        byte[] bytes = encode(written, StateCodec.KEY_STATE_HISTORY.get(4), StateCodec.STATE_VERSION);
        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(KeyState.class).decode(bytes),
                "a codec without the history cannot read it");
        KeyState decoded = StateCodec.keyStateCodec().decode(bytes);
        io.rnnstreams.model.SequenceSnapshot stored = StateCodec.seq2seq(decoded);
        assertEquals(0, stored.windowTargets().length, "no correction before the field");

        io.rnnstreams.model.Seq2SeqState restored = new io.rnnstreams.model.Seq2SeqState(plain);
        restored.importState(stored);
        io.rnnstreams.model.Seq2SeqForecaster forecaster = new io.rnnstreams.model.Seq2SeqForecaster(plain);
        io.rnnstreams.model.EncoderDecoderModel model = new io.rnnstreams.model.EncoderDecoderModel(plain);
        model.importState(learner.model().exportState());
        for (int t = 37; t < 50; t++) {
            assertArrayEquals(learner.observe(reading(t)).forecast(),
                    forecaster.observe(model, restored, reading(t)).forecast(), 0.0, "reading " + t);
        }

        io.rnnstreams.config.StreamSettings settings = TopologyFixture.settings(io.rnnstreams.learner.ModelScope.KEY, 5)
                .withForecastMode(io.rnnstreams.config.ForecastMode.SEQ2SEQ);
        io.rnnstreams.model.Seq2SeqConfig served = settings.seq2seqConfig();
        assertTrue(served.corrected());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new io.rnnstreams.model.Seq2SeqState(served).importState(stored));
        assertTrue(e.getMessage().contains("written by the plain encoder-decoder") && e.getMessage().contains(
                "does not adopt it; reset the application's state"), e.getMessage());

        io.rnnstreams.learner.ModelIdentity.Difference d = settings.modelIdentity().compare(
                io.rnnstreams.learner.ModelIdentity.of(new io.rnnstreams.model.Seq2SeqConfig(settings.learner(), 5),
                        io.rnnstreams.learner.ModelScope.KEY).encode(), true);
        assertFalse(d.compatible());
        String refusal = StoredModelCheck.refusal(d.required());
        assertTrue(refusal.contains("the architecture (rnn.forecast.mode, rnn.forecast.horizon, rnn.forecast.period, "
                + "rnn.smoothing.lag) seq2seq(N=5) -> seq2seq(N=5,corrects=persistence+level,"
                + "combine=min-variance,gain=chosen)"), refusal);
        assertTrue(refusal.contains("kafka-streams-application-reset.sh"), refusal);
    }

    /**
     * The key state of the corrected encoder-decoder that {@code rnn.forecast.mode=seq2seq} served before the
     * minimum-variance combination and the chosen gain (persistence and a smoothed level weighted by their own errors,
     * the fitted gain: branch s2s14c) decodes through today's schema (the correction is the same bytes field, only
     * longer now), and the served configuration refuses it: importing it names the lengths and the reset, and at
     * start-up the stored-model check refuses its model (the architecture differs), naming the setting and the reset.
     * (Shown failing once with the importer's length check removed: the refusal was then a "window targets" length
     * mismatch that named neither.)
     */
    @Test
    void theEarlierServedCorrectedStateIsRefusedByTheMinimumVarianceOne() throws Exception {
        io.rnnstreams.config.StreamSettings settings = TopologyFixture.settings(io.rnnstreams.learner.ModelScope.KEY, 5)
                .withForecastMode(io.rnnstreams.config.ForecastMode.SEQ2SEQ);
        io.rnnstreams.model.Seq2SeqConfig earlier = io.rnnstreams.model.Seq2SeqConfig.corrected(settings.learner(), 5,
                false, 0).withLevel(io.rnnstreams.model.Seq2SeqConfig.Level.BOTH);
        io.rnnstreams.model.Seq2SeqLearner learner = new io.rnnstreams.model.Seq2SeqLearner(earlier);
        for (int t = 0; t < 37; t++) {
            learner.observe(reading(t));
        }
        KeyState written = StateCodec.seq2seqKeyState(learner.sequence().exportState(),
                io.rnnstreams.learner.SensorState.first(2), new double[0]);
        KeyState decoded = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(written));
        io.rnnstreams.model.SequenceSnapshot stored = StateCodec.seq2seq(decoded);
        io.rnnstreams.model.Seq2SeqConfig served = settings.seq2seqConfig();
        assertEquals(io.rnnstreams.model.Seq2SeqConfig.Combination.MIN_VARIANCE, served.combination());
        assertEquals(io.rnnstreams.model.Seq2SeqConfig.GainRule.CHOSEN, served.gainRule());
        io.rnnstreams.model.Seq2SeqState earlierState = new io.rnnstreams.model.Seq2SeqState(earlier);
        earlierState.importState(stored);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new io.rnnstreams.model.Seq2SeqState(served).importState(stored));
        assertTrue(e.getMessage().startsWith("this key state's horizon correction holds "
                + io.rnnstreams.model.HorizonCorrection.size(earlier) + " doubles where this corrected encoder-decoder "
                + "keeps " + io.rnnstreams.model.HorizonCorrection.size(served)) && e.getMessage().contains(
                "reset the application's state"), e.getMessage());

        io.rnnstreams.learner.ModelIdentity.Difference d = settings.modelIdentity().compare(
                io.rnnstreams.learner.ModelIdentity.of(earlier, io.rnnstreams.learner.ModelScope.KEY).encode(), true);
        assertFalse(d.compatible());
        String refusal = StoredModelCheck.refusal(d.required());
        assertTrue(refusal.contains("seq2seq(N=5,corrects=persistence+level) -> seq2seq(N=5,corrects=persistence+level,"
                + "combine=min-variance,gain=chosen)"), refusal);
        assertTrue(refusal.contains("kafka-streams-application-reset.sh"), refusal);
    }

    /** A hybrid learner's compact state round-trips through the current schema bit for bit. */
    @Test
    void hybridStateRoundTripsThroughTheCodec() {
        io.rnnstreams.model.CompactState state = new io.rnnstreams.model.CompactState(
                new double[] {Math.PI, -0.0, Double.MIN_VALUE}, new float[] {1.5f, Float.NaN, -3e-30f},
                new short[] {0x3c00, (short) 0xfbff, 0x7e00, 1}, new long[] {0, 1, Long.MAX_VALUE});
        KeyState written = StateCodec.keyState(state, io.rnnstreams.learner.SensorState.first(1));
        KeyState read = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(written));
        assertEquals(state, StateCodec.hybrid(read));
        assertEquals(false, StateCodec.hasSequence(read));
    }

    /**
     * Hybrid key state written before {@code hybridHalves} ({@code KeyState-v3.avsc}) decodes with no halves: the
     * engine reads that layout (its recurrent part in {@code hybridValues}; {@code HybridForecasterTest}).
     */
    @Test
    void hybridStateWrittenBeforeTheHalvesDecodesWithoutHalves() throws Exception {
        io.rnnstreams.model.CompactState old = new io.rnnstreams.model.CompactState(new double[] {Math.PI},
                new float[] {1.5f, -2.25f}, new long[] {1, 7});
        KeyState current = StateCodec.keyState(old, io.rnnstreams.learner.SensorState.first(1));
        byte[] bytes = encode(current, StateCodec.KEY_STATE_HISTORY.get(3), StateCodec.STATE_VERSION);

        assertThrows(UndecodableRecordException.class, () -> SingleObjectCodec.of(KeyState.class).decode(bytes),
                "a codec without the history cannot read it");
        KeyState decoded = StateCodec.keyStateCodec().decode(bytes);
        assertEquals(0, decoded.getHybridHalves().remaining());
        assertEquals(old, StateCodec.hybrid(decoded));
    }

    /**
     * A detector state of layout 2 (as written before the end-of-event rule: {@code D + 4} doubles fewer than layout
     * 5, mark -2) decodes with everything it learned kept, no event under way, (its alarm armed) no peak surprise, and
     * the change test's event level at the short mean with its hold over.
     */
    @Test
    void detectorStateOfLayoutTwoKeepsWhatItLearned() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 30; t++) {
            original.observe(reading(t));
        }
        io.rnnstreams.eval.detection.AnomalyDetector detector = new io.rnnstreams.eval.detection.AnomalyDetector(
                io.rnnstreams.eval.detection.DetectorConfig.DEFAULTS, 2);
        double[] current = detector.newState();
        for (int t = 0; t < 150; t++) {
            detector.update(current, reading(t), t == 0 ? null : new double[] {0.1, -0.1});
        }
        assertFalse(io.rnnstreams.eval.detection.AnomalyDetector.alarmActive(current), "the alarm is armed");
        double[] layoutTwo = java.util.Arrays.copyOf(current, current.length - 6);
        layoutTwo[0] = -2.0;
        KeyState old = StateCodec.keyState(original.exportState().sequence(), 1_700_000_000_000L,
                new double[0], 4);
        old.setDetectorState(io.rnnstreams.avro.PackedDoubles.wrap(layoutTwo));
        KeyState decoded = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(old));
        double[] restored = StateCodec.sensorState(decoded, 2).detectorState();
        double[] expected = current.clone();
        int change = expected.length - 3; // layout 5's change test: the event level (2), the readings since (1)
        expected[change - 3] = 0;
        expected[change - 2] = 0;
        expected[change - 1] = 0;
        expected[change] = current[11 + 1]; // the short means
        expected[change + 1] = current[11 + 4 + 1];
        expected[change + 2] = 1e9;
        assertArrayEquals(expected, restored, 0.0);
    }

    /**
     * A detector state of layout 3 (as written before the escalation re-alarm: {@code D + 2} doubles fewer than
     * layout 5, mark -3) decodes with everything kept; an alarm standing in it keeps standing with an unknown peak
     * ({@code AlarmGate.UNKNOWN_PEAK}: that event raises no re-alarm on escalation), its change test's event level at
     * the short mean. A state of layout 4 ({@code D + 1} fewer, mark -4) keeps its peak.
     */
    @Test
    void detectorStateOfLayoutThreeKeepsItsStandingAlarm() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 30; t++) {
            original.observe(reading(t));
        }
        io.rnnstreams.eval.detection.AnomalyDetector detector = new io.rnnstreams.eval.detection.AnomalyDetector(
                io.rnnstreams.eval.detection.DetectorConfig.DEFAULTS, 2);
        double[] current = detector.newState();
        for (int t = 0; t < 300; t++) {
            detector.update(current, reading(t), t == 0 ? null : new double[] {0.1, -0.1});
        }
        assertTrue(detector.update(current, new double[] {50, -50}, new double[] {50, -50}).alarm(), "an alarm");
        double[] layoutThree = java.util.Arrays.copyOf(current, current.length - 4);
        layoutThree[0] = -3.0;
        KeyState old = StateCodec.keyState(original.exportState().sequence(), 1_700_000_000_000L,
                new double[0], 4);
        old.setDetectorState(io.rnnstreams.avro.PackedDoubles.wrap(layoutThree));
        KeyState decoded = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(old));
        double[] restored = StateCodec.sensorState(decoded, 2).detectorState();
        double[] expected = current.clone();
        int change = expected.length - 3;
        expected[change - 1] = io.rnnstreams.eval.detection.AlarmGate.UNKNOWN_PEAK;
        expected[change] = current[11 + 1];
        expected[change + 1] = current[11 + 4 + 1];
        expected[change + 2] = 1e9;
        assertArrayEquals(expected, restored, 0.0);
        assertTrue(io.rnnstreams.eval.detection.AnomalyDetector.alarmActive(restored), "the alarm still stands");

        double[] layoutFour = java.util.Arrays.copyOf(current, current.length - 3);
        layoutFour[0] = -4.0;
        old.setDetectorState(io.rnnstreams.avro.PackedDoubles.wrap(layoutFour));
        double[] fromFour = StateCodec.sensorState(StateCodec.keyStateCodec().decode(
                StateCodec.keyStateCodec().encode(old)), 2).detectorState();
        expected[change - 1] = current[change - 1];
        assertTrue(expected[change - 1] > 0, "layout 4 kept the standing alarm's peak");
        assertArrayEquals(expected, fromFour, 0.0);
    }

    /**
     * A detector state of layout 1 (as written before the joint level test: {@code 7 + 7 D} doubles, count
     * first) decodes with a fresh detector of the current layout, which warms up again, while the error sums
     * carry on; a state of the current layout comes back unchanged.
     */
    @Test
    void detectorStateOfTheOldLayoutStartsAFreshDetector() throws Exception {
        Learner original = new Learner(CONFIG);
        for (int t = 0; t < 30; t++) {
            original.observe(reading(t));
        }
        double[] layoutOne = new double[7 + 7 * 2];
        java.util.Arrays.fill(layoutOne, 0.5);
        layoutOne[0] = 500; // readings learned
        KeyState old = StateCodec.keyState(original.exportState().sequence(), 1_700_000_000_000L,
                new double[0], 4);
        old.setDetectorState(io.rnnstreams.avro.PackedDoubles.wrap(layoutOne));
        old.setErrorCount(29L);
        old.setErrorAbsSum(io.rnnstreams.avro.PackedDoubles.wrap(new double[] {2.0, 3.0}));
        old.setErrorSquaredSum(io.rnnstreams.avro.PackedDoubles.wrap(new double[] {4.0, 5.0}));
        KeyState decoded = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(old));
        io.rnnstreams.learner.SensorState sensor = StateCodec.sensorState(decoded, 2);
        assertArrayEquals(io.rnnstreams.eval.detection.AnomalyDetector.initialState(2), sensor.detectorState(), 0.0);
        assertEquals(29L, sensor.scoredReadings());

        io.rnnstreams.eval.detection.AnomalyDetector detector = new io.rnnstreams.eval.detection.AnomalyDetector(
                io.rnnstreams.eval.detection.DetectorConfig.DEFAULTS, 2);
        double[] current = detector.newState();
        for (int t = 0; t < 150; t++) {
            detector.update(current, reading(t), t == 0 ? null : new double[] {0.1, -0.1});
        }
        io.rnnstreams.learner.SensorState kept = io.rnnstreams.learner.SensorState.restore(2, 1_700_000_000_000L, 4,
                0.0, current, new long[0], 0, new double[0], new double[0]);
        KeyState roundTrip = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(
                StateCodec.keyState(original.exportState().sequence(), kept)));
        assertArrayEquals(current, StateCodec.sensorState(roundTrip, 2).detectorState(), 0.0);
    }

    /** {@code state} written with the history schema {@code resource} and the given stateVersion. */
    private static byte[] encode(KeyState state, String resource, int stateVersion) throws Exception {
        Schema schema;
        try (InputStream in = StateCodec.class.getClassLoader().getResourceAsStream(resource)) {
            schema = new Schema.Parser().parse(in);
        }
        GenericRecord r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            Object value = state.get(f.name());
            r.put(f.name(), value instanceof java.time.Instant i ? i.toEpochMilli() : value);
        }
        r.put("stateVersion", stateVersion);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    /** {@code state} written as a layout-0 build would have: the v0 schema, stateVersion 0, no added fields. */
    /**
     * A smoother state written before the lagged score (its exact doubles without the lagged verdict's
     * {@code 3L + 15} at their end) decodes through the store's codec and keeps the smoother and the lagged
     * detector: its judgements equal, bit for bit, those of the same state written with the lagged verdict; the lagged
     * score starts afresh (0 for the first {@code L} judgements, then the same as the other's once both hold the last
     * {@code L + 1} online scores).
     */
    @Test
    void smootherStateWrittenBeforeTheLaggedScoreKeepsTheSmoother() throws Exception {
        int lag = 3;
        int cut = io.rnnstreams.eval.detection.LaggedVerdict.stateSize(lag);
        int nonZero = continueFromATruncatedState(lag, cut, (t, x, y) -> {
            if (t < 40 + lag) {
                assertEquals(0.0, y.score(), 0.0, "the lagged score starts afresh");
            } else {
                assertEquals(x.score(), y.score(), 0.0);
            }
        });
        org.junit.jupiter.api.Assertions.assertTrue(nonZero > 0, "no lagged score compared was above 0");
    }

    /**
     * A smoother state written with the lagged score but before its onset dating and lagged alarm (its exact doubles
     * end with the lagged score's {@code L + 2}: {@code LaggedOutput} v2's build) decodes through the store's codec,
     * keeps the smoother, the lagged detector and the lagged score bit for bit, and starts the signals, the dating
     * and the alarm's gate afresh: dated 0 for the first {@code L} judgements (no online score seen to date from),
     * then each judgement's dated score at least its score. Planted bug, seen failing: a restore without the case
     * of the lagged score's doubles alone (reading a whole verdict's) threw "compact state too short", i.e. the key's
     * smoother would have started afresh.
     */
    @Test
    void smootherStateWrittenBeforeTheLaggedAlarmKeepsTheLaggedScore() throws Exception {
        int lag = 3;
        int cut = io.rnnstreams.eval.detection.LaggedVerdict.stateSize(lag)
                - io.rnnstreams.eval.detection.LaggedScore.stateSize(lag);
        int nonZero = continueFromATruncatedState(lag, cut, (t, x, y) -> {
            assertEquals(x.score(), y.score(), 0.0, "the lagged score continues at " + t);
            if (t < 40 + lag) {
                assertEquals(0.0, y.dated(), 0.0, "the dating starts afresh");
            } else {
                org.junit.jupiter.api.Assertions.assertTrue(y.datedEvidence() >= y.evidence());
            }
        });
        org.junit.jupiter.api.Assertions.assertTrue(nonZero > 0, "no lagged score compared was above 0");
    }

    /**
     * A smoother state written before the lagged scores' ranking (its lagged verdict of {@code 3L + 11} doubles:
     * {@code lag14f}, {@code lag14g}) decodes through the store's codec, keeps the smoother, the lagged detector and
     * the whole verdict bit for bit (scores before the ranking, dated, signals, alarms) and starts the ranking afresh:
     * each ranked score is on the same side of the threshold as the continued state's. Planted bug, seen failing: a
     * {@code readPrefix} that knew only the current layout and the lagged score's alone threw "a lagged verdict's
     * state has 24 doubles (or .., the lagged score's alone), got 20" (the key's smoother would have started afresh).
     */
    @Test
    void smootherStateWrittenBeforeTheRankingKeepsTheWholeVerdict() throws Exception {
        int lag = 3;
        double threshold = io.rnnstreams.eval.detection.DetectorConfig.DEFAULTS.threshold();
        int cut = io.rnnstreams.eval.detection.LaggedVerdict.stateSize(lag) - (3 * lag + 11);
        int nonZero = continueFromATruncatedState(lag, cut, (t, x, y) -> {
            assertEquals(x.evidence(), y.evidence(), 0.0, "the lagged score continues at " + t);
            assertEquals(x.datedEvidence(), y.datedEvidence(), 0.0, "the dated score continues at " + t);
            assertEquals(x.signals(), y.signals(), "signals at " + t);
            assertEquals(x.alarm(), y.alarm(), "alarm at " + t);
            assertEquals(x.score() >= threshold, y.score() >= threshold, "flag at " + t);
            assertEquals(x.dated() >= threshold, y.dated() >= threshold, "dated flag at " + t);
        });
        org.junit.jupiter.api.Assertions.assertTrue(nonZero > 0, "no lagged score compared was above 0");
    }

    /**
     * A smoother state of another lag is refused (branch rev20's review), also at a lag where the verdict's length
     * alone would fit: a whole lagged verdict at lag 1 has 3 + 15 = 18 doubles, as many as the lagged score's alone at
     * lag 16 (16 + 2), one of the lengths {@link io.rnnstreams.eval.detection.LaggedVerdict#readPrefix} accepts. The
     * restore does not get that far: the rest of the state (the lag's readings and event times) does not fit.
     */
    @Test
    void aSmootherStateOfAnotherLagIsRefusedEvenWhereItsVerdictLengthFits() {
        io.rnnstreams.learner.KeyedSmoother lagOne = smoother(new io.rnnstreams.model.SmootherConfig(CONFIG, 1));
        io.rnnstreams.learner.KeyedSmoother.KeyState state = lagOne.newKey();
        for (int t = 0; t < 20; t++) {
            lagOne.verdict(state, lagOne.observe("k", state, reading(t), t), online(t), 0);
        }
        io.rnnstreams.model.CompactState written = lagOne.exportState(state);
        for (int lag : new int[] {16, 12, 2}) {
            io.rnnstreams.learner.KeyedSmoother other = smoother(new io.rnnstreams.model.SmootherConfig(CONFIG, lag));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> other.restore(written), "a lag-1 state restored at lag " + lag);
        }
    }

    /** Compares, per reading 40..59, the lagged verdict of a continued state ({@code x}) and a truncated one's. */
    private interface VerdictCheck {
        void check(int t, io.rnnstreams.eval.detection.LaggedVerdict.Result x,
                   io.rnnstreams.eval.detection.LaggedVerdict.Result y);
    }

    /**
     * Two smoothers fed readings 0..39; the second's state is exported without its last {@code cut} exact doubles,
     * stored in a key state, encoded and decoded through the store's codec and restored; both go on to reading 59:
     * their judgements must be equal bit for bit, their lagged verdicts compared by {@code check}.
     *
     * @return how many of the continued state's lagged scores were above 0
     */
    private static int continueFromATruncatedState(int lag, int cut, VerdictCheck check) throws Exception {
        io.rnnstreams.model.SmootherConfig config = new io.rnnstreams.model.SmootherConfig(CONFIG, lag);
        io.rnnstreams.learner.KeyedSmoother current = smoother(config);
        io.rnnstreams.learner.KeyedSmoother old = smoother(config);
        io.rnnstreams.learner.KeyedSmoother.KeyState a = current.newKey();
        io.rnnstreams.learner.KeyedSmoother.KeyState b = old.newKey();
        for (int t = 0; t < 40; t++) {
            current.verdict(a, current.observe("k", a, reading(t), t), online(t), 0);
            old.verdict(b, old.observe("k", b, reading(t), t), online(t), 0);
        }
        io.rnnstreams.model.CompactState written = old.exportState(b);
        double[] before = java.util.Arrays.copyOf(written.exact(), written.exact().length - cut);
        KeyState stored = StateCodec.keyState(new Learner(CONFIG).exportState().sequence(), 1_700_000_000_000L,
                new double[0], 4);
        stored.setSmoother(StateCodec.smoother(io.rnnstreams.model.CompactState.adopt(before, new float[0],
                new short[0], written.counters())));
        KeyState decoded = StateCodec.keyStateCodec().decode(StateCodec.keyStateCodec().encode(stored));
        a = current.restore(current.exportState(a));
        b = old.restore(StateCodec.smoother(decoded));
        int nonZero = 0;
        for (int t = 40; t < 60; t++) {
            io.rnnstreams.learner.KeyedSmoother.Step x = current.observe("k", a, reading(t), t);
            io.rnnstreams.learner.KeyedSmoother.Step y = old.observe("k", b, reading(t), t);
            assertArrayEquals(x.lagged().smoothed(), y.lagged().smoothed(), 0.0);
            assertEquals(x.lagged().verdict().score(), y.lagged().verdict().score(), 0.0);
            io.rnnstreams.eval.detection.LaggedVerdict.Result vx = current.verdict(a, x, online(t), 0);
            io.rnnstreams.eval.detection.LaggedVerdict.Result vy = old.verdict(b, y, online(t), 0);
            check.check(t, vx, vy);
            nonZero += vx.score() > 0 ? 1 : 0;
        }
        return nonZero;
    }

    private static io.rnnstreams.learner.KeyedSmoother smoother(io.rnnstreams.model.SmootherConfig config) {
        return new io.rnnstreams.learner.KeyedSmoother(io.rnnstreams.learner.ModelScope.KEY, config,
                io.rnnstreams.learner.ModelRepository.inMemory(), 1,
                io.rnnstreams.learner.ModelCacheBudget.unbounded(),
                io.rnnstreams.eval.detection.DetectorConfig.DEFAULTS);
    }

    /** A made-up online score of reading t in (0, 1). */
    private static double online(int t) {
        return 0.5 + 0.49 * Math.sin(t * 0.7);
    }

    private static byte[] asLayoutZero(KeyState state) throws Exception {
        Schema v0;
        try (InputStream in = StateCodec.class.getClassLoader()
                .getResourceAsStream(StateCodec.KEY_STATE_HISTORY.get(0))) {
            v0 = new Schema.Parser().parse(in);
        }
        GenericRecord r = new GenericData.Record(v0);
        for (Schema.Field f : v0.getFields()) {
            Object value = state.get(f.name());
            r.put(f.name(), value instanceof java.time.Instant i ? i.toEpochMilli() : value);
        }
        r.put("stateVersion", 0);
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v0).encode(r);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
