package io.rnnstreams.it.bench;

import java.util.Arrays;

/** Percentiles of a sample by sorting it (nearest rank: the smallest value with at least p of the sample at or below it). */
record Percentiles(int count, double p50, double p99, double p999, double max) {

    static Percentiles of(long[] sample) {
        if (sample.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] s = sample.clone();
        Arrays.sort(s);
        return new Percentiles(s.length, rank(s, 0.50), rank(s, 0.99), rank(s, 0.999), s[s.length - 1]);
    }

    /** Every figure times {@code factor} (e.g. 0.001 for a sample in µs reported in ms); the count unchanged. */
    Percentiles scaled(double factor) {
        return new Percentiles(count, p50 * factor, p99 * factor, p999 * factor, max * factor);
    }

    static double rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
