package io.rnnstreams.accuracy;

import io.rnnstreams.demo.DemoData;
import io.rnnstreams.eval.detection.LabelledWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The corpora of the detection harness: SKAB's labelled runs and its anomaly-free file, the demo's data with
 * its injected anomalies, and seeded Gaussian noise.
 */
public final class DetectionData {
    /** SKAB's NAB windows: this many seconds from each changepoint on. */
    public static final int SKAB_WINDOW_SECONDS = 60;
    /** Demo: the NAB window of an injected anomaly covers at least this many readings (an hour). */
    public static final int DEMO_WINDOW_READINGS = 12;
    /** Demo: readings before scoring starts (the models learn the daily cycle first). */
    public static final int DEMO_WARMUP = 300;

    private DetectionData() {
    }

    /**
     * SKAB's 34 labelled runs: per-row labels from the {@code anomaly} column, NAB windows the
     * {@value #SKAB_WINDOW_SECONDS} s from each changepoint (overlapping ones merged), scored from row 401
     * (the published protocol's 400 training rows); events in time within 60 rows (60 s at 1 Hz).
     */
    public static DetectionCorpus skab(SkabData data) {
        List<LabelledRun> runs = new ArrayList<>();
        for (SkabData.Run run : data.runs()) {
            int n = run.length();
            boolean[] anomalous = new boolean[n];
            for (int t = 0; t < n; t++) {
                anomalous[t] = run.anomaly()[t] == 1;
            }
            List<LabelledWindow> windows = new ArrayList<>();
            int t = 0;
            while (t < n) {
                if (run.changepoint()[t] != 1) {
                    t++;
                    continue;
                }
                int first = t;
                int last = t;
                // extend while rows lie within 60 s of a changepoint of this merged window
                long until = run.epochSecond()[t] + SKAB_WINDOW_SECONDS - 1;
                while (last + 1 < n && run.epochSecond()[last + 1] <= until) {
                    last++;
                    if (run.changepoint()[last] == 1) {
                        until = run.epochSecond()[last] + SKAB_WINDOW_SECONDS - 1;
                    }
                }
                windows.add(new LabelledWindow(first, last));
                t = last + 1;
            }
            runs.add(new LabelledRun(run.name(), run.values(), anomalous, windows, SkabData.TRAINING_ROWS));
        }
        return new DetectionCorpus("SKAB", "SKAB's " + runs.size() + " labelled runs, each one 8-channel sensor run "
                + "from its first row, scored from row " + (SkabData.TRAINING_ROWS + 1) + "; per-row labels: "
                + "`anomaly`; NAB windows: " + SKAB_WINDOW_SECONDS + " s after each changepoint; events in time: "
                + "an alarm within 60 s of the onset", SkabData.CHANNELS.size(), 60, runs);
    }

    /** SKAB's anomaly-free file: all normal, scored from row 401. */
    public static DetectionCorpus skabAnomalyFree(SkabData data) {
        SkabData.Run run = data.anomalyFree();
        return new DetectionCorpus("SKAB anomaly-free", "`anomaly-free.csv` (" + run.length() + " rows, no anomaly), "
                + "scored from row " + (SkabData.TRAINING_ROWS + 1), SkabData.CHANNELS.size(), 60,
                List.of(new LabelledRun(run.name(), run.values(), new boolean[run.length()], List.of(),
                        SkabData.TRAINING_ROWS)));
    }

    /**
     * The demo's data (as {@code rnn-streams demo} generates it): each sensor one run of one channel; labels
     * the injected anomalies' readings (a spike: 1; a level shift: 24), NAB windows those readings extended to
     * at least {@value #DEMO_WINDOW_READINGS}; scored from reading {@value #DEMO_WARMUP}; in time within 2
     * readings.
     */
    public static DetectionCorpus demo(int sensors, int readings, long seed) {
        DemoData data = new DemoData(sensors, readings, seed);
        List<LabelledRun> runs = new ArrayList<>();
        for (int k = 0; k < sensors; k++) {
            String id = DemoData.sensorId(k);
            double[][] values = new double[readings][1];
            for (int t = 0; t < readings; t++) {
                values[t][0] = data.value(k, t);
            }
            boolean[] anomalous = new boolean[readings];
            List<LabelledWindow> windows = new ArrayList<>();
            for (DemoData.Anomaly a : data.anomalies()) {
                if (!a.sensor().equals(id)) {
                    continue;
                }
                int onset = (int) ((a.eventTime() - DemoData.START_MS) / DemoData.STEP_MS);
                int length = a.kind().startsWith("spike") ? 1 : 24;
                int end = Math.min(readings - 1, onset + length - 1);
                for (int t = onset; t <= end; t++) {
                    anomalous[t] = true;
                }
                windows.add(new LabelledWindow(onset, Math.min(readings - 1,
                        Math.max(end, onset + DEMO_WINDOW_READINGS - 1))));
            }
            windows.sort(java.util.Comparator.comparingInt(LabelledWindow::first));
            runs.add(new LabelledRun(id, values, anomalous, windows, DEMO_WARMUP));
        }
        return new DetectionCorpus("demo", "the demo's " + sensors + " sensors x " + readings + " readings (seed "
                + seed + ", 5-minute steps) with " + data.anomalies().size() + " injected anomalies; scored from "
                + "reading " + DEMO_WARMUP + "; in time: an alarm within 2 readings", 1, 2, runs);
    }

    /** NAB-style corpus: an alarm within this many readings of an anomaly's start is in time. */
    public static final int NAB_STYLE_HORIZON = 60;

    /**
     * {@link NabStyleData}'s generated corpus: {@code series} one-channel series of {@code readings} readings
     * (seed {@code seed}), NAB's windows centred on each anomaly's start, scored after NAB's probationary period;
     * per-row labels the rows from each anomaly's start to its window's end; in time within
     * {@value #NAB_STYLE_HORIZON} readings.
     */
    public static DetectionCorpus nabStyle(int series, int readings, long seed) {
        List<LabelledRun> runs = new ArrayList<>();
        int anomalies = 0;
        for (NabStyleData.Series s : NabStyleData.generate(series, readings, seed)) {
            int[] starts = s.anomalies().stream().mapToInt(NabStyleData.Anomaly::start).toArray();
            List<LabelledWindow> windows = NabStyleData.windows(readings, starts);
            double[][] values = new double[readings][1];
            for (int t = 0; t < readings; t++) {
                values[t][0] = s.values()[t];
            }
            runs.add(new LabelledRun(s.name(), values, NabStyleData.rowLabels(readings, starts, windows), windows,
                    NabStyleData.probation(readings)));
            anomalies += starts.length;
        }
        return new DetectionCorpus("NAB-style", String.format(java.util.Locale.ROOT, "%d generated one-channel series "
                + "x %d readings (seed %d; `NabStyleData`: daily cycles, wandering sensors, flat metrics, some "
                + "quantised) with %d anomalies (spikes, dips, persisting level shifts, variance and seasonal "
                + "changes, drifts to a failure); NAB's windows (10%% of the length / the anomaly count, centred on "
                + "the start), scored after the probationary 15%%; per-row labels: an anomaly's start to its "
                + "window's end; in time: an alarm within %d readings of the start", series, readings, seed,
                anomalies, NAB_STYLE_HORIZON), 1, NAB_STYLE_HORIZON, runs);
    }

    /** {@code readings} independent standard normal values, one channel, scored from reading 1,000. */
    public static DetectionCorpus noise(int readings, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] values = new double[readings][1];
        for (int t = 0; t < readings; t++) {
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            values[t][0] = StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
        }
        return new DetectionCorpus("Gaussian noise", String.format(java.util.Locale.ROOT,
                "%,d independent N(0, 1) readings (seed %d), scored from reading 1,000", readings, seed), 1, 1,
                List.of(new LabelledRun("noise", values, new boolean[readings], List.of(), 1000)));
    }
}
