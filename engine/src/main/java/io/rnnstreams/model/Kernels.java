package io.rnnstreams.model;

/**
 * The per-step linear algebra in plain Java, on matrices stored one array per column
 * (see {@link Parameter}). Every inner loop runs over arrays indexed by the bare loop counter, which
 * HotSpot vectorises; at H = 8..128 this beats a JNI call into BLAS for matrix-vector work
 * (figures in docs/performance.md, benchmark {@code io.rnnstreams.bench.MatVecBenchmark}). Summation order is
 * fixed, so results are bit-reproducible.
 */
final class Kernels {
    private Kernels() {
    }

    /** {@code y[0..rows) += W x} for {@code W} with {@code columns.length} columns. */
    static void multiplyAdd(double[][] columns, double[] x, double[] y) {
        for (int j = 0; j < columns.length; j++) {
            axpy(x[j], columns[j], y);
        }
    }

    /** {@code dst[j] += column_j . g} for every column: {@code dst += W^T g}. */
    static void transposeMultiplyAdd(double[][] columns, double[] g, double[] dst) {
        for (int j = 0; j < columns.length; j++) {
            dst[j] += dot(columns[j], g);
        }
    }

    /** {@code grad += g x^T}: column {@code j} gains {@code x[j] * g}. */
    static void outerAdd(double[][] gradColumns, double[] g, double[] x) {
        for (int j = 0; j < gradColumns.length; j++) {
            axpy(x[j], g, gradColumns[j]);
        }
    }

    /** {@code y[0..a.length) += alpha * a}. */
    static void axpy(double alpha, double[] a, double[] y) {
        for (int i = 0; i < a.length; i++) {
            y[i] += alpha * a[i];
        }
    }

    /** {@code a . b} over {@code a.length} entries. */
    static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
