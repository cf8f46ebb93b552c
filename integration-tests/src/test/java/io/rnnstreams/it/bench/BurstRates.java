package io.rnnstreams.it.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The rates of the max-throughput phase's bursts ({@link BenchConfig#bursts()}) and what a cell reports of them:
 * their median, their spread (the largest over the smallest) as a measure of how steady the cell ran, and their
 * trend: whether the cell was still speeding up while it was measured (a JVM still warming), which makes the median
 * understate its steady rate.
 */
final class BurstRates {
    private BurstRates() {
    }

    /**
     * The median of {@code rates} (the mean of the middle two for an even count); NaN for none.
     *
     * @throws IllegalArgumentException if a rate is NaN or not positive (a burst always has a rate)
     */
    static double median(List<Double> rates) {
        double[] sorted = sorted(rates);
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The largest rate over the smallest (1 for one burst); NaN for none. */
    static double spread(List<Double> rates) {
        double[] sorted = sorted(rates);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / sorted[0];
    }

    /**
     * A trend above this ({@value}) marks a cell as still climbing: measured on this project's 2-core machine, the
     * pass-through baseline's five bursts after a 20 s warm-up rose 260k -> 377k readings/s (trend 1.31) and stayed
     * within 353-414k (trend 0.99) after 60 s; the rnn cells' trends were 0.98-1.05 after either.
     */
    static final double CLIMBING = 1.10;

    /**
     * The mean of the later half of {@code rates} (in the order they were measured) over the mean of the earlier half;
     * with an odd count the middle one belongs to neither. 1 for one rate, NaN for none.
     *
     * @throws IllegalArgumentException if a rate is NaN or not positive
     */
    static double trend(List<Double> rates) {
        sorted(rates); // validates
        int n = rates.size();
        if (n == 0) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1;
        }
        int half = n / 2;
        double early = 0;
        double late = 0;
        for (int i = 0; i < half; i++) {
            early += rates.get(i);
            late += rates.get(n - 1 - i);
        }
        return late / early;
    }

    /** Whether {@code rates} still climbed while measured: {@link #trend} above {@link #CLIMBING}. */
    static boolean climbing(List<Double> rates) {
        return trend(rates) > CLIMBING;
    }

    /**
     * The range of {@code cell}'s rate over {@code baseline}'s that their bursts allow: the cell's slowest burst over
     * the baseline's fastest, and its fastest over the baseline's slowest; {NaN, NaN} if either has none.
     */
    static double[] ratioRange(List<Double> cell, List<Double> baseline) {
        double[] c = sorted(cell);
        double[] b = sorted(baseline);
        if (c.length == 0 || b.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {c[0] / b[b.length - 1], c[c.length - 1] / b[0]};
    }

    private static double[] sorted(List<Double> rates) {
        double[] a = new double[rates.size()];
        for (int i = 0; i < a.length; i++) {
            double r = rates.get(i);
            if (!(r > 0)) {
                throw new IllegalArgumentException("a burst's rate must be positive, got " + r);
            }
            a[i] = r;
        }
        Arrays.sort(a);
        return a;
    }
}
