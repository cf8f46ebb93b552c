package io.rnnstreams.eval.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Event-level figures at one threshold, with alarms as {@link AlarmGate} raises them (score at or above the
 * threshold, re-armed after {@code quiet} readings below it; with an escalation factor, also the re-alarms of an
 * event that got markedly worse, and for a series with the detector's signals ({@link ScoredSeries#signals}) its
 * change re-alarms and its lone spikes' confirmation, as the detector raises them; at another threshold than the
 * detector's, its signals are replayed as they were at its own): per labelled event (a run of anomalous rows,
 * {@link ScoredSeries#events()}) whether an alarm was raised in {@code onset..onset + horizon} and how many
 * rows after the onset the first one was (an alarm still standing from before the onset does not count:
 * that one was false); and the false alarms: alarms raised on scored normal rows, per 1,000 scored normal
 * rows.
 *
 * @param threshold         the threshold
 * @param horizon           rows after the onset that still count as in time
 * @param events            labelled events with a scored onset
 * @param detected          events with an alarm within the horizon
 * @param delays            the detected events' delays in rows, ascending
 * @param falseAlarms       alarms raised on normal rows
 * @param normalRows        scored normal rows
 */
public record EventMetrics(double threshold, int horizon, int events, int detected, int[] delays,
                           long falseAlarms, long normalRows) {

    /** The figures at {@code threshold}, one alarm per event ({@link AlarmGate#NO_ESCALATION}). */
    public static EventMetrics at(List<ScoredSeries> corpus, double threshold, int horizon, int quiet) {
        return at(corpus, threshold, horizon, quiet, AlarmGate.NO_ESCALATION);
    }

    /** The figures at {@code threshold} with the alarms of an {@link AlarmGate} of that {@code escalation}. */
    public static EventMetrics at(List<ScoredSeries> corpus, double threshold, int horizon, int quiet,
                                  double escalation) {
        AlarmGate gate = new AlarmGate(threshold, quiet, escalation);
        int events = 0;
        List<Integer> delays = new ArrayList<>();
        long falseAlarms = 0;
        long normalRows = 0;
        for (ScoredSeries s : corpus) {
            boolean[] alarms = s.alarms(gate);
            for (ScoredSeries.Event e : s.events()) {
                events++;
                int last = Math.min(s.length() - 1, e.onset() + horizon);
                for (int t = e.onset(); t <= last; t++) {
                    if (alarms[t]) {
                        delays.add(t - e.onset());
                        break;
                    }
                }
            }
            for (int t = s.firstScored(); t < s.length(); t++) {
                if (!s.anomalous()[t]) {
                    normalRows++;
                    if (alarms[t]) {
                        falseAlarms++;
                    }
                }
            }
        }
        int[] sorted = delays.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new EventMetrics(threshold, horizon, events, sorted.length, sorted, falseAlarms, normalRows);
    }

    /**
     * Lowers the threshold from the highest score down, through the corpus's distinct scores at ranks 1, 2,
     * 3, ... growing by 2% a step, until the first one with more than {@code maxPerThousand} false alarms per
     * 1,000 normal rows; of the thresholds before it, the figures at the one that detects the most events in
     * time (the highest of equals; {@code +infinity}, nothing flagged, if even the highest score is too
     * noisy). Walking down from the top, not bisecting, because a threshold low enough to flag nearly
     * everything raises few alarms again (and detects little).
     */
    public static EventMetrics atFalseAlarmRate(List<ScoredSeries> corpus, double maxPerThousand, int horizon,
                                                int quiet) {
        return atFalseAlarmRate(corpus, maxPerThousand, horizon, quiet, AlarmGate.NO_ESCALATION);
    }

    /** {@link #atFalseAlarmRate(List, double, int, int)} with the alarms of an escalating {@link AlarmGate}. */
    public static EventMetrics atFalseAlarmRate(List<ScoredSeries> corpus, double maxPerThousand, int horizon,
                                                int quiet, double escalation) {
        double[] distinct = corpus.stream().flatMapToDouble(s -> Arrays.stream(s.scores(), s.firstScored(),
                s.length())).filter(v -> !Double.isNaN(v)).distinct().sorted().toArray();
        EventMetrics best = at(corpus, Double.POSITIVE_INFINITY, horizon, quiet, escalation);
        int rank = 1;
        while (rank <= distinct.length) {
            EventMetrics m = at(corpus, distinct[distinct.length - rank], horizon, quiet, escalation);
            if (!(m.falseAlarmsPerThousand() <= maxPerThousand)) {
                break;
            }
            if (m.detected() > best.detected()) {
                best = m;
            }
            rank = Math.max(rank + 1, (int) Math.ceil(rank * 1.02));
        }
        return best;
    }

    /** Detected events over events; NaN without events. */
    public double detectedFraction() {
        return events == 0 ? Double.NaN : detected / (double) events;
    }

    /** The median delay of the detected events in rows (the lower middle); NaN if none was detected. */
    public double medianDelay() {
        return delays.length == 0 ? Double.NaN : delays[(delays.length - 1) / 2];
    }

    /** False alarms per 1,000 scored normal rows; NaN without normal rows. */
    public double falseAlarmsPerThousand() {
        return normalRows == 0 ? Double.NaN : 1000.0 * falseAlarms / normalRows;
    }
}
