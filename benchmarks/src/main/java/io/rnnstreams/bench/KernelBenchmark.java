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
 * {@link BenchmarkKernels}), except {@link #transposeMultiplyAddBlocked8}, eight columns per pass, a candidate
 * measured and not taken (the engine uses four), which has no engine counterpart and is written out here. Both
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
}
