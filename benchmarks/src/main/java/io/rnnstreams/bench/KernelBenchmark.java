package io.rnnstreams.bench;

import io.rnnstreams.model.BenchmarkKernels;
import io.rnnstreams.model.WindowGradients;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine's matrix kernels on an LSTM layer's recurrent weights {@code Wh} ({@code 4H x H}, one array per
 * column), one output at a time (per column or per step: the engine's own {@code Kernels.axpy} and {@code Kernels.dot}
 * called in a loop, which is what the kernels computed before branch tput18e) against the engine's blocked kernels,
 * which interleave independent outputs ({@code Kernels.multiplyAdd}, {@code Kernels.transposeMultiplyAdd},
 * {@link WindowGradients#JAVA}). Every row calls the engine's code ({@code Kernels} is package-private: through
 * {@link BenchmarkKernels}), except the candidates measured and not taken, which have no engine counterpart and are
 * written out here: {@link #transposeMultiplyAddBlocked8}, eight columns per pass (the engine uses four); and, from
 * branch tput18o (GRU of 16: {@code -p gates=3 -p hidden=16}), {@link #transposeMultiplyAddRowMajor} (the dot products
 * with the columns as vector lanes, from a row-major copy of {@code W}, {@link #transposeCopy}),
 * {@link #multiplyAddBlocked8} and {@link #windowBlocked8} (eight columns, eight steps per pass). Both
 * variants of each kernel compute every output with the same operations in the same order (engine test
 * {@code KernelsTest}: bit for bit):
 *
 * <ul>
 *   <li>{@code multiplyAdd*}: {@code y += W x} (the forward step's {@code Wh h}), one {@code axpy} per column vs
 *       four columns per pass over {@code y};</li>
 *   <li>{@code transposeMultiplyAdd*}: {@code d += W^T g} (the backward step's {@code Wh^T gh}), one dot product per
 *       column (one dependent chain of {@code 4H} additions) vs four or eight columns' dot products per pass;</li>
 *   <li>{@code window*}: {@code grad += G X^T} over {@code steps} window steps (the {@code Wh} gradient), one step
 *       per pass over each gradient column ({@code axpy}) vs four.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelBenchmark {
    @Param({"32"})
    public int hidden;

    @Param({"16"})
    public int steps;

    /** Gate blocks: 4 (LSTM, {@code 4H} rows), 3 (GRU). */
    @Param({"4"})
    public int gates;

    double[][] columns;
    double[] x;
    double[] y;
    double[] g;
    double[] d;
    double[][] grad;
    double[][] gs;
    double[][] xs;
    /** {@code columns} row by row ({@code rows x hidden}, flat), and the dot products' accumulators. */
    double[] rowMajor;
    double[] acc;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = gates * hidden;
        Random random = new Random(3L);
        columns = new double[hidden][rows];
        grad = new double[hidden][rows];
        for (double[] c : columns) {
            fill(c, random);
        }
        x = fill(new double[hidden], random);
        y = new double[rows];
        g = fill(new double[rows], random);
        d = new double[hidden];
        gs = new double[steps][];
        xs = new double[steps][];
        for (int t = 0; t < steps; t++) {
            gs[t] = fill(new double[rows], random);
            xs[t] = fill(new double[hidden], random);
        }
        rowMajor = new double[rows * hidden];
        acc = new double[hidden];
        transposeCopy();
    }

    private static double[] fill(double[] a, Random random) {
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian() * 1e-3;
        }
        return a;
    }

    @Benchmark
    public double[] multiplyAddPerColumn() {
        double[][] w = columns;
        for (int j = 0; j < w.length; j++) {
            BenchmarkKernels.axpy(x[j], w[j], y);
        }
        return y;
    }

    @Benchmark
    public double[] multiplyAddBlocked() {
        BenchmarkKernels.multiplyAdd(columns, x, y);
        return y;
    }

    @Benchmark
    public double[] transposeMultiplyAddPerColumn() {
        double[][] w = columns;
        for (int j = 0; j < w.length; j++) {
            d[j] += BenchmarkKernels.dot(w[j], g);
        }
        return d;
    }

    @Benchmark
    public double[] transposeMultiplyAddBlocked4() {
        BenchmarkKernels.transposeMultiplyAdd(columns, g, d);
        return d;
    }

    /** Eight columns' dot products per pass: a candidate not taken, written out here (no engine counterpart). */
    @Benchmark
    public double[] transposeMultiplyAddBlocked8() {
        double[][] w = columns;
        int j = 0;
        for (; j + 8 <= w.length; j += 8) {
            double[] c0 = w[j];
            double[] c1 = w[j + 1];
            double[] c2 = w[j + 2];
            double[] c3 = w[j + 3];
            double[] c4 = w[j + 4];
            double[] c5 = w[j + 5];
            double[] c6 = w[j + 6];
            double[] c7 = w[j + 7];
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            double s4 = 0.0;
            double s5 = 0.0;
            double s6 = 0.0;
            double s7 = 0.0;
            for (int i = 0; i < c0.length; i++) {
                double gi = g[i];
                s0 += c0[i] * gi;
                s1 += c1[i] * gi;
                s2 += c2[i] * gi;
                s3 += c3[i] * gi;
                s4 += c4[i] * gi;
                s5 += c5[i] * gi;
                s6 += c6[i] * gi;
                s7 += c7[i] * gi;
            }
            d[j] += s0;
            d[j + 1] += s1;
            d[j + 2] += s2;
            d[j + 3] += s3;
            d[j + 4] += s4;
            d[j + 5] += s5;
            d[j + 6] += s6;
            d[j + 7] += s7;
        }
        return d;
    }

    @Benchmark
    public double[][] windowPerStep() {
        for (int j = 0; j < grad.length; j++) {
            double[] column = grad[j];
            for (int t = 0; t < steps; t++) {
                BenchmarkKernels.axpy(xs[t][j], gs[t], column);
            }
        }
        return grad;
    }

    @Benchmark
    public double[][] windowBlocked() {
        WindowGradients.JAVA.accumulate(grad, gs, xs, steps);
        return grad;
    }

    /** Candidate: {@code columns} copied row by row (once per training would do). */
    @Benchmark
    public double[] transposeCopy() {
        double[][] w = columns;
        int cols = w.length;
        for (int j = 0; j < cols; j++) {
            double[] c = w[j];
            for (int i = 0; i < c.length; i++) {
                rowMajor[i * cols + j] = c[i];
            }
        }
        return rowMajor;
    }

    /** Candidate: {@code d += W^T g} from the row-major copy, the columns as lanes, each sum from row 0 on. */
    @Benchmark
    public double[] transposeMultiplyAddRowMajor() {
        int cols = acc.length;
        int rows = g.length;
        double[] a = acc;
        double[] r = rowMajor;
        java.util.Arrays.fill(a, 0.0);
        for (int i = 0; i < rows; i++) {
            double gi = g[i];
            int base = i * cols;
            for (int j = 0; j < cols; j++) {
                a[j] += r[base + j] * gi;
            }
        }
        for (int j = 0; j < cols; j++) {
            d[j] += a[j];
        }
        return d;
    }

    /** Candidate: eight columns per pass over {@code y}. */
    @Benchmark
    public double[] multiplyAddBlocked8() {
        double[][] w = columns;
        int j = 0;
        for (; j + 8 <= w.length; j += 8) {
            double[] c0 = w[j];
            double[] c1 = w[j + 1];
            double[] c2 = w[j + 2];
            double[] c3 = w[j + 3];
            double[] c4 = w[j + 4];
            double[] c5 = w[j + 5];
            double[] c6 = w[j + 6];
            double[] c7 = w[j + 7];
            double x0 = x[j], x1 = x[j + 1], x2 = x[j + 2], x3 = x[j + 3];
            double x4 = x[j + 4], x5 = x[j + 5], x6 = x[j + 6], x7 = x[j + 7];
            int rows = c0.length;
            if (c1.length != rows || c2.length != rows || c3.length != rows || c4.length != rows
                    || c5.length != rows || c6.length != rows || c7.length != rows || y.length < rows) {
                throw new IllegalStateException();
            }
            for (int i = 0; i < rows; i++) {
                y[i] = (((((((y[i] + x0 * c0[i]) + x1 * c1[i]) + x2 * c2[i]) + x3 * c3[i]) + x4 * c4[i])
                        + x5 * c5[i]) + x6 * c6[i]) + x7 * c7[i];
            }
        }
        return y;
    }

    /** Candidate: eight steps per pass over each gradient column. */
    @Benchmark
    public double[][] windowBlocked8() {
        int rows = grad[0].length;
        for (int j = 0; j < grad.length; j++) {
            double[] column = grad[j];
            int t = 0;
            for (; t + 8 <= steps; t += 8) {
                double[] g0 = gs[t], g1 = gs[t + 1], g2 = gs[t + 2], g3 = gs[t + 3];
                double[] g4 = gs[t + 4], g5 = gs[t + 5], g6 = gs[t + 6], g7 = gs[t + 7];
                double x0 = xs[t][j], x1 = xs[t + 1][j], x2 = xs[t + 2][j], x3 = xs[t + 3][j];
                double x4 = xs[t + 4][j], x5 = xs[t + 5][j], x6 = xs[t + 6][j], x7 = xs[t + 7][j];
                for (int i = 0; i < rows; i++) {
                    column[i] = (((((((column[i] + g0[i] * x0) + g1[i] * x1) + g2[i] * x2) + g3[i] * x3)
                            + g4[i] * x4) + g5[i] * x5) + g6[i] * x6) + g7[i] * x7;
                }
            }
            for (; t < steps; t++) {
                double xj = xs[t][j];
                double[] gt = gs[t];
                for (int i = 0; i < rows; i++) {
                    column[i] += gt[i] * xj;
                }
            }
        }
        return grad;
    }
}
