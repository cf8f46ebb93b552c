package io.rnnstreams.model;

import org.jblas.DoubleMatrix;

/**
 * Forms a weight gradient over a whole window at once: {@code grad += sum_t g_t x_t^T}, i.e. the
 * matrix product {@code G X^T} of {@code G = [g_0 .. g_{T-1}]} ({@code rows x T}) and
 * {@code X = [x_0 .. x_{T-1}]} ({@code cols x T}).
 *
 * <p>Two implementations of the same contract; {@link #forShape} picks one from the shape and window
 * length alone (never from timing), so the same configuration and data take the same path and stay
 * deterministic. Measured (benchmark {@code io.rnnstreams.bench.WindowGradientBenchmark}, docs/performance.md):
 * jblas {@code dgemm} pays for its copies and JNI call only over long windows of wide matrices, 14-38%
 * faster than the Java loops at 64 steps from 128 rows and 32 columns on, but 1.3-2x slower at 16 steps
 * at every size and up to 13x slower for the few columns of an input-weight gradient. The sum over
 * {@code t} runs in a fixed order in both.
 */
public abstract class WindowGradients {
    /** jblas is used from this many rows ({@code G*H}) ... */
    public static final int JBLAS_MIN_ROWS = 128;
    /** ... and this many columns ... */
    public static final int JBLAS_MIN_COLS = 32;
    /** ... and this many steps in the window. */
    public static final int JBLAS_MIN_STEPS = 64;

    public static final WindowGradients JAVA = new JavaLoops();
    public static final WindowGradients JBLAS = new Jblas();

    /** The implementation for a {@code rows x cols} weight gradient summed over {@code steps} steps. */
    public static WindowGradients forShape(int rows, int cols, int steps) {
        return rows >= JBLAS_MIN_ROWS && cols >= JBLAS_MIN_COLS && steps >= JBLAS_MIN_STEPS ? JBLAS : JAVA;
    }

    /**
     * {@code grad[j][i] += sum_{t < steps} g[t][i] * x[t][j]} for {@code i < grad[0].length},
     * {@code j < grad.length}; {@code g[t]} has at least {@code rows} and {@code x[t]} at least
     * {@code cols} entries (extra entries are ignored).
     */
    public abstract void accumulate(double[][] grad, double[][] g, double[][] x, int steps);

    /**
     * Per entry {@code (i, j)}, the terms are added to {@code grad[j][i]} one by one in step order, each rounded
     * ({@code grad[j][i] += g[t][i] * x[t][j]} for {@code t = 0, 1, ...}), four steps per pass over the column:
     * {@code column[i] = (((column[i] + g0[i] x0) + g1[i] x1) + g2[i] x2) + g3[i] x3} is the same sequence of
     * operations as four passes of one step, with a quarter of the column's loads and stores. Bit for bit the
     * simple triple loop's result ({@code KernelsTest}).
     */
    private static final class JavaLoops extends WindowGradients {
        private static final int STEP_BLOCK = 4;

        @Override
        public void accumulate(double[][] grad, double[][] g, double[][] x, int steps) {
            int rows = grad[0].length;
            for (int j = 0; j < grad.length; j++) {
                double[] column = grad[j];
                int t = 0;
                for (; t + STEP_BLOCK <= steps; t += STEP_BLOCK) {
                    double[] g0 = g[t];
                    double[] g1 = g[t + 1];
                    double[] g2 = g[t + 2];
                    double[] g3 = g[t + 3];
                    double x0 = x[t][j];
                    double x1 = x[t + 1][j];
                    double x2 = x[t + 2][j];
                    double x3 = x[t + 3][j];
                    for (int i = 0; i < rows; i++) {
                        column[i] = (((column[i] + g0[i] * x0) + g1[i] * x1) + g2[i] * x2) + g3[i] * x3;
                    }
                }
                for (; t < steps; t++) {
                    double xj = x[t][j];
                    double[] gt = g[t];
                    for (int i = 0; i < rows; i++) {
                        column[i] += gt[i] * xj;
                    }
                }
            }
        }
    }

    private static final class Jblas extends WindowGradients {
        @Override
        public void accumulate(double[][] grad, double[][] g, double[][] x, int steps) {
            int rows = grad[0].length;
            int cols = grad.length;
            DoubleMatrix gm = new DoubleMatrix(rows, steps);
            for (int t = 0; t < steps; t++) {
                System.arraycopy(g[t], 0, gm.data, t * rows, rows);
            }
            DoubleMatrix xt = new DoubleMatrix(steps, cols);
            for (int j = 0; j < cols; j++) {
                int base = j * steps;
                for (int t = 0; t < steps; t++) {
                    xt.data[base + t] = x[t][j];
                }
            }
            DoubleMatrix product = gm.mmul(xt);
            for (int j = 0; j < cols; j++) {
                double[] column = grad[j];
                int base = j * rows;
                for (int i = 0; i < rows; i++) {
                    column[i] += product.data[base + i];
                }
            }
        }
    }
}
