package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.AlarmGate;
import io.rnnstreams.eval.detection.LabelledWindow;
import io.rnnstreams.eval.detection.ScoredSeries;
import java.util.List;

/**
 * One sensor's readings with anomaly labels, run through a detector from its first reading.
 *
 * @param name        the sensor (file) name
 * @param values      {@code n} readings, one value per channel, all finite
 * @param anomalous   {@code n} per-row labels (all false for normal data)
 * @param windows     NAB windows in row order
 * @param firstScored rows before it are the detector's warm-up / training part, never scored
 */
public record LabelledRun(String name, double[][] values, boolean[] anomalous, List<LabelledWindow> windows,
                          int firstScored) {
    public LabelledRun {
        windows = List.copyOf(windows);
        if (values.length != anomalous.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " readings, " + anomalous.length
                    + " labels");
        }
    }

    /** Rows. */
    public int length() {
        return values.length;
    }

    /** This run's labels with a detector's scores. */
    public ScoredSeries scored(double[] scores) {
        return new ScoredSeries(name, scores, anomalous, windows, firstScored);
    }

    /** This run's labels with a detector's scores and its alarm signals per row ({@link ScoredSeries#signals}). */
    public ScoredSeries scored(double[] scores, int[] signals) {
        return new ScoredSeries(name, scores, anomalous, windows, firstScored, signals);
    }

    /**
     * This run's labels with a detector's scores, its alarm signals and the alarms it raised itself at {@code ownGate}
     * ({@link ScoredSeries#ownAlarms}; both {@code null} for a detector whose alarms are a gate's over its scores).
     */
    public ScoredSeries scored(double[] scores, int[] signals, boolean[] ownAlarms, AlarmGate ownGate) {
        return new ScoredSeries(name, scores, anomalous, windows, firstScored, signals, ownAlarms, ownGate);
    }
}
