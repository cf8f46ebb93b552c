package io.rnnstreams.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rnnstreams.model.CompactState;
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

    /**
     * The update as it was written before branch tput18k, with {@code P}'s entries found by {@code at(i, j)}: the
     * reference the indexed update must match bit for bit.
     */
    private static final class Reference {
        final int size;
        final double lambda;
        final double delta;
        final double[] theta;
        final double[] theta0;
        final double[] p;
        final double[] pPhi;

        Reference(int size, double lambda, double delta, double[] theta0) {
            this.size = size;
            this.lambda = lambda;
            this.delta = delta;
            this.theta0 = theta0.clone();
            this.theta = new double[size];
            this.p = new double[size * (size + 1) / 2];
            this.pPhi = new double[size];
            reset();
        }

        int at(int i, int j) {
            int r = Math.min(i, j);
            int c = Math.max(i, j);
            return r * size - r * (r - 1) / 2 + (c - r);
        }

        void reset() {
            System.arraycopy(theta0, 0, theta, 0, size);
            java.util.Arrays.fill(p, 0.0);
            for (int i = 0; i < size; i++) {
                p[at(i, i)] = delta;
            }
        }

        void update(double[] phi, double y) {
            double denominator = lambda;
            for (int i = 0; i < size; i++) {
                double s = 0.0;
                for (int j = 0; j < size; j++) {
                    s += p[at(i, j)] * phi[j];
                }
                pPhi[i] = s;
                denominator += phi[i] * s;
            }
            double prediction = 0.0;
            for (int i = 0; i < size; i++) {
                prediction += theta[i] * phi[i];
            }
            double error = y - prediction;
            double trace = 0.0;
            for (int i = 0; i < size; i++) {
                trace += p[at(i, i)];
            }
            double divide = trace > RecursiveLeastSquares.MAX_TRACE ? 1.0 : lambda;
            boolean finite = Double.isFinite(error) && Double.isFinite(denominator) && denominator > 0;
            for (int i = 0; i < size && finite; i++) {
                double gain = pPhi[i] / denominator;
                theta[i] += gain * error;
                finite = Double.isFinite(theta[i]);
            }
            for (int i = 0; i < size && finite; i++) {
                for (int j = i; j < size; j++) {
                    double pij = p[at(i, j)];
                    double v = (pij - pPhi[i] * pPhi[j] / denominator) / divide;
                    if (j != i) {
                        v = 0.5 * (v + (pij - pPhi[j] * pPhi[i] / denominator) / divide);
                    }
                    p[at(i, j)] = v;
                    finite &= Double.isFinite(v);
                }
            }
            if (!finite) {
                reset();
            }
        }
    }

    private static long[] bits(double[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Double.doubleToRawLongBits(a[i]);
        }
        return out;
    }

    /**
     * The update matches the one written with {@code at(i, j)} bit for bit, coefficients and {@code P}, over long runs
     * of sizes 1 to 10 (AR(8)'s is 9) with forgetting, a trace beyond {@link RecursiveLeastSquares#MAX_TRACE}
     * (directions never excited), huge and tiny regressors, and non-finite pairs that reset the model.
     */
    @Test
    void theIndexedUpdateIsTheUpdateWithAtBitForBit() {
        Random random = new Random(18);
        int resets = 0;
        for (int size = 1; size <= 10; size++) {
            for (double lambda : new double[] {1.0, 0.999, 0.9}) {
                double delta = random.nextBoolean() ? 100.0 : 1e11;
                double[] theta0 = new double[size];
                theta0[size > 1 ? 1 : 0] = 1.0;
                RecursiveLeastSquares rls = new RecursiveLeastSquares(size, lambda, delta, theta0);
                Reference reference = new Reference(size, lambda, delta, theta0);
                int excited = 1 + random.nextInt(size);
                for (int t = 0; t < 600; t++) {
                    double[] phi = new double[size];
                    for (int i = 0; i < excited; i++) {
                        phi[i] = random.nextGaussian() * (t % 97 == 5 ? 1e150 : t % 89 == 7 ? 1e-150 : 1.0);
                    }
                    double y = random.nextGaussian() + (t % 151 == 17 ? Double.NaN : 0.0);
                    if (t % 173 == 31) {
                        phi[0] = Double.POSITIVE_INFINITY;
                    }
                    rls.update(phi, y);
                    reference.update(phi, y);
                    assertArrayEquals(bits(reference.theta), bits(rls.coefficients()), "size " + size + ", t " + t);
                    CompactState.Writer out = new CompactState.Writer();
                    rls.writeState(out);
                    double[] p = out.build().exact();
                    assertArrayEquals(bits(reference.p), bits(p), "P, size " + size + ", t " + t);
                }
                resets += (int) rls.resets();
            }
        }
        assertEquals(true, resets > 20, "resets " + resets);
    }
}
