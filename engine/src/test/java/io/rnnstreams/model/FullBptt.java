package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ObjIntConsumer;

/**
 * The reference of the TBPTT-vs-full-BPTT equivalence tests: the mean of per-pair full-BPTT gradients, and the
 * comparison of a window's gradients with it (relative difference below 1e-10, not vacuous).
 */
final class FullBptt {
    private FullBptt() {
    }

    /**
     * The mean over pairs {@code first .. first + count - 1} of each pair's gradients, of length {@code size};
     * {@code gradientOf} writes pair {@code p}'s full-BPTT gradients into the array it is given.
     */
    static double[] meanGradient(int first, int count, int size, ObjIntConsumer<double[]> gradientOf) {
        double[] mean = new double[size];
        double[] one = new double[size];
        for (int p = first; p < first + count; p++) {
            gradientOf.accept(one, p);
            for (int i = 0; i < size; i++) {
                mean[i] += one[i] / count;
            }
        }
        return mean;
    }

    /**
     * Asserts {@code windowed} equals {@code full} to a relative difference below 1e-10 (floored at 1e-6), with more
     * than three quarters of {@code full} non-zero so that the comparison is not vacuous; prints the worst difference.
     */
    static void assertEquivalent(String what, double[] windowed, double[] full) {
        double worst = 0;
        int nonZero = 0;
        for (int i = 0; i < full.length; i++) {
            worst = Math.max(worst, Math.abs(windowed[i] - full[i]) / Math.max(Math.abs(full[i]), 1e-6));
            nonZero += Math.abs(full[i]) > 1e-8 ? 1 : 0;
        }
        System.out.printf("%s: TBPTT vs full BPTT, worst relative difference %.2e over %d parameters, %d non-zero%n",
                what, worst, full.length, nonZero);
        assertTrue(nonZero > full.length * 3 / 4, what + ": not vacuous: " + nonZero + " of " + full.length
                + " gradients are non-zero");
        assertTrue(worst < 1e-10, what + ": worst relative difference " + worst);
    }
}
