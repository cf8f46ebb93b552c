package io.rnnstreams.learner;

import io.rnnstreams.eval.AnomalyScore;
import io.rnnstreams.eval.ErrorAccumulator;

/**
 * The per-key state that is not the network's: the event time of the key's last reading, the update count of
 * the weights it last used, the statistics of its forecast errors that the anomaly score runs on
 * ({@link AnomalyScore#STATE_SIZE} doubles, layout {@link AnomalyScore}'s), the anomaly score of its last
 * reading, and its prequential error sums ({@link ErrorAccumulator}: per channel the sums of absolute and
 * squared errors, and the count of scored readings).
 *
 * <p>The one reading of the stored fields: {@link #restore} applies the defaults of older state layouts once
 * (no anomaly statistics: zeros; no error sums, or sums of another channel count: the sums start empty
 * here), so the stream processor, the HTTP views and the tests see the same figures. Kafka-free: the stream's
 * {@code StateCodec} maps it to and from the persisted {@code KeyState}.
 *
 * <p>Mutable, one per key and reading; not thread-safe.
 */
public final class SensorState {
    private final double[] anomalyStatistics;
    private final ErrorAccumulator errors;
    private long lastEventTime;
    private long modelVersion;
    private double anomalyScore;

    private SensorState(double[] anomalyStatistics, ErrorAccumulator errors, long lastEventTime, long modelVersion,
                        double anomalyScore) {
        this.anomalyStatistics = anomalyStatistics;
        this.errors = errors;
        this.lastEventTime = lastEventTime;
        this.modelVersion = modelVersion;
        this.anomalyScore = anomalyScore;
    }

    /** A key's state before its first reading: nothing scored, model version 0, last event time 0. */
    public static SensorState first(int channels) {
        return new SensorState(new double[AnomalyScore.STATE_SIZE], new ErrorAccumulator(channels), 0, 0, 0.0);
    }

    /**
     * A stored state, with the defaults of older layouts applied.
     *
     * @param channels          the reading's channel count {@code D}
     * @param lastEventTime     event time of the key's last reading (epoch milliseconds)
     * @param modelVersion      update count of the weights the key last used
     * @param anomalyScore      the anomaly score of the key's last reading
     * @param anomalyStatistics {@link AnomalyScore#STATE_SIZE} doubles, or none (state written before the
     *                          anomaly score: zeros); copied
     * @param errorCount        readings scored into the error sums
     * @param errorAbsSum       per channel, {@code D} doubles; any other length (state written before the sums
     *                          were kept) starts the sums and the count empty; copied
     * @param errorSquaredSum   per channel, {@code D} doubles; as {@code errorAbsSum}
     * @throws IllegalArgumentException if {@code anomalyStatistics} is neither empty nor of its size
     */
    public static SensorState restore(int channels, long lastEventTime, long modelVersion, double anomalyScore,
                                      double[] anomalyStatistics, long errorCount, double[] errorAbsSum,
                                      double[] errorSquaredSum) {
        double[] statistics = new double[AnomalyScore.STATE_SIZE];
        if (anomalyStatistics.length > 0) {
            if (anomalyStatistics.length != statistics.length) {
                throw new IllegalArgumentException("expected " + statistics.length
                        + " anomaly statistics, got " + anomalyStatistics.length);
            }
            System.arraycopy(anomalyStatistics, 0, statistics, 0, statistics.length);
        }
        ErrorAccumulator errors = errorAbsSum.length == channels && errorSquaredSum.length == channels
                ? ErrorAccumulator.restore(errorAbsSum, errorSquaredSum, errorCount)
                : new ErrorAccumulator(channels);
        return new SensorState(statistics, errors, lastEventTime, modelVersion, anomalyScore);
    }

    /**
     * Scores the key's previous forecast against this reading: updates the anomaly statistics and the error
     * sums with its error, and keeps the score as the last reading's. With no previous forecast (the key's
     * first reading, or right after a reset) nothing is scored and the last reading's score is 0.
     *
     * @param previousError per channel, this reading minus the previous forecast (raw units), or null
     * @param scales        per channel, the spread the anomaly score divides the error by
     * @return the anomaly score of this reading, in [0, 1]
     */
    public double score(double[] previousError, double[] scales, AnomalyScore anomaly) {
        anomalyScore = 0.0;
        if (previousError != null) {
            anomalyScore = anomaly.update(anomalyStatistics, previousError, scales);
            errors.add(previousError);
        }
        return anomalyScore;
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

    /** The anomaly score's statistics; a copy. */
    public double[] anomalyStatistics() {
        return anomalyStatistics.clone();
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
