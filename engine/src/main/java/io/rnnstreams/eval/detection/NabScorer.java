package io.rnnstreams.eval.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Numenta Anomaly Benchmark's scoring (Lavin and Ahmad, "Evaluating Real-time Anomaly Detection
 * Algorithms", 2015), as numenta/NAB's {@code nab/sweeper.py} computes it, over a corpus of
 * {@link ScoredSeries}:
 *
 * <ul>
 *   <li>a row is a detection when its score is at or above the threshold;</li>
 *   <li>each row gets a weight by where it lies: inside a window of width {@code W} ending at row {@code R},
 *       row {@code i} has position {@code -(R - i + 1) / W} and weight
 *       {@code tpWeight * scaledSigmoid(position) / scaledSigmoid(-1)}: exactly {@code tpWeight} at the
 *       window's first row, falling to {@code tpWeight * 0.0507 / 0.9866} at its last row of a one-row window
 *       and near 0 at the last row of a wide one; outside windows the weight is
 *       {@code fpWeight * scaledSigmoid(|i - R'| / (W' - 1))} for the closest preceding window (last row
 *       {@code R'}, width {@code W'}; a one-row window uses position 2), and {@code -fpWeight} before the
 *       first window;</li>
 *   <li>a window scores the weight of its earliest detection (the largest), or {@code -fnWeight} without
 *       one; every detection outside windows adds its (negative) weight;</li>
 *   <li>rows before a series' {@code firstScored} are the probation: not scored, and a window counts only
 *       if one of its rows is scored;</li>
 *   <li>normalised score {@code 100 (raw - null) / (perfect - null)}: the null detector (never detects)
 *       scores {@code -fnWeight} per window, the perfect one (detects each window's first row, nothing
 *       else) {@code tpWeight} per window, so they score 0 and 100;</li>
 *   <li>{@link #optimise}: the threshold that maximises the raw score of the whole corpus at once (NAB's
 *       sweep: every distinct score is tried, highest first; ties go to the highest threshold).</li>
 * </ul>
 */
public final class NabScorer {
    /** The score of a detection at a window's first row before weighting: {@code 2 sigmoid(5) - 1}. */
    static final double MAX_TP = scaledSigmoid(-1.0);

    private NabScorer() {
    }

    /**
     * A profile's score of a corpus at one threshold.
     *
     * @param profile    the cost matrix
     * @param threshold  detections are rows with score {@code >= threshold}
     * @param raw        the sum of window and false-positive scores
     * @param nullScore  the raw score of a detector that never detects
     * @param perfect    the raw score of a detector that detects exactly each window's first row
     * @param normalised {@code 100 (raw - null) / (perfect - null)}; NaN for a corpus without windows
     * @param detectedWindows windows with a detection
     * @param windows    scored windows
     * @param falsePositives detections outside windows
     */
    public record Result(NabProfile profile, double threshold, double raw, double nullScore, double perfect,
                         double normalised, int detectedWindows, int windows, long falsePositives) {
    }

    /** NAB's scaled sigmoid: {@code 2 / (1 + exp(5 x)) - 1}, and {@code -1} from {@code x >= 3} on. */
    public static double scaledSigmoid(double relativePosition) {
        if (relativePosition >= 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }

    /**
     * Each row's weight under {@code profile} (its score if it were a detection), by the rules above;
     * probation rows are NaN.
     */
    public static double[] rowWeights(ScoredSeries series, NabProfile profile) {
        int n = series.length();
        double[] weight = new double[n];
        List<LabelledWindow> windows = series.windows();
        int next = 0;
        LabelledWindow previous = null;
        for (int i = 0; i < n; i++) {
            while (next < windows.size() && windows.get(next).last() < i) {
                previous = windows.get(next);
                next++;
            }
            LabelledWindow w = next < windows.size() && windows.get(next).first() <= i ? windows.get(next) : null;
            if (w != null) {
                double position = -(w.last() - i + 1) / (double) w.width();
                weight[i] = scaledSigmoid(position) * profile.tpWeight() / MAX_TP;
            } else if (previous == null) {
                weight[i] = -profile.fpWeight();
            } else {
                double position = previous.width() <= 1 ? 2.0 : (i - previous.last()) / (double) (previous.width() - 1);
                weight[i] = scaledSigmoid(position) * profile.fpWeight();
            }
            if (i < series.firstScored()) {
                weight[i] = Double.NaN;
            }
        }
        return weight;
    }

    /** The corpus's score at a given threshold. */
    public static Result scoreAt(List<ScoredSeries> corpus, NabProfile profile, double threshold) {
        double raw = 0;
        int windows = 0;
        int detected = 0;
        long falsePositives = 0;
        for (ScoredSeries s : corpus) {
            double[] weight = rowWeights(s, profile);
            boolean[] inWindow = new boolean[s.length()];
            for (LabelledWindow w : s.windows()) {
                double best = Double.NEGATIVE_INFINITY;
                boolean scored = false;
                for (int i = w.first(); i <= w.last(); i++) {
                    inWindow[i] = true;
                    if (i >= s.firstScored()) {
                        scored = true;
                        if (s.flagged(i, threshold)) {
                            best = Math.max(best, weight[i]);
                        }
                    }
                }
                if (scored) {
                    windows++;
                    if (best > Double.NEGATIVE_INFINITY) {
                        detected++;
                        raw += best;
                    } else {
                        raw -= profile.fnWeight();
                    }
                }
            }
            for (int i = s.firstScored(); i < s.length(); i++) {
                if (!inWindow[i] && s.flagged(i, threshold)) {
                    falsePositives++;
                    raw += weight[i];
                }
            }
        }
        return result(profile, threshold, raw, detected, windows, falsePositives);
    }

    /**
     * The threshold with the best raw score over the whole corpus, and that score: NAB's sweep over every
     * distinct score, highest first, starting from {@code +infinity} (no detection).
     */
    public static Result optimise(List<ScoredSeries> corpus, NabProfile profile) {
        List<double[]> rows = new ArrayList<>(); // {score, weight, global window id or -1}
        List<Double> windowScore = new ArrayList<>();
        for (ScoredSeries s : corpus) {
            double[] weight = rowWeights(s, profile);
            int[] windowOf = new int[s.length()];
            Arrays.fill(windowOf, -1);
            for (LabelledWindow w : s.windows()) {
                if (w.last() < s.firstScored()) {
                    continue;
                }
                int id = windowScore.size();
                windowScore.add(-profile.fnWeight());
                for (int i = w.first(); i <= w.last(); i++) {
                    windowOf[i] = id;
                }
            }
            for (int i = s.firstScored(); i < s.length(); i++) {
                if (!Double.isNaN(s.scores()[i])) {
                    rows.add(new double[] {s.scores()[i], weight[i], windowOf[i]});
                }
            }
        }
        rows.sort((a, b) -> Double.compare(b[0], a[0]));
        double[] parts = windowScore.stream().mapToDouble(Double::doubleValue).toArray();
        boolean[] hit = new boolean[parts.length];
        double falsePositiveSum = 0;
        long falsePositives = 0;
        int detected = 0;
        double current = Double.POSITIVE_INFINITY;
        double bestRaw = sum(parts);
        double bestThreshold = current;
        int bestDetected = 0;
        long bestFalsePositives = 0;
        for (int k = 0; k <= rows.size(); k++) {
            boolean boundary = k == rows.size() || rows.get(k)[0] != current;
            if (boundary) {
                double raw = sum(parts) + falsePositiveSum;
                if (raw > bestRaw) {
                    bestRaw = raw;
                    bestThreshold = current;
                    bestDetected = detected;
                    bestFalsePositives = falsePositives;
                }
                if (k == rows.size()) {
                    break;
                }
                current = rows.get(k)[0];
            }
            double[] row = rows.get(k);
            int window = (int) row[2];
            if (window < 0) {
                falsePositiveSum += row[1];
                falsePositives++;
            } else {
                if (!hit[window]) {
                    hit[window] = true;
                    detected++;
                    parts[window] = row[1];
                } else {
                    parts[window] = Math.max(parts[window], row[1]);
                }
            }
        }
        return result(profile, bestThreshold, bestRaw, bestDetected, parts.length, bestFalsePositives);
    }

    private static Result result(NabProfile profile, double threshold, double raw, int detected, int windows,
                                 long falsePositives) {
        double nullScore = -profile.fnWeight() * windows;
        double perfect = profile.tpWeight() * windows;
        double normalised = windows == 0 ? Double.NaN : 100.0 * (raw - nullScore) / (perfect - nullScore);
        return new Result(profile, threshold, raw, nullScore, perfect, normalised, detected, windows, falsePositives);
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
