package io.rnnstreams.eval.detection;

import java.util.Arrays;
import java.util.List;

/**
 * Per-row detection figures over the scored rows of a corpus (SKAB's outlier-detection protocol): a row is
 * positive when its score is at or above the threshold, and is compared with its label.
 *
 * @param threshold the threshold
 * @param tp        anomalous rows flagged
 * @param fp        normal rows flagged
 * @param fn        anomalous rows not flagged
 * @param tn        normal rows not flagged
 */
public record RowMetrics(double threshold, long tp, long fp, long fn, long tn) {

    /** The counts at {@code threshold}. */
    public static RowMetrics at(List<ScoredSeries> corpus, double threshold) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (ScoredSeries s : corpus) {
            for (int i = s.firstScored(); i < s.length(); i++) {
                boolean flagged = s.flagged(i, threshold);
                if (s.anomalous()[i]) {
                    if (flagged) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (flagged) {
                    fp++;
                } else {
                    tn++;
                }
            }
        }
        return new RowMetrics(threshold, tp, fp, fn, tn);
    }

    /** {@code tp / (tp + fp)}; 0 when nothing is flagged. */
    public double precision() {
        return tp + fp == 0 ? 0.0 : tp / (double) (tp + fp);
    }

    /** {@code tp / (tp + fn)}. */
    public double recall() {
        return tp + fn == 0 ? 0.0 : tp / (double) (tp + fn);
    }

    /** The harmonic mean of precision and recall; 0 when both are 0. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** False-alarm rate {@code fp / (fp + tn)}. */
    public double far() {
        return fp + tn == 0 ? 0.0 : fp / (double) (fp + tn);
    }

    /** Missed-alarm rate {@code fn / (fn + tp)}. */
    public double mar() {
        return fn + tp == 0 ? 0.0 : fn / (double) (fn + tp);
    }

    /**
     * The threshold with the best F1 among those whose false-alarm rate is at most {@code maxFar}, every
     * distinct score tried (an oracle threshold: chosen on the data it is scored on, as NAB's sweep is).
     * Returns the counts at {@code +infinity} (nothing flagged) if no threshold qualifies.
     */
    public static RowMetrics bestF1(List<ScoredSeries> corpus, double maxFar) {
        double[][] ranked = ranked(corpus);
        long positives = 0;
        long negatives = 0;
        for (double[] r : ranked) {
            if (r[1] > 0) {
                positives++;
            } else {
                negatives++;
            }
        }
        RowMetrics best = new RowMetrics(Double.POSITIVE_INFINITY, 0, 0, positives, negatives);
        long tp = 0;
        long fp = 0;
        for (int k = 0; k < ranked.length; k++) {
            if (ranked[k][1] > 0) {
                tp++;
            } else {
                fp++;
            }
            if (k + 1 < ranked.length && ranked[k + 1][0] == ranked[k][0]) {
                continue; // ties: a threshold flags all of them
            }
            RowMetrics m = new RowMetrics(ranked[k][0], tp, fp, positives - tp, negatives - fp);
            if (m.far() <= maxFar && m.f1() > best.f1()) {
                best = m;
            }
        }
        return best;
    }

    /**
     * Threshold-free ROC AUC: the probability that a random anomalous row scores above a random normal one,
     * ties counting one half (Mann-Whitney U with mid-ranks); NaN scores rank lowest. NaN without both classes.
     */
    public static double rocAuc(List<ScoredSeries> corpus) {
        double[][] ranked = ranked(corpus); // descending
        long positives = 0;
        long negatives = 0;
        double lost = 0; // minus the (positive, negative) pairs not won by the positive: negative above, or half a tie
        long negativesAbove = 0;
        int k = 0;
        while (k < ranked.length) {
            int end = k;
            long tiePositives = 0;
            long tieNegatives = 0;
            while (end < ranked.length && ranked[end][0] == ranked[k][0]) {
                if (ranked[end][1] > 0) {
                    tiePositives++;
                } else {
                    tieNegatives++;
                }
                end++;
            }
            // every positive in this tie is above the negatives below it and level with the tied negatives
            lost -= tiePositives * (double) negativesAbove;
            lost -= 0.5 * tiePositives * tieNegatives;
            negativesAbove += tieNegatives;
            positives += tiePositives;
            negatives += tieNegatives;
            k = end;
        }
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // pairs won by the positive = all pairs - pairs with the negative above - half the ties
        return (positives * (double) negatives + lost) / (positives * (double) negatives);
    }

    /**
     * Threshold-free PR AUC as average precision: {@code sum_k (R_k - R_{k-1}) P_k} over the distinct scores,
     * highest first (ties enter together). NaN without anomalous rows.
     */
    public static double prAuc(List<ScoredSeries> corpus) {
        double[][] ranked = ranked(corpus);
        long positives = 0;
        for (double[] r : ranked) {
            if (r[1] > 0) {
                positives++;
            }
        }
        if (positives == 0) {
            return Double.NaN;
        }
        long tp = 0;
        long flagged = 0;
        double previousRecall = 0;
        double area = 0;
        for (int k = 0; k < ranked.length; k++) {
            flagged++;
            if (ranked[k][1] > 0) {
                tp++;
            }
            if (k + 1 < ranked.length && ranked[k + 1][0] == ranked[k][0]) {
                continue;
            }
            double recall = tp / (double) positives;
            area += (recall - previousRecall) * (tp / (double) flagged);
            previousRecall = recall;
        }
        return area;
    }

    /** Scored rows as {@code {score, label}}, highest score first, NaN as {@code -infinity}. */
    private static double[][] ranked(List<ScoredSeries> corpus) {
        int n = 0;
        for (ScoredSeries s : corpus) {
            n += s.length() - s.firstScored();
        }
        double[][] rows = new double[n][];
        int k = 0;
        for (ScoredSeries s : corpus) {
            for (int i = s.firstScored(); i < s.length(); i++) {
                double score = Double.isNaN(s.scores()[i]) ? Double.NEGATIVE_INFINITY : s.scores()[i];
                rows[k++] = new double[] {score, s.anomalous()[i] ? 1 : 0};
            }
        }
        Arrays.sort(rows, (a, b) -> Double.compare(b[0], a[0]));
        return rows;
    }
}
