package io.rnnstreams.learner;

import io.rnnstreams.eval.ErrorAccumulator;
import io.rnnstreams.eval.detection.AnomalyDetector;

/**
 * The per-key state that is not the network's: the event time of the key's last reading, the update count of
 * the weights it last used, the anomaly detector's state ({@link AnomalyDetector#stateSize} doubles, layout
 * {@link AnomalyDetector}'s), the key's recent intervals between readings ({@link TypicalInterval}), the
 * anomaly score of its last reading, and its prequential error sums ({@link ErrorAccumulator}: per channel
 * the sums of absolute and squared errors, and the count of scored readings).
 *
 * <p>The one reading of the stored fields: {@link #restore} applies the defaults of older state layouts once
 * (no detector state, or one of another channel count: the detector starts afresh and warms up; no intervals:
 * none known; no error sums, or sums of another channel count: the sums start empty here), so the stream
 * processor, the HTTP views and the tests see the same figures. Kafka-free: the stream's {@code StateCodec}
 * maps it to and from the persisted {@code KeyState}.
 *
 * <p>Mutable, one per key and reading; not thread-safe.
 */
public final class SensorState {
    private final double[] detectorState;
    private final long[] intervals;
    private final ErrorAccumulator errors;
    private long lastEventTime;
    private long modelVersion;
    private double anomalyScore;

    private SensorState(double[] detectorState, long[] intervals, ErrorAccumulator errors, long lastEventTime,
                        long modelVersion, double anomalyScore) {
        this.detectorState = detectorState;
        this.intervals = intervals;
        this.errors = errors;
        this.lastEventTime = lastEventTime;
        this.modelVersion = modelVersion;
        this.anomalyScore = anomalyScore;
    }

    /** A key's state before its first reading: nothing scored, model version 0, last event time 0. */
    public static SensorState first(int channels) {
        return new SensorState(AnomalyDetector.initialState(channels), new long[TypicalInterval.STATE_SIZE],
                new ErrorAccumulator(channels), 0, 0, 0.0);
    }

    /**
     * A stored state, with the defaults of older layouts applied.
     *
     * @param channels        the reading's channel count {@code D}
     * @param lastEventTime   event time of the key's last reading (epoch milliseconds)
     * @param modelVersion    update count of the weights the key last used
     * @param anomalyScore    the anomaly score of the key's last reading
     * @param detectorState   {@link AnomalyDetector#stateSize} doubles for {@code D}; any other length (state
     *                        written before the detector, or for another channel count) starts it afresh; copied
     * @param intervals       {@link TypicalInterval#STATE_SIZE} longs; any other length starts them empty; copied
     * @param errorCount      readings scored into the error sums
     * @param errorAbsSum     per channel, {@code D} doubles; any other length (state written before the sums
     *                        were kept) starts the sums and the count empty; copied
     * @param errorSquaredSum per channel, {@code D} doubles; as {@code errorAbsSum}
     */
    public static SensorState restore(int channels, long lastEventTime, long modelVersion, double anomalyScore,
                                      double[] detectorState, long[] intervals, long errorCount,
                                      double[] errorAbsSum, double[] errorSquaredSum) {
        double[] detector = AnomalyDetector.adopt(detectorState, channels);
        long[] known = intervals.length == TypicalInterval.STATE_SIZE ? intervals.clone()
                : new long[TypicalInterval.STATE_SIZE];
        ErrorAccumulator errors = errorAbsSum.length == channels && errorSquaredSum.length == channels
                ? ErrorAccumulator.restore(errorAbsSum, errorSquaredSum, errorCount)
                : new ErrorAccumulator(channels);
        return new SensorState(detector, known, errors, lastEventTime, modelVersion, anomalyScore);
    }

    /**
     * A copy of this state that shares no array with it: the same figures a {@link #restore} of its stored fields
     * gives (its fields are of the current layout, so the restore's defaults do not apply).
     */
    public SensorState copy() {
        return new SensorState(detectorState.clone(), intervals.clone(),
                ErrorAccumulator.restore(errors.sumAbs(), errors.sumSquared(), errors.readings()), lastEventTime,
                modelVersion, anomalyScore);
    }

    /**
     * Whether the pause since the key's last reading is a gap that resets its recurrent state
     * ({@link TypicalInterval}); the pause is then remembered. For a stored state (a key's first reading has
     * no pause).
     */
    public boolean isGap(long eventTime, TypicalInterval policy) {
        return policy.isGap(intervals, eventTime - lastEventTime);
    }

    /**
     * Scores this reading: the detector takes the reading and the previous forecast's error (if there was
     * one), the error sums take the error, and the score is kept as the last reading's.
     *
     * @param reading       this reading, one value per channel
     * @param previousError per channel, this reading minus the previous forecast (raw units), or null (the
     *                      key's first reading)
     * @return the detector's verdict: score, flag, alarm, warm-up, contributions
     */
    public AnomalyDetector.Result detect(double[] reading, double[] previousError, AnomalyDetector detector) {
        AnomalyDetector.Result result = detector.update(detectorState, reading, previousError);
        anomalyScore = result.score();
        if (previousError != null) {
            errors.add(previousError);
        }
        return result;
    }

    /** Moves the state to this reading: its event time, and the update count of the weights it used. */
    public void advance(long eventTime, long usedModelVersion) {
        this.lastEventTime = eventTime;
        this.modelVersion = usedModelVersion;
    }

    /** Event time of the key's last reading (epoch milliseconds). */
    public long lastEventTime() {
        return lastEventTime;
    }

    /** Update count of the weights the key last used. */
    public long modelVersion() {
        return modelVersion;
    }

    /** The anomaly score of the key's last reading. */
    public double anomalyScore() {
        return anomalyScore;
    }

    /** Whether the key's last alarm is still active ({@link AnomalyDetector#alarmActive}). */
    public boolean alarmActive() {
        return AnomalyDetector.alarmActive(detectorState);
    }

    /** The anomaly detector's state; a copy. */
    public double[] detectorState() {
        return detectorState.clone();
    }

    /** The gap rule's remembered intervals; a copy. */
    public long[] intervals() {
        return intervals.clone();
    }

    /** Readings scored into the error sums. */
    public long scoredReadings() {
        return errors.readings();
    }

    /** Per channel, the sum of absolute errors over the scored readings; a copy. */
    public double[] errorAbsSum() {
        return errors.sumAbs();
    }

    /** Per channel, the sum of squared errors over the scored readings; a copy. */
    public double[] errorSquaredSum() {
        return errors.sumSquared();
    }

    /** Per channel, the mean absolute error over the scored readings; NaN when none was scored. */
    public double[] meanAbsoluteErrors() {
        return errors.meanAbsoluteErrors();
    }

    /** Per channel, the root mean squared error over the scored readings; NaN when none was scored. */
    public double[] rootMeanSquaredErrors() {
        return errors.rootMeanSquaredErrors();
    }
}
