package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.LaggedOutput;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.learner.ModelIdentity;
import io.rnnstreams.avro.PackedDoubles;
import io.rnnstreams.avro.PackedFloats;
import io.rnnstreams.avro.PackedHalves;
import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.Seq2SeqKeyState;
import io.rnnstreams.avro.SmootherKeyState;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.learner.SensorState;
import io.rnnstreams.model.CompactState;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.SequenceSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Converts the engine's exported state to and from the persisted Avro records ({@link KeyState},
 * {@link ModelState}). Numeric vectors are Avro {@code bytes} of packed little-endian doubles, exact to the
 * bit.
 */
public final class StateCodec {
    /** The layout version this build writes and reads. */
    public static final int STATE_VERSION = Model.STATE_VERSION;

    /**
     * Class-path resources (in the schemas module) of the older {@link KeyState} writer schemas this build
     * still reads: version 0, before {@code errorStats} and {@code modelVersion}; version 1 as written before
     * the anomaly detector ({@code detectorState}, {@code intervals}); version 2, before the hybrid learner's
     * fields ({@code hybridExact}, {@code hybridValues}, {@code hybridCounters}) and {@code predictionIntervalState};
     * version 3, before the encoder-decoder's {@code seq2seq}, the smoother's {@code smoother} and the hybrid's
     * {@code hybridHalves} (the hybrid's state then all in {@code hybridExact}/{@code hybridValues}, which
     * {@code HybridForecaster} still reads); version 4, before the corrected encoder-decoder's
     * {@code seq2seq.correction} (a plain encoder-decoder's state then).
     */
    public static final List<String> KEY_STATE_HISTORY = List.of("io/rnnstreams/avro/history/KeyState-v0.avsc",
            "io/rnnstreams/avro/history/KeyState-v1.avsc", "io/rnnstreams/avro/history/KeyState-v2.avsc",
            "io/rnnstreams/avro/history/KeyState-v3.avsc", "io/rnnstreams/avro/history/KeyState-v4.avsc");

    /**
     * Class-path resources of the older {@link Prediction} writer schemas this build still reads: version 1,
     * before {@code anomaly}, {@code warmingUp} and {@code channelContributions}; version 2, before
     * {@code forecastTimes}, the intervals, {@code channelNames} and {@code tags}.
     */
    public static final List<String> PREDICTION_HISTORY = List.of("io/rnnstreams/avro/history/Prediction-v1.avsc",
            "io/rnnstreams/avro/history/Prediction-v2.avsc");

    /**
     * Class-path resources of the older {@link LaggedOutput} writer schemas this build still reads: version 1,
     * before {@code score} (the lagged score from both sides); version 2, before {@code dated} (the onset-dated score)
     * and {@code anomaly} (the lagged alarm).
     */
    public static final List<String> LAGGED_HISTORY = List.of("io/rnnstreams/avro/history/LaggedOutput-v1.avsc",
            "io/rnnstreams/avro/history/LaggedOutput-v2.avsc");

    private StateCodec() {
    }

    /**
     * A {@link LaggedOutput} codec that writes the current schema and reads it and every schema of
     * {@link #LAGGED_HISTORY} (a record written before {@code score} reads with score 0, one before {@code dated} and
     * {@code anomaly} with dated 0 and no alarm).
     */
    public static SingleObjectCodec<LaggedOutput> laggedCodec() {
        return withHistory(SingleObjectCodec.of(LaggedOutput.class), LAGGED_HISTORY);
    }

    /**
     * A {@link Prediction} codec that writes the current schema and reads it and every schema of
     * {@link #PREDICTION_HISTORY} (the fields an older writer lacks take their defaults: no alarm, not warming
     * up, no contributions).
     */
    public static SingleObjectCodec<Prediction> predictionCodec() {
        return withHistory(SingleObjectCodec.of(Prediction.class), PREDICTION_HISTORY);
    }

    /**
     * The {@link KeyState} codec of the state store: writes the current schema, and reads it and every
     * schema of {@link #KEY_STATE_HISTORY} (fields an older writer lacks take their defaults).
     */
    public static SingleObjectCodec<KeyState> keyStateCodec() {
        return withHistory(SingleObjectCodec.of(KeyState.class), KEY_STATE_HISTORY);
    }

    private static <T extends SpecificRecord> SingleObjectCodec<T> withHistory(
            SingleObjectCodec<T> codec, List<String> history) {
        for (String resource : history) {
            try (InputStream in = StateCodec.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing class-path resource " + resource);
                }
                codec.addWriterSchema(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + resource, e);
            }
        }
        return codec;
    }

    public static KeyState keyState(SequenceSnapshot s, long lastEventTime, double[] errorStats, long modelVersion) {
        return builder(s, lastEventTime, errorStats, modelVersion).build();
    }

    /**
     * The key state of a sequence and the rest of the key's state: its last event time, model version, anomaly
     * detector state and score, intervals between readings, and prequential error sums ({@code errorCount}
     * scored readings; per channel the sums of absolute and squared errors), which the HTTP API reports. The
     * old anomaly statistics ({@code errorStats}) are no longer written (empty).
     */
    public static KeyState keyState(SequenceSnapshot s, SensorState sensor) {
        return keyState(s, sensor, new double[0]);
    }

    /**
     * As {@link #keyState(SequenceSnapshot, SensorState)}, with the state of the key's prediction intervals
     * ({@link io.rnnstreams.eval.PredictionIntervals}).
     */
    public static KeyState keyState(SequenceSnapshot s, SensorState sensor, double[] predictionIntervalState) {
        return builder(s, sensor.lastEventTime(), new double[0], sensor.modelVersion())
                .setPredictionIntervalState(PackedDoubles.wrap(predictionIntervalState))
                .setAnomalyScore(sensor.anomalyScore())
                .setDetectorState(PackedDoubles.wrap(sensor.detectorState()))
                .setIntervals(boxed(sensor.intervals()))
                .setErrorCount(sensor.scoredReadings())
                .setErrorAbsSum(PackedDoubles.wrap(sensor.errorAbsSum()))
                .setErrorSquaredSum(PackedDoubles.wrap(sensor.errorSquaredSum()))
                .build();
    }

    /**
     * The key state of a key run by the hybrid learner: its state in compact form ({@code hybrid*} fields) and
     * the rest of the key's state as {@link #keyState(SequenceSnapshot, SensorState)} writes it; the plain RNN's
     * sequence fields are empty.
     */
    public static KeyState keyState(CompactState hybrid, SensorState sensor) {
        return keyState(hybrid, sensor, new double[0]);
    }

    /** As {@link #keyState(CompactState, SensorState)}, with the prediction intervals' state. */
    public static KeyState keyState(CompactState hybrid, SensorState sensor, double[] predictionIntervalState) {
        return emptySequence(sensor, predictionIntervalState)
                .setHybridExact(PackedDoubles.wrap(hybrid.exactView()))
                .setHybridValues(PackedFloats.wrap(hybrid.valuesView()))
                .setHybridCounters(counters(hybrid))
                .setHybridHalves(PackedHalves.wrap(hybrid.halvesView()))
                .build();
    }

    /** A key state whose plain RNN's sequence fields are empty, with the rest of the key's state. */
    private static KeyState.Builder emptySequence(SensorState sensor, double[] predictionIntervalState) {
        return KeyState.newBuilder()
                .setStateVersion(STATE_VERSION)
                .setLastEventTime(Instant.ofEpochMilli(sensor.lastEventTime()))
                .setHiddenState(EMPTY).setAnchor(EMPTY).setWindowInputs(EMPTY).setWindowTargets(EMPTY)
                .setWindowCount(0).setWindowHead(0).setPushesSinceUpdate(0).setNormaliserCount(0)
                .setNormaliserMean(EMPTY).setNormaliserM2(EMPTY).setLastInput(EMPTY).setHasLastInput(false)
                .setLastForecast(EMPTY).setReadings(0)
                .setErrorStats(EMPTY)
                .setModelVersion(sensor.modelVersion())
                .setAnomalyScore(sensor.anomalyScore())
                .setDetectorState(PackedDoubles.wrap(sensor.detectorState()))
                .setIntervals(boxed(sensor.intervals()))
                .setErrorCount(sensor.scoredReadings())
                .setErrorAbsSum(PackedDoubles.wrap(sensor.errorAbsSum()))
                .setErrorSquaredSum(PackedDoubles.wrap(sensor.errorSquaredSum()))
                .setPredictionIntervalState(PackedDoubles.wrap(predictionIntervalState));
    }

    /**
     * The key state of a key run by the encoder-decoder ({@code rnn.forecast.mode=seq2seq}): its state in the
     * {@code seq2seq} field ({@link io.rnnstreams.model.Seq2SeqState#exportState}'s snapshot) and the rest of the
     * key's state as {@link #keyState(SequenceSnapshot, SensorState, double[])} writes it; the plain RNN's
     * sequence fields are empty.
     */
    public static KeyState seq2seqKeyState(SequenceSnapshot s, SensorState sensor, double[] predictionIntervalState) {
        Seq2SeqKeyState seq2seq = Seq2SeqKeyState.newBuilder()
                .setEncoderState(PackedDoubles.wrap(s.hiddenState()))
                .setAnchor(PackedDoubles.wrap(s.anchor()))
                .setWindowInputs(PackedDoubles.wrap(s.windowInputs()))
                .setWindowCount(s.windowCount())
                .setWindowHead(s.windowHead())
                .setPushesSinceUpdate(s.pushesSinceUpdate())
                .setNormaliserCount(s.normaliserCount())
                .setNormaliserMean(PackedDoubles.wrap(s.normaliserMean()))
                .setNormaliserM2(PackedDoubles.wrap(s.normaliserM2()))
                .setLastInput(PackedDoubles.wrap(s.lastInput()))
                .setHasLastInput(s.hasLastInput())
                .setForecasts(PackedDoubles.wrap(s.lastForecast()))
                .setReadings(s.readings())
                .setCorrection(PackedDoubles.wrap(s.windowTargets()))
                .build();
        return emptySequence(sensor, predictionIntervalState).setSeq2seq(seq2seq).build();
    }

    /**
     * The encoder-decoder's state stored in {@code k} ({@link io.rnnstreams.model.Seq2SeqState#importState} reads
     * it), or null if it holds none (a plain RNN's or the hybrid's state).
     */
    public static SequenceSnapshot seq2seq(KeyState k) {
        Seq2SeqKeyState s = k.getSeq2seq();
        if (s == null) {
            return null;
        }
        return new SequenceSnapshot(STATE_VERSION, unpack(s.getEncoderState()), unpack(s.getAnchor()),
                unpack(s.getWindowInputs()), unpack(s.getCorrection()), s.getWindowCount(), s.getWindowHead(),
                s.getPushesSinceUpdate(), s.getNormaliserCount(), unpack(s.getNormaliserMean()),
                unpack(s.getNormaliserM2()), unpack(s.getLastInput()), s.getHasLastInput(), unpack(s.getForecasts()),
                s.getReadings());
    }

    /** The fixed-lag smoother's state ({@link io.rnnstreams.learner.KeyedSmoother#exportState}) as stored. */
    public static SmootherKeyState smoother(CompactState state) {
        return SmootherKeyState.newBuilder().setExact(PackedDoubles.wrap(state.exactView()))
                .setCounters(counters(state)).build();
    }

    /** The fixed-lag smoother's state stored in {@code k}, or null if it holds none (smoothing was off). */
    public static CompactState smoother(KeyState k) {
        SmootherKeyState s = k.getSmoother();
        return s == null ? null : smoother(s);
    }

    /** The fixed-lag smoother's state as {@code s} stores it. */
    public static CompactState smoother(SmootherKeyState s) {
        return CompactState.adopt(unpack(s.getExact()), new float[0], new short[0], unboxed(s.getCounters()));
    }

    /** The hybrid learner's compact state stored in {@code k}, or null if it holds none (a plain RNN's state). */
    public static CompactState hybrid(KeyState k) {
        if (k.getHybridCounters().isEmpty()) {
            return null;
        }
        // the arrays are fresh from the bytes: the state takes them over instead of copying them again
        return CompactState.adopt(unpack(k.getHybridExact()), PackedFloats.unpack(k.getHybridValues()),
                PackedHalves.unpack(k.getHybridHalves()), unboxed(k.getHybridCounters()));
    }

    /** Whether {@code k} holds a plain RNN's sequence (its recurrent state is not empty). */
    public static boolean hasSequence(KeyState k) {
        return k.getHiddenState().remaining() > 0;
    }

    private static final java.nio.ByteBuffer EMPTY = java.nio.ByteBuffer.allocate(0);

    /**
     * The part of a stored key state that is not the sequence, read once with the defaults of older layouts
     * ({@link SensorState#restore}).
     *
     * @param channels the reading's channel count {@code D}
     */
    public static SensorState sensorState(KeyState k, int channels) {
        return SensorState.restore(channels, k.getLastEventTime().toEpochMilli(), k.getModelVersion(),
                k.getAnomalyScore(), unpack(k.getDetectorState()),
                unboxed(k.getIntervals()), k.getErrorCount(),
                unpack(k.getErrorAbsSum()), unpack(k.getErrorSquaredSum()));
    }

    /**
     * The stored state of the key's prediction intervals, or a fresh one when none was stored (older layouts) or
     * it was for another channel count.
     */
    public static double[] predictionIntervalState(KeyState k, int channels) {
        double[] stored = unpack(k.getPredictionIntervalState());
        return stored.length == io.rnnstreams.eval.PredictionIntervals.stateSize(channels) ? stored
                : io.rnnstreams.eval.PredictionIntervals.initialState(channels);
    }

    private static KeyState.Builder builder(SequenceSnapshot s, long lastEventTime, double[] errorStats,
                                            long modelVersion) {
        return KeyState.newBuilder()
                .setStateVersion(STATE_VERSION)
                .setLastEventTime(Instant.ofEpochMilli(lastEventTime))
                .setHiddenState(PackedDoubles.wrap(s.hiddenState()))
                .setAnchor(PackedDoubles.wrap(s.anchor()))
                .setWindowInputs(PackedDoubles.wrap(s.windowInputs()))
                .setWindowTargets(PackedDoubles.wrap(s.windowTargets()))
                .setWindowCount(s.windowCount())
                .setWindowHead(s.windowHead())
                .setPushesSinceUpdate(s.pushesSinceUpdate())
                .setNormaliserCount(s.normaliserCount())
                .setNormaliserMean(PackedDoubles.wrap(s.normaliserMean()))
                .setNormaliserM2(PackedDoubles.wrap(s.normaliserM2()))
                .setLastInput(PackedDoubles.wrap(s.lastInput()))
                .setHasLastInput(s.hasLastInput())
                .setLastForecast(PackedDoubles.wrap(s.lastForecast()))
                .setReadings(s.readings())
                .setErrorStats(PackedDoubles.wrap(errorStats))
                .setModelVersion(modelVersion);
    }

    /**
     * The sequence part of a key state of layout 0 or 1. Layout 0 differs from 1 only by the fields 1 added
     * ({@code errorStats}, {@code modelVersion}, which decode to their defaults); its sequence fields are the
     * same, so it is read as layout {@link #STATE_VERSION}.
     *
     * @throws IllegalStateException if the state was written by a newer, unknown layout
     */
    public static SequenceSnapshot sequence(KeyState k) {
        requireVersion(k.getStateVersion(), 0, "key state");
        return new SequenceSnapshot(STATE_VERSION, unpack(k.getHiddenState()), unpack(k.getAnchor()),
                unpack(k.getWindowInputs()), unpack(k.getWindowTargets()), k.getWindowCount(), k.getWindowHead(),
                k.getPushesSinceUpdate(), k.getNormaliserCount(), unpack(k.getNormaliserMean()),
                unpack(k.getNormaliserM2()), unpack(k.getLastInput()), k.getHasLastInput(),
                unpack(k.getLastForecast()), k.getReadings());
    }

    public static ModelState modelState(ModelSnapshot m, String fingerprint) {
        return ModelState.newBuilder()
                .setStateVersion(STATE_VERSION)
                .setConfigFingerprint(fingerprint)
                .setParameters(PackedDoubles.wrap(m.parameters()))
                .setOptimizerState(PackedDoubles.wrap(m.optimizerState()))
                .setUpdates(m.updates())
                .setRestores(m.restores())
                .setOptimizerStep(m.optimizerSteps())
                .build();
    }

    /**
     * The stored model, if it can continue under {@code expected} (see {@link ModelIdentity#compare}: a
     * changed learning rate, say, is accepted).
     *
     * @param withScope whether a different {@code rnn.model.scope} counts
     * @throws IllegalStateException if the model was trained under settings it cannot continue under (the
     *                               message names them and the reset procedure) or written by a newer layout
     */
    public static ModelSnapshot model(ModelState m, ModelIdentity expected, boolean withScope) {
        requireVersion(m.getStateVersion(), 1, "model state");
        ModelIdentity.Difference d = expected.compare(m.getConfigFingerprint(), withScope);
        if (!d.compatible()) {
            throw new IllegalStateException(StoredModelCheck.refusal(d.required()));
        }
        return new ModelSnapshot(m.getStateVersion(), unpack(m.getParameters()), unpack(m.getOptimizerState()),
                m.getUpdates(), m.getRestores(), m.getOptimizerStep());
    }

    static double[] unpack(java.nio.ByteBuffer b) {
        return PackedDoubles.unpack(b.duplicate());
    }

    /** {@code a} as the list an Avro {@code array<long>} field holds (a plain loop: it runs on every reading). */
    private static List<Long> boxed(long[] a) {
        List<Long> list = new java.util.ArrayList<>(a.length);
        for (long v : a) {
            list.add(v);
        }
        return list;
    }

    /** The counters of {@code state} as an Avro {@code array<long>} field holds them. */
    private static List<Long> counters(CompactState state) {
        List<Long> list = new java.util.ArrayList<>(state.counterCount());
        for (int i = 0; i < state.counterCount(); i++) {
            list.add(state.counter(i));
        }
        return list;
    }

    /** An Avro {@code array<long>} field's values. */
    private static long[] unboxed(List<Long> list) {
        long[] a = new long[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    private static void requireVersion(int version, int oldest, String what) {
        if (version < oldest || version > STATE_VERSION) {
            throw new IllegalStateException(what + " has layout version " + version + "; this build reads " + oldest
                    + ".." + STATE_VERSION + ": upgrade the application before reading this state");
        }
    }
}
