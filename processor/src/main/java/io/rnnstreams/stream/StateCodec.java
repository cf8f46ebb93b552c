package io.rnnstreams.stream;

import io.rnnstreams.avro.KeyState;
import io.rnnstreams.avro.ModelState;
import io.rnnstreams.avro.PackedDoubles;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.SequenceSnapshot;
import java.time.Instant;

/**
 * Converts the engine's exported state to and from the persisted Avro records ({@link KeyState},
 * {@link ModelState}). Numeric vectors are Avro {@code bytes} of packed little-endian doubles, exact to the
 * bit.
 */
public final class StateCodec {
    /** The layout version this build writes and reads. */
    public static final int STATE_VERSION = Model.STATE_VERSION;

    private StateCodec() {
    }

    public static KeyState keyState(SequenceSnapshot s, long lastEventTime, double[] errorStats, long modelVersion) {
        return builder(s, lastEventTime, errorStats, modelVersion).build();
    }

    /**
     * The key state with the summary that the HTTP API reports: the last anomaly score and the prequential
     * error sums ({@code errorCount} scored readings; per channel the sums of absolute and squared errors).
     */
    public static KeyState keyState(SequenceSnapshot s, long lastEventTime, double[] errorStats, long modelVersion,
                                    double anomalyScore, long errorCount, double[] errorAbsSum,
                                    double[] errorSquaredSum) {
        return builder(s, lastEventTime, errorStats, modelVersion)
                .setAnomalyScore(anomalyScore)
                .setErrorCount(errorCount)
                .setErrorAbsSum(PackedDoubles.wrap(errorAbsSum))
                .setErrorSquaredSum(PackedDoubles.wrap(errorSquaredSum))
                .build();
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

    /** @throws IllegalStateException if the state was written by a newer, unknown layout */
    public static SequenceSnapshot sequence(KeyState k) {
        requireVersion(k.getStateVersion(), "key state");
        return new SequenceSnapshot(k.getStateVersion(), unpack(k.getHiddenState()), unpack(k.getAnchor()),
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
     * @throws IllegalStateException if the model was trained under another configuration or written by a
     *                               newer layout
     */
    public static ModelSnapshot model(ModelState m, String expectedFingerprint) {
        requireVersion(m.getStateVersion(), "model state");
        if (!m.getConfigFingerprint().equals(expectedFingerprint)) {
            throw new IllegalStateException("stored model was trained with configuration " + m.getConfigFingerprint()
                    + " but this instance runs " + expectedFingerprint + "; a changed model configuration needs a "
                    + "new application.id (or a reset of this one's state)");
        }
        return new ModelSnapshot(m.getStateVersion(), unpack(m.getParameters()), unpack(m.getOptimizerState()),
                m.getUpdates(), m.getRestores(), m.getOptimizerStep());
    }

    static double[] unpack(java.nio.ByteBuffer b) {
        return PackedDoubles.unpack(b.duplicate());
    }

    private static void requireVersion(int version, String what) {
        if (version < 1 || version > STATE_VERSION) {
            throw new IllegalStateException(what + " has layout version " + version + "; this build reads 1.."
                    + STATE_VERSION + ": upgrade the application before reading this state");
        }
    }
}
