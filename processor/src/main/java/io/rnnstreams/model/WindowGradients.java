package io.rnnstreams.model;

import org.jblas.DoubleMatrix;

/**
 * Forms a weight gradient over a whole window at once: {@code grad += sum_t g_t x_t^T}, i.e. the
 * matrix product {@code G X^T} of {@code G = [g_0 .. g_{T-1}]} ({@code rows x T}) and
 * {@code X = [x_0 .. x_{T-1}]} ({@code cols x T}).
 *
 * <p>Two implementations of the same contract; {@link #forShape} picks one from the shape alone
 * (never from timing), so a configuration always takes the same path and stays deterministic:
 * plain Java loops below {@link #JBLAS_MIN_ROWS} rows, jblas {@code dgemm} from there on, where the
 * matrix-matrix product is BLAS's ground (benchmark {@code io.rnnstreams.bench.WindowGradientBenchmark}).
 * The sum over {@code t} runs in a fixed order in both.
 */
public abstract class WindowGradients {
    /** {@code G*H} at and above which jblas dgemm is used: an LSTM or GRU with H >= 128. */
    public static final int JBLAS_MIN_ROWS = 384;

    public static final WindowGradients JAVA = new JavaLoops();
    public static final WindowGradients JBLAS = new Jblas();

    /** The implementation for a weight matrix of {@code rows} rows. */
    public static WindowGradients forShape(int rows) {
        return rows >= JBLAS_MIN_ROWS ? JBLAS : JAVA;
    }

    /**
     * {@code grad[j][i] += sum_{t < steps} g[t][i] * x[t][j]} for {@code i < grad[0].length},
     * {@code j < grad.length}; {@code g[t]} has at least {@code rows} and {@code x[t]} at least
     * {@code cols} entries (extra entries are ignored).
     */
    public abstract void accumulate(double[][] grad, double[][] g, double[][] x, int steps);

    private static final class JavaLoops extends WindowGradients {
        @Override
        public void accumulate(double[][] grad, double[][] g, double[][] x, int steps) {
            int rows = grad[0].length;
            for (int j = 0; j < grad.length; j++) {
                double[] column = grad[j];
                for (int t = 0; t < steps; t++) {
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
