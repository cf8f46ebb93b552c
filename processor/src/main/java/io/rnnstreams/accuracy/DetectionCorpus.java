package io.rnnstreams.accuracy;

import java.util.List;

/**
 * Labelled runs scored together (one NAB threshold sweep, one pooled AUC).
 *
 * @param name     short name (table heading)
 * @param caption  what the data is and how it is labelled
 * @param channels channels per reading, the same in every run
 * @param horizon  rows after an event's onset within which a flag counts as in time
 * @param runs     the runs, each one sensor run from its first row
 */
public record DetectionCorpus(String name, String caption, int channels, int horizon, List<LabelledRun> runs) {
    public DetectionCorpus {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(name + ": no run");
        }
    }

    /** Whether any row is labelled anomalous. */
    public boolean labelled() {
        for (LabelledRun r : runs) {
            for (boolean a : r.anomalous()) {
                if (a) {
                    return true;
                }
            }
        }
        return false;
    }
}
