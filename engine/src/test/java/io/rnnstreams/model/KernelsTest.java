package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The blocked kernels ({@link Kernels}, {@link WindowGradients#JAVA}) against the simplest loops, bit for bit
 * ({@code Double.doubleToRawLongBits}), on 0..13, 32, 33, 40 and 136 columns by 1..9, 32, 33, 128 and 512 rows
 * (every remainder of the blocks of four), 0..17 window steps, plus the engine's own shapes (4H x D and 4H x H for
 * H = 8, 32, 128; the head's 1 x H), with data whose sums change when reordered: terms of magnitudes 2^-30 to 2^30,
 * so that a reordering fails ({@link #theDataDetectReordering}; planted reorderings did). And
 * {@link Model#allFinite} (four partial sums) against every position of a non-finite entry.
 */
class KernelsTest {
    private static final int[] ROWS = {1, 2, 3, 4, 5, 7, 8, 9, 32, 33, 128, 512};
    private static final int[] COLS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 32, 33, 40, 136};

    /** Random values of random sign and magnitude 2^-30 .. 2^30: rounding depends on the order of the sum. */
    static double value(SplittableRandom r) {
        return (r.nextBoolean() ? 1 : -1) * (1 + r.nextDouble()) * Math.scalb(1.0, r.nextInt(-30, 31));
    }

    static double[] vector(int n, SplittableRandom r) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = value(r);
        }
        return a;
    }

    static double[][] matrix(int cols, int rows, SplittableRandom r) {
        double[][] a = new double[cols][];
        for (int j = 0; j < cols; j++) {
            a[j] = vector(rows, r);
        }
        return a;
    }

    static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int j = 0; j < a.length; j++) {
            c[j] = a[j].clone();
        }
        return c;
    }

    /** The reference: one {@code axpy} per column, in column order (the engine's loops before blocking). */
    static void multiplyAddByColumns(double[][] columns, double[] x, double[] y) {
        for (int j = 0; j < columns.length; j++) {
            for (int i = 0; i < columns[j].length; i++) {
                y[i] += x[j] * columns[j][i];
            }
        }
    }

    /** The reference: one dot product per column, summed from row 0 on. */
    static void transposeMultiplyAddByColumns(double[][] columns, double[] g, double[] dst) {
        for (int j = 0; j < columns.length; j++) {
            double s = 0.0;
            for (int i = 0; i < columns[j].length; i++) {
                s += columns[j][i] * g[i];
            }
            dst[j] += s;
        }
    }

    /** The reference: one {@code axpy} per column. */
    static void outerAddByColumns(double[][] grad, double[] g, double[] x) {
        for (int j = 0; j < grad.length; j++) {
            for (int i = 0; i < g.length; i++) {
                grad[j][i] += x[j] * g[i];
            }
        }
    }

    /** The reference: {@code grad[j][i] += g[t][i] x[t][j]}, one step at a time. */
    static void windowByTripleLoop(double[][] grad, double[][] g, double[][] x, int steps) {
        for (int j = 0; j < grad.length; j++) {
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < grad[j].length; i++) {
                    grad[j][i] += g[t][i] * x[t][j];
                }
            }
        }
    }

    static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            long e = Double.doubleToRawLongBits(expected[i]);
            long a = Double.doubleToRawLongBits(actual[i]);
            if (e != a) {
                throw new AssertionError(what + " [" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    @Test
    void multiplyAddMatchesOneAxpyPerColumnBitForBit() {
        SplittableRandom r = new SplittableRandom(1L);
        int checked = 0;
        for (int rows : ROWS) {
            for (int cols : COLS) {
                double[][] w = matrix(cols, rows, r);
                double[] x = vector(cols, r);
                // y longer than the rows: the extra entries stay as they are
                double[] y = vector(rows + 3, r);
                double[] expected = y.clone();
                multiplyAddByColumns(w, x, expected);
                Kernels.multiplyAdd(w, x, y);
                assertSameBits(expected, y, "multiplyAdd rows=" + rows + " cols=" + cols);
                checked++;
            }
        }
        assertEquals(ROWS.length * COLS.length, checked);
    }

    @Test
    void transposeMultiplyAddMatchesOneDotPerColumnBitForBit() {
        SplittableRandom r = new SplittableRandom(2L);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                double[][] w = matrix(cols, rows, r);
                double[] g = vector(rows + 2, r); // longer than the rows: the extra entries are ignored
                double[] dst = vector(cols + 2, r);
                double[] expected = dst.clone();
                transposeMultiplyAddByColumns(w, g, expected);
                Kernels.transposeMultiplyAdd(w, g, dst);
                assertSameBits(expected, dst, "transposeMultiplyAdd rows=" + rows + " cols=" + cols);
            }
        }
    }

    @Test
    void outerAddMatchesOneAxpyPerColumnBitForBit() {
        SplittableRandom r = new SplittableRandom(3L);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                double[][] grad = matrix(cols, rows, r);
                double[] g = vector(rows, r);
                double[] x = vector(cols + 1, r);
                double[][] expected = copy(grad);
                outerAddByColumns(expected, g, x);
                Kernels.outerAdd(grad, g, x);
                for (int j = 0; j < cols; j++) {
                    assertSameBits(expected[j], grad[j], "outerAdd rows=" + rows + " cols=" + cols + " column " + j);
                }
            }
        }
    }

    @Test
    void windowGradientsJavaMatchesTheTripleLoopBitForBit() {
        SplittableRandom r = new SplittableRandom(4L);
        for (int rows : ROWS) {
            for (int cols : new int[] {1, 3, 8, 33}) {
                for (int steps = 0; steps <= 17; steps++) {
                    double[][] grad = matrix(cols, rows, r);
                    double[][] g = matrix(steps + 2, rows + 1, r); // more steps and rows than used
                    double[][] x = matrix(steps + 2, cols + 1, r);
                    double[][] expected = copy(grad);
                    windowByTripleLoop(expected, g, x, steps);
                    WindowGradients.JAVA.accumulate(grad, g, x, steps);
                    for (int j = 0; j < cols; j++) {
                        assertSameBits(expected[j], grad[j],
                                "window rows=" + rows + " cols=" + cols + " steps=" + steps + " column " + j);
                    }
                }
            }
        }
    }

    @Test
    void engineShapesMatchBitForBit() {
        SplittableRandom r = new SplittableRandom(5L);
        for (int hidden : new int[] {8, 32, 128}) {
            for (int cols : new int[] {1, 8, hidden}) {
                double[][] w = matrix(cols, 4 * hidden, r);
                double[] x = vector(cols, r);
                double[] y = vector(4 * hidden, r);
                double[] expected = y.clone();
                multiplyAddByColumns(w, x, expected);
                Kernels.multiplyAdd(w, x, y);
                assertSameBits(expected, y, "multiplyAdd H=" + hidden + " cols=" + cols);

                double[] g = vector(4 * hidden, r);
                double[] dst = vector(2 * hidden, r);
                double[] expectedDst = dst.clone();
                transposeMultiplyAddByColumns(w, g, expectedDst);
                Kernels.transposeMultiplyAdd(w, g, dst);
                assertSameBits(expectedDst, dst, "transposeMultiplyAdd H=" + hidden + " cols=" + cols);
            }
            // the head V: O = 1 row, H columns
            double[][] v = matrix(hidden, 1, r);
            double[] h = vector(2 * hidden, r);
            double[] out = vector(1, r);
            double[] expected = out.clone();
            multiplyAddByColumns(v, h, expected);
            Kernels.multiplyAdd(v, h, out);
            assertSameBits(expected, out, "head H=" + hidden);
        }
    }

    @Test
    void addSquaredNormsMatchesOneDotPerColumnBitForBit() {
        SplittableRandom r = new SplittableRandom(7L);
        for (int rows : ROWS) {
            for (int cols : COLS) {
                double[][] w = matrix(cols, rows, r);
                double start = value(r);
                double expected = start;
                for (double[] c : w) {
                    double s = 0.0;
                    for (int i = 0; i < c.length; i++) {
                        s += c[i] * c[i];
                    }
                    expected += s;
                }
                assertSameBits(new double[] {expected}, new double[] {Kernels.addSquaredNorms(w, start)},
                        "addSquaredNorms rows=" + rows + " cols=" + cols);
            }
        }
    }

    /** {@link Model#allFinite} (four partial sums) says what the one-chain version said, for every position of a bad entry. */
    @Test
    void allFiniteFindsEveryNonFiniteEntry() {
        SplittableRandom r = new SplittableRandom(8L);
        for (int n = 0; n <= 70; n++) {
            double[] a = vector(n, r);
            if (n > 0) {
                a[0] = Double.MAX_VALUE;
                a[n - 1] = -Double.MAX_VALUE;
            }
            assertTrue(Model.allFinite(a), "all finite, n=" + n);
            for (int k = 0; k < n; k++) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    double[] b = a.clone();
                    b[k] = bad;
                    assertTrue(!Model.allFinite(b), bad + " at " + k + " of " + n);
                }
            }
            if (n >= 2) {
                double[] both = a.clone();
                both[0] = Double.POSITIVE_INFINITY;
                both[n - 1] = Double.NEGATIVE_INFINITY;
                assertTrue(!Model.allFinite(both), "+inf and -inf, n=" + n);
            }
        }
    }

    /**
     * The test data are sensitive to the order of a sum: adding one column's terms in reverse order, or two columns
     * in swapped order, changes most results. (The same data caught a planted reordering of the kernels.)
     */
    @Test
    void theDataDetectReordering() {
        SplittableRandom r = new SplittableRandom(6L);
        int rows = 128;
        int cols = 32;
        double[][] w = matrix(cols, rows, r);
        double[] g = vector(rows, r);
        double[] x = vector(cols, r);
        int reversedDiffers = 0;
        for (int j = 0; j < cols; j++) {
            double forward = 0.0;
            double backward = 0.0;
            for (int i = 0; i < rows; i++) {
                forward += w[j][i] * g[i];
                backward += w[j][rows - 1 - i] * g[rows - 1 - i];
            }
            if (Double.doubleToRawLongBits(forward) != Double.doubleToRawLongBits(backward)) {
                reversedDiffers++;
            }
        }
        assertTrue(reversedDiffers > cols / 2, "reversed dot products differ in " + reversedDiffers + " of " + cols);
        int swappedDiffers = 0;
        double[] y = vector(rows, r);
        for (int i = 0; i < rows; i++) {
            double inOrder = (y[i] + x[0] * w[0][i]) + x[1] * w[1][i];
            double swapped = (y[i] + x[1] * w[1][i]) + x[0] * w[0][i];
            if (Double.doubleToRawLongBits(inOrder) != Double.doubleToRawLongBits(swapped)) {
                swappedDiffers++;
            }
        }
        assertTrue(swappedDiffers > rows / 10, "swapped column order differs in " + swappedDiffers + " of " + rows);
    }
}
