package io.rnnstreams.eval.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Event-level figures at one threshold: per labelled event (a run of anomalous rows, {@link
 * ScoredSeries#events()}) whether a row of {@code onset..onset + horizon} was flagged (score at or above the
 * threshold) and how many rows after the onset the first one was; and the false alarms: alarms
 * ({@link AlarmGate}, with {@code quiet}) raised on scored normal rows, per 1,000 scored normal rows.
 *
 * @param threshold         the threshold
 * @param horizon           rows after the onset that still count as in time
 * @param events            labelled events with a scored onset
 * @param detected          events flagged within the horizon
 * @param delays            the detected events' delays in rows, ascending
 * @param falseAlarms       alarms raised on normal rows
 * @param normalRows        scored normal rows
 */
public record EventMetrics(double threshold, int horizon, int events, int detected, int[] delays,
                           long falseAlarms, long normalRows) {

    /** The figures at {@code threshold}. */
    public static EventMetrics at(List<ScoredSeries> corpus, double threshold, int horizon, int quiet) {
        AlarmGate gate = new AlarmGate(threshold, quiet);
        int events = 0;
        List<Integer> delays = new ArrayList<>();
        long falseAlarms = 0;
        long normalRows = 0;
        for (ScoredSeries s : corpus) {
            for (ScoredSeries.Event e : s.events()) {
                events++;
                int last = Math.min(s.length() - 1, e.onset() + horizon);
                for (int t = e.onset(); t <= last; t++) {
                    if (s.flagged(t, threshold)) {
                        delays.add(t - e.onset());
                        break;
                    }
                }
            }
            boolean[] alarms = gate.alarms(s.scores());
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
     * The lowest threshold among the corpus's distinct scores at which there are at most
     * {@code maxPerThousand} false alarms per 1,000 normal rows, found by bisection (assuming, as nearly
     * always holds, that a higher threshold raises no more alarms); the figures there. {@code +infinity} if
     * even the highest score is too noisy.
     */
    public static EventMetrics atFalseAlarmRate(List<ScoredSeries> corpus, double maxPerThousand, int horizon,
                                                int quiet) {
        double[] distinct = corpus.stream().flatMapToDouble(s -> Arrays.stream(s.scores(), s.firstScored(),
                s.length())).filter(v -> !Double.isNaN(v)).distinct().sorted().toArray();
        EventMetrics best = at(corpus, Double.POSITIVE_INFINITY, horizon, quiet);
        int lo = 0;
        int hi = distinct.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            EventMetrics m = at(corpus, distinct[mid], horizon, quiet);
            if (m.falseAlarmsPerThousand() <= maxPerThousand) {
                best = m;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
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
