package io.rnnstreams.eval.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One labelled series with a detector's score for each row: the unit every detection figure is computed on.
 *
 * <p>Rows before {@code firstScored} are the probation (warm-up) part: the detector sees them, no figure
 * counts them (NAB's probationary period; SKAB's 400 training rows). Per-row figures compare the score with
 * {@code anomalous}; NAB figures use {@code windows}; event figures use the runs of consecutive anomalous
 * rows ({@link #events()}).
 *
 * @param name        the series (file, sensor)
 * @param scores      one score per row, higher means more anomalous; NaN counts as never detected
 * @param anomalous   one truth label per row, same length
 * @param windows     NAB windows, in row order, not overlapping
 * @param firstScored the first scored row, {@code 0 <= firstScored <= rows}
 * @param signals     per row what the detector told its alarm rule ({@link AnomalyDetector.Result#signals}), so that
 *                    {@link AlarmGate#alarms(double[], int[])} gives the detector's own alarms; {@code null} for a
 *                    score series without signals
 * @param ownAlarms   the alarms the detector raised itself at {@code ownGate} ({@link RunScorer#alarm}), one per row;
 *                    {@code null} when its alarms are a gate's over its scores and signals
 * @param ownGate     the gate whose alarms {@code ownAlarms} are; {@code null} with them
 */
public record ScoredSeries(String name, double[] scores, boolean[] anomalous, List<LabelledWindow> windows,
                           int firstScored, int[] signals, boolean[] ownAlarms, AlarmGate ownGate) {
    /** A run of anomalous rows: {@code onset..end}, both inclusive. */
    public record Event(int onset, int end) {
    }

    public ScoredSeries {
        Objects.requireNonNull(name, "name");
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException(name + ": " + scores.length + " scores for " + anomalous.length
                    + " labels");
        }
        if (signals != null && signals.length != scores.length) {
            throw new IllegalArgumentException(name + ": " + signals.length + " signals for " + scores.length
                    + " scores");
        }
        if ((ownAlarms == null) != (ownGate == null)) {
            throw new IllegalArgumentException(name + ": own alarms and their gate come together");
        }
        if (ownAlarms != null && ownAlarms.length != scores.length) {
            throw new IllegalArgumentException(name + ": " + ownAlarms.length + " alarms for " + scores.length
                    + " scores");
        }
        if (firstScored < 0 || firstScored > scores.length) {
            throw new IllegalArgumentException(name + ": firstScored " + firstScored + " outside 0.." + scores.length);
        }
        windows = List.copyOf(windows);
        int previousLast = -1;
        for (LabelledWindow w : windows) {
            if (w.first() <= previousLast || w.last() >= scores.length) {
                throw new IllegalArgumentException(name + ": windows must be in order, disjoint and inside 0.."
                        + (scores.length - 1) + ", got " + windows);
            }
            previousLast = w.last();
        }
    }

    /** A series whose alarms are a gate's over its scores and {@code signals} ({@code null}: none). */
    public ScoredSeries(String name, double[] scores, boolean[] anomalous, List<LabelledWindow> windows,
                        int firstScored, int[] signals) {
        this(name, scores, anomalous, windows, firstScored, signals, null, null);
    }

    /** A series without signals. */
    public ScoredSeries(String name, double[] scores, boolean[] anomalous, List<LabelledWindow> windows,
                        int firstScored) {
        this(name, scores, anomalous, windows, firstScored, null);
    }

    /** Rows in the series. */
    public int length() {
        return scores.length;
    }

    /** The runs of anomalous rows whose onset is scored, in order. */
    public List<Event> events() {
        List<Event> events = new ArrayList<>();
        int t = 0;
        while (t < anomalous.length) {
            if (!anomalous[t]) {
                t++;
                continue;
            }
            int onset = t;
            while (t < anomalous.length && anomalous[t]) {
                t++;
            }
            if (onset >= firstScored) {
                events.add(new Event(onset, t - 1));
            }
        }
        return events;
    }

    /** The same labels with other scores (another detector's), without signals. */
    public ScoredSeries withScores(double[] other) {
        return new ScoredSeries(name, other, anomalous, windows, firstScored);
    }

    /**
     * The alarms of {@code gate}: the detector's own ({@code ownAlarms}) if {@code gate} is its own gate (the same
     * rule), else those of {@code gate} on these scores and signals.
     */
    public boolean[] alarms(AlarmGate gate) {
        return ownAlarms != null && ownGate.equals(gate) ? ownAlarms.clone() : gate.alarms(scores, signals);
    }

    /** Whether row {@code t}'s score is at or above {@code threshold} (NaN never is). */
    public boolean flagged(int t, double threshold) {
        return scores[t] >= threshold;
    }
}
