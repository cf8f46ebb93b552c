package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code grad += G X^T} by both implementations against a naive triple loop. */
class WindowGradientsTest {
    static final double REL = 1e-12;

    static Stream<Arguments> shapes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (WindowGradients impl : new WindowGradients[] {WindowGradients.JAVA, WindowGradients.JBLAS}) {
            for (int rows : new int[] {40, 512}) {
                for (int cols : new int[] {13, 136}) {
                    for (int steps : new int[] {1, 7, 64}) {
                        b.add(Arguments.of(impl == WindowGradients.JAVA ? "JAVA" : "JBLAS", rows, cols, steps));
                    }
                }
            }
        }
        return b.build();
    }

    static WindowGradients impl(String name) {
        return name.equals("JAVA") ? WindowGradients.JAVA : WindowGradients.JBLAS;
    }

    static double[][] random(int n, int m, SplittableRandom r) {
        double[][] a = new double[n][m];
        for (double[] row : a) {
            for (int i = 0; i < m; i++) {
                row[i] = 2 * r.nextDouble() - 1;
            }
        }
        return a;
    }

    /**
     * Checks {@code actual[j][i] == base[j][i] + sum_t g[t][i] x[t][j]} to {@code REL} relative to the sum of
     * the absolute terms (the scale the summation order can perturb).
     */
    static void assertMatchesNaive(double[][] base, double[][] g, double[][] x, int steps, double[][] actual) {
        int cols = actual.length;
        int rows = actual[0].length;
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                double expected = base[j][i];
                double scale = Math.abs(base[j][i]);
                for (int t = 0; t < steps; t++) {
                    expected += g[t][i] * x[t][j];
                    scale += Math.abs(g[t][i] * x[t][j]);
                }
                double err = Math.abs(expected - actual[j][i]);
                assertTrue(err <= REL * scale, "(" + i + "," + j + "): expected " + expected + ", got "
                        + actual[j][i] + ", error " + err + " vs scale " + scale);
            }
        }
    }

    @ParameterizedTest(name = "{0} rows={1} cols={2} steps={3}")
    @MethodSource("shapes")
    void matchesNaiveTripleLoop(String name, int rows, int cols, int steps) {
        SplittableRandom r = new SplittableRandom(rows * 1_000_003L + cols * 1009L + steps);
        double[][] g = random(steps, rows, r);
        double[][] x = random(steps, cols, r);
        double[][] grad = new double[cols][rows];
        impl(name).accumulate(grad, g, x, steps);
        assertMatchesNaive(new double[cols][rows], g, x, steps, grad);
        // the result is not trivially zero
        double max = 0;
        for (double[] c : grad) {
            for (double v : c) {
                max = Math.max(max, Math.abs(v));
            }
        }
        assertTrue(max > 0.1, "max |grad| " + max);
    }

    @ParameterizedTest(name = "{0} rows={1} cols={2} steps={3}")
    @MethodSource("shapes")
    void ignoresExtraEntriesAndRowsBeyondSteps(String name, int rows, int cols, int steps) {
        SplittableRandom r = new SplittableRandom(7 + rows + cols + steps);
        // g[t] and x[t] longer than rows / cols, and more time steps allocated than used: all poison
        double[][] g = random(steps + 3, rows + 5, r);
        double[][] x = random(steps + 3, cols + 4, r);
        for (int t = 0; t < steps + 3; t++) {
            for (int i = rows; i < rows + 5; i++) {
                g[t][i] = 1e300;
            }
            for (int j = cols; j < cols + 4; j++) {
                x[t][j] = Double.NaN;
            }
            if (t >= steps) {
                java.util.Arrays.fill(g[t], Double.NaN);
                java.util.Arrays.fill(x[t], 1e300);
            }
        }
        double[][] grad = new double[cols][rows];
        impl(name).accumulate(grad, g, x, steps);
        assertMatchesNaive(new double[cols][rows], g, x, steps, grad);
    }

    @ParameterizedTest(name = "{0} rows={1} cols={2} steps={3}")
    @MethodSource("shapes")
    void accumulatesOntoExistingGradient(String name, int rows, int cols, int steps) {
        SplittableRandom r = new SplittableRandom(99 + rows + cols + steps);
        double[][] g = random(steps, rows, r);
        double[][] x = random(steps, cols, r);
        double[][] base = random(cols, rows, r);
        for (double[] c : base) {
            for (int i = 0; i < c.length; i++) {
                c[i] *= 10;
            }
        }
        double[][] grad = new double[cols][];
        for (int j = 0; j < cols; j++) {
            grad[j] = base[j].clone();
        }
        impl(name).accumulate(grad, g, x, steps);
        assertMatchesNaive(base, g, x, steps, grad);
        // and twice is twice the product
        impl(name).accumulate(grad, g, x, steps);
        double[][] g2 = new double[steps][rows];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < rows; i++) {
                g2[t][i] = 2 * g[t][i];
            }
        }
        assertMatchesNaive(base, g2, x, steps, grad);
    }

    @Test
    void smallExampleByHand() {
        // G = [g0 g1] with g0 = (1, 2), g1 = (3, -1); X = [x0 x1] with x0 = (2, 0, 1), x1 = (-1, 4, 0.5)
        // G X^T = g0 x0^T + g1 x1^T = [[2-3, 0+12, 1+1.5], [4+1, 0-4, 2-0.5]] = [[-1, 12, 2.5], [5, -4, 1.5]]
        double[][] g = {{1, 2}, {3, -1}};
        double[][] x = {{2, 0, 1}, {-1, 4, 0.5}};
        for (WindowGradients impl : new WindowGradients[] {WindowGradients.JAVA, WindowGradients.JBLAS}) {
            double[][] grad = {{100, 0}, {0, 0}, {0, -100}}; // [column][row]
            impl.accumulate(grad, g, x, 2);
            assertEquals(99, grad[0][0], 0.0);
            assertEquals(5, grad[0][1], 0.0);
            assertEquals(12, grad[1][0], 0.0);
            assertEquals(-4, grad[1][1], 0.0);
            assertEquals(2.5, grad[2][0], 0.0);
            assertEquals(-98.5, grad[2][1], 0.0);
        }
    }

    @Test
    void forShapeTakesJblasOnlyForLongWindowsOfWideMatrices() {
        assertSame(WindowGradients.JBLAS, WindowGradients.forShape(128, 32, 64));
        assertSame(WindowGradients.JBLAS, WindowGradients.forShape(512, 128, 64));
        assertSame(WindowGradients.JAVA, WindowGradients.forShape(512, 128, 16), "k2 = 16: Java at every size");
        assertSame(WindowGradients.JAVA, WindowGradients.forShape(512, 8, 64), "few columns: Java");
        assertSame(WindowGradients.JAVA, WindowGradients.forShape(96, 32, 64), "few rows: Java");
        assertSame(WindowGradients.JAVA, WindowGradients.forShape(128, 32, 63));
    }
}
