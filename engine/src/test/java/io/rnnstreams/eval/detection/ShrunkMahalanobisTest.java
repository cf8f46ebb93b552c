package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-worked cases: packed U = [[4, 2], [2, 3]] is {4, 2, 3}; d = (2, 1). */
class ShrunkMahalanobisTest {
    private static final double[] U = {4, 2, 3};
    private static final double[] D = {2, 1};
    private static final boolean[] BOTH = {true, true};

    /** lambda 0: A^-1 = [[3, -2], [-2, 4]] / 8, A^-1 d = (1/2, 0), T^2 = 1, parts (1, 0). */
    @Test
    void noShrinkage() {
        double[] parts = new double[2];
        assertEquals(1.0, new ShrunkMahalanobis(2, 0.0).distance(U, 0, D, BOTH, parts), 1e-12);
        assertArrayEquals(new double[] {1.0, 0.0}, parts, 1e-12);
    }

    /** lambda 1/2: A = [[4, 1], [1, 3]], A^-1 d = (5, 2) / 11, T^2 = 12 / 11, parts (10, 2) / 11. */
    @Test
    void halfShrunkTowardsTheDiagonal() {
        double[] parts = new double[2];
        assertEquals(12.0 / 11, new ShrunkMahalanobis(2, 0.5).distance(U, 0, D, BOTH, parts), 1e-12);
        assertArrayEquals(new double[] {10.0 / 11, 2.0 / 11}, parts, 1e-12);
    }

    /** A mask leaves a channel out: channel 1 alone gives d_1^2 / U_11 = 1 / 3; none gives 0. */
    @Test
    void maskedChannelsAreLeftOut() {
        double[] parts = new double[2];
        double[] padded = {99, 4, 2, 3}; // the matrix from offset 1
        assertEquals(1.0 / 3, new ShrunkMahalanobis(2, 0.1).distance(padded, 1, D, new boolean[] {false, true},
                parts), 1e-12);
        assertArrayEquals(new double[] {0.0, 1.0 / 3}, parts, 1e-12);
        assertEquals(0.0, new ShrunkMahalanobis(2, 0.1).distance(U, 0, D, new boolean[] {false, false}, parts));
    }

    /** U = [[1, 2], [2, 1]] is not positive definite: the diagonal alone, T^2 = 1 + 1. */
    @Test
    void notPositiveDefiniteFallsBackToTheDiagonal() {
        double[] parts = new double[2];
        assertEquals(2.0, new ShrunkMahalanobis(2, 0.0).distance(new double[] {1, 2, 1}, 0, new double[] {1, 1},
                BOTH, parts), 1e-12);
        assertArrayEquals(new double[] {1.0, 1.0}, parts, 1e-12);
    }

    /** One channel: d^2 / u whatever the shrinkage. */
    @Test
    void oneChannelIsTheSquaredStandardisedDeviation() {
        double[] parts = new double[1];
        assertEquals(2.25, new ShrunkMahalanobis(1, 0.3).distance(new double[] {4}, 0, new double[] {3},
                new boolean[] {true}, parts), 1e-12);
    }

    @Test
    void packedIndexAndValidation() {
        assertEquals(0, ShrunkMahalanobis.packed(0, 0));
        assertEquals(4, ShrunkMahalanobis.packed(2, 1));
        assertEquals(4, ShrunkMahalanobis.packed(1, 2));
        assertEquals(36, ShrunkMahalanobis.packedSize(8));
        assertThrows(IllegalArgumentException.class, () -> new ShrunkMahalanobis(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new ShrunkMahalanobis(2, 1.5));
    }
}
