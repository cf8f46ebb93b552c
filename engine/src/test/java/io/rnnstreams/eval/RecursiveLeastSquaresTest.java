package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Recursive least squares against a hand-computed step and the closed-form weighted ridge solution. */
class RecursiveLeastSquaresTest {

    @Test
    void oneUpdateByHand() {
        // P = 100, phi = 2, y = 4, lambda = 1: gain = 200 / 401, theta = 800 / 401, P = 100 / 401
        RecursiveLeastSquares rls = new RecursiveLeastSquares(1, 1.0, 100);
        rls.update(new double[] {2}, 4);
        assertEquals(800.0 / 401, rls.coefficients()[0], 1e-15);
        // a second pair: P phi = 200/401, denominator = 1 + 400/401 = 801/401, error = 4 - 1600/401
        rls.update(new double[] {2}, 4);
        double gain = (200.0 / 401) / (801.0 / 401);
        assertEquals(800.0 / 401 + gain * (4 - 1600.0 / 401), rls.coefficients()[0], 1e-13);
        assertEquals(1600.0 / 801, rls.coefficients()[0], 1e-13, "= 2 * 400 / (400 + 0.5 * 1/100 * ...)");
    }

    @Test
    void equalsTheClosedFormExponentiallyWeightedRidgeSolution() {
        double lambda = 0.95;
        double delta = 10;
        int n = 40;
        Random random = new Random(3);
        RecursiveLeastSquares rls = new RecursiveLeastSquares(3, lambda, delta);
        double[][] a = new double[3][3];
        double[] b = new double[3];
        for (int t = 1; t <= n; t++) {
            double[] phi = {1, random.nextGaussian(), random.nextGaussian()};
            double y = 0.5 - 2 * phi[1] + 0.25 * phi[2] + 0.1 * random.nextGaussian();
            rls.update(phi, y);
            for (int i = 0; i < 3; i++) { // A = lambda A + phi phi', b = lambda b + phi y
                b[i] = lambda * b[i] + phi[i] * y;
                for (int j = 0; j < 3; j++) {
                    a[i][j] = lambda * a[i][j] + phi[i] * phi[j];
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            a[i][i] += Math.pow(lambda, n) / delta;
        }
        assertArrayEquals(solve(a, b), rls.coefficients(), 1e-9);
    }

    /** Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        double[] y = b.clone();
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] row = m[c];
            m[c] = m[pivot];
            m[pivot] = row;
            double v = y[c];
            y[c] = y[pivot];
            y[pivot] = v;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k < n; k++) {
                    m[r][k] -= f * m[c][k];
                }
                y[r] -= f * y[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = y[r];
            for (int k = r + 1; k < n; k++) {
                s -= m[r][k] * x[k];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }
}
