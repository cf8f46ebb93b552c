package io.rnnstreams.bench;

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
 * column) before and after interleaving independent outputs (engine {@code Kernels}, {@code WindowGradients.JAVA};
 * package-private, so replicated here loop for loop, as in {@link MatVecBenchmark}). Both variants of each kernel
 * compute every output with the same operations in the same order (engine test {@code KernelsTest}: bit for bit):
 *
 * <ul>
 *   <li>{@code multiplyAdd*}: {@code y += W x} (the forward step's {@code Wh h}), one {@code axpy} per column vs
 *       four columns per pass over {@code y};</li>
 *   <li>{@code transposeMultiplyAdd*}: {@code d += W^T g} (the backward step's {@code Wh^T gh}), one dot product per
 *       column (one dependent chain of {@code 4H} additions) vs four or eight columns' dot products per pass;</li>
 *   <li>{@code window*}: {@code grad += G X^T} over {@code steps} window steps (the {@code Wh} gradient), one step
 *       per pass over each gradient column vs four.</li>
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

    double[][] columns;
    double[] x;
    double[] y;
    double[] g;
    double[] d;
    double[][] grad;
    double[][] gs;
    double[][] xs;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = 4 * hidden;
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
            double alpha = x[j];
            double[] a = w[j];
            for (int i = 0; i < a.length; i++) {
                y[i] += alpha * a[i];
            }
        }
        return y;
    }

    @Benchmark
    public double[] multiplyAddBlocked() {
        double[][] w = columns;
        int j = 0;
        for (; j + 4 <= w.length; j += 4) {
            double[] c0 = w[j];
            double[] c1 = w[j + 1];
            double[] c2 = w[j + 2];
            double[] c3 = w[j + 3];
            double x0 = x[j];
            double x1 = x[j + 1];
            double x2 = x[j + 2];
            double x3 = x[j + 3];
            for (int i = 0; i < c0.length; i++) {
                y[i] = (((y[i] + x0 * c0[i]) + x1 * c1[i]) + x2 * c2[i]) + x3 * c3[i];
            }
        }
        for (; j < w.length; j++) {
            double alpha = x[j];
            double[] a = w[j];
            for (int i = 0; i < a.length; i++) {
                y[i] += alpha * a[i];
            }
        }
        return y;
    }

    @Benchmark
    public double[] transposeMultiplyAddPerColumn() {
        double[][] w = columns;
        for (int j = 0; j < w.length; j++) {
            double[] a = w[j];
            double s = 0.0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * g[i];
            }
            d[j] += s;
        }
        return d;
    }

    @Benchmark
    public double[] transposeMultiplyAddBlocked4() {
        double[][] w = columns;
        int j = 0;
        for (; j + 4 <= w.length; j += 4) {
            double[] c0 = w[j];
            double[] c1 = w[j + 1];
            double[] c2 = w[j + 2];
            double[] c3 = w[j + 3];
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int i = 0; i < c0.length; i++) {
                double gi = g[i];
                s0 += c0[i] * gi;
                s1 += c1[i] * gi;
                s2 += c2[i] * gi;
                s3 += c3[i] * gi;
            }
            d[j] += s0;
            d[j + 1] += s1;
            d[j + 2] += s2;
            d[j + 3] += s3;
        }
        return d;
    }

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
        int rows = grad[0].length;
        for (int j = 0; j < grad.length; j++) {
            double[] column = grad[j];
            for (int t = 0; t < steps; t++) {
                double xj = xs[t][j];
                double[] gt = gs[t];
                for (int i = 0; i < rows; i++) {
                    column[i] += gt[i] * xj;
                }
            }
        }
        return grad;
    }

    @Benchmark
    public double[][] windowBlocked() {
        int rows = grad[0].length;
        for (int j = 0; j < grad.length; j++) {
            double[] column = grad[j];
            int t = 0;
            for (; t + 4 <= steps; t += 4) {
                double[] g0 = gs[t];
                double[] g1 = gs[t + 1];
                double[] g2 = gs[t + 2];
                double[] g3 = gs[t + 3];
                double x0 = xs[t][j];
                double x1 = xs[t + 1][j];
                double x2 = xs[t + 2][j];
                double x3 = xs[t + 3][j];
                for (int i = 0; i < rows; i++) {
                    column[i] = (((column[i] + g0[i] * x0) + g1[i] * x1) + g2[i] * x2) + g3[i] * x3;
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
