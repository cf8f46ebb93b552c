package io.rnnstreams.accuracy;

import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.KeySeries;
import java.util.ArrayList;
import java.util.List;

/**
 * The accuracy suite's four SKAB datasets ({@link SkabData}; 1 Hz, no seasonal period), in table order:
 * <ol>
 *   <li>every labelled run as one 8-channel sensor (34 keys, interleaved in time-step order);</li>
 *   <li>every run's channels as 8 univariate sensors (272 keys, 1 channel);</li>
 *   <li>{@code anomaly-free.csv}, one 8-channel sensor;</li>
 *   <li>the fleet: the 34 runs as 34 sensors of one kind, delivered one run after the other in time order
 *       ({@link SkabData#runsInTimeOrder()}), as one stream of a rig's records would arrive.</li>
 * </ol>
 * The baselines' figures on the first and the fourth are equal (each key is forecast on its own); they differ
 * only for a model shared by the keys, which in the fleet sees whole earlier runs before a new one starts.
 */
public final class SkabSets {
    private SkabSets() {
    }

    /** The four datasets of {@code data}. */
    public static List<Dataset> datasets(SkabData data) {
        List<Dataset> sets = new ArrayList<>();
        String source = "SKAB (" + data.runs().size() + " labelled runs of the pump testbed, 8 sensors at 1 Hz, "
                + rows(data.runs()) + " rows; GPL v3, read in place from " + data.root() + ")";
        List<KeySeries> runs = new ArrayList<>();
        List<KeySeries> channels = new ArrayList<>();
        for (SkabData.Run run : data.runs()) {
            runs.add(run.asSensor());
            for (int c = 0; c < SkabData.CHANNELS.size(); c++) {
                double[][] v = new double[run.length()][1];
                for (int t = 0; t < run.length(); t++) {
                    v[t][0] = run.values()[t][c];
                }
                channels.add(new KeySeries(run.name() + "/" + SkabData.CHANNELS.get(c), v));
            }
        }
        int d = SkabData.CHANNELS.size();
        sets.add(new Dataset("SKAB, runs as 8-channel sensors", source + ": each run one sensor of 8 channels, "
                + "keys interleaved step by step. No period.", d, 0, runs).asReal());
        sets.add(new Dataset("SKAB, channels as univariate sensors", source + ": each run's 8 channels as 8 "
                + "univariate sensors (" + channels.size() + " keys). No period.", 1, 0, channels).asReal());
        SkabData.Run free = data.anomalyFree();
        sets.add(new Dataset("SKAB, anomaly-free", "SKAB anomaly-free/anomaly-free.csv, " + free.length()
                + " rows of normal operation as one 8-channel sensor. No period.", d, 0,
                List.of(free.asSensor())).asReal());
        List<KeySeries> fleet = data.runsInTimeOrder().stream().map(SkabData.Run::asSensor).toList();
        sets.add(new Dataset("SKAB fleet, runs in time order", source + ": the runs as " + fleet.size()
                + " sensors of one kind (8 channels), delivered one run after the other in time order of their "
                + "first rows. No period.", d, 0, fleet).asReal().inSequence());
        return sets;
    }

    private static long rows(List<SkabData.Run> runs) {
        long n = 0;
        for (SkabData.Run r : runs) {
            n += r.length();
        }
        return n;
    }
}
