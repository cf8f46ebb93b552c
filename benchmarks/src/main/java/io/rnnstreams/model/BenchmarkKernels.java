package io.rnnstreams.model;

/**
 * The engine's package-private {@link Kernels}, {@link Activation}'s functions and {@link HalfFloatsReference} (engine test scope, on
 * this module's class path through the engine's test-jar), opened
 * to the benchmarks ({@code io.rnnstreams.bench.KernelBenchmark}, {@code MatVecBenchmark}, {@code
 * NonlinearityBenchmark}, {@code HalfFloatsBenchmark}) so that they time the engine's own code instead of copies of it.
 * This class lives in the benchmarks module but in the engine's package: the project has no Java modules, so both are
 * one runtime package on the class path. Each method only delegates; none is used by the application.
 */
public final class BenchmarkKernels {
    private BenchmarkKernels() {
    }

    /** {@link Kernels#multiplyAdd}: {@code y += W x}, four columns per pass over {@code y}. */
    public static void multiplyAdd(double[][] columns, double[] x, double[] y) {
        Kernels.multiplyAdd(columns, x, y);
    }

    /** {@link Kernels#transposeMultiplyAdd}: {@code dst += W^T g}, four columns' dot products per pass. */
    public static void transposeMultiplyAdd(double[][] columns, double[] g, double[] dst) {
        Kernels.transposeMultiplyAdd(columns, g, dst);
    }

    /** {@link Kernels#axpy}: {@code y += alpha a}, the per-column step the blocked kernels interleave. */
    public static void axpy(double alpha, double[] a, double[] y) {
        Kernels.axpy(alpha, a, y);
    }

    /** {@link Kernels#dot}: {@code a . b}, one dependent chain of additions. */
    public static double dot(double[] a, double[] b) {
        return Kernels.dot(a, b);
    }

    /** {@link Activation#tanh}: an odd polynomial below 2^-6, else {@code (1 - t) / (1 + t)} of {@code exp(-2|z|)}. */
    public static double tanh(double z) {
        return Activation.tanh(z);
    }

    /** {@link Activation#sigmoid}: the overflow-safe logistic on {@link Math#exp}. */
    public static double sigmoid(double z) {
        return Activation.sigmoid(z);
    }

    /** {@link HalfFloatsReference#toHalfBranching}: {@link HalfFloats#toHalf} before branch {@code tput18d}. */
    public static short toHalfBefore(double v) {
        return HalfFloatsReference.toHalfBranching(v);
    }

    /** {@link HalfFloatsReference#toDoubleBranching}: {@link HalfFloats#toDouble} before branch {@code tput18d}. */
    public static double toDoubleBefore(short h) {
        return HalfFloatsReference.toDoubleBranching(h);
    }
}
