package io.rnnstreams.model;

/**
 * The per-step linear algebra in plain Java, on matrices stored one array per column
 * (see {@link Parameter}). Every inner loop runs over arrays indexed by the bare loop counter, which
 * HotSpot vectorises; at H = 8..128 this beats a JNI call into BLAS for matrix-vector work
 * (figures in docs/performance.md, benchmark {@code io.rnnstreams.bench.MatVecBenchmark}).
 *
 * <p><b>Summation order is fixed</b>, so results are bit-reproducible, and it is the order of the simplest loops:
 * every output element is computed by the same floating-point operations, in the same order, as by one
 * {@link #axpy} per column ({@link #multiplyAdd}, {@link #outerAdd}) or one {@link #dot} per column
 * ({@link #transposeMultiplyAdd}, {@link #addSquaredNorms}) would compute it. The matrix kernels only interleave independent outputs to
 * use the CPU's parallelism: {@link #transposeMultiplyAdd} runs {@value #BLOCK} columns' dot products in one pass
 * over {@code g}, each in its own accumulator (a dot product is one dependent chain of additions, latency
 * bound); {@link #multiplyAdd} adds {@value #BLOCK} columns per pass over {@code y}, as
 * {@code y[i] = (((y[i] + x0 c0[i]) + x1 c1[i]) + x2 c2[i]) + x3 c3[i]}, which is what {@value #BLOCK}
 * sequential {@code axpy}s do to {@code y[i]}, with a quarter of the loads and stores of {@code y}. No fused
 * multiply-add ({@code Math.fma} rounds once, a multiply and an add twice). {@code KernelsTest} checks every kernel
 * against the per-column loops bit for bit.
 *
 * <p>Matrices: {@code columns[j]} is column {@code j}; every column of one matrix has the same length (the rows).
 * An output array is never one of the input arrays.
 */
final class Kernels {
    /** Columns interleaved per pass by the matrix kernels. */
    static final int BLOCK = 4;

    private Kernels() {
    }

    /**
     * {@code y[0..rows) += W x} for {@code W} with {@code columns.length} columns: per row {@code i}, column 0's
     * term is added first, column {@code cols - 1}'s last.
     */
    static void multiplyAdd(double[][] columns, double[] x, double[] y) {
        int cols = columns.length;
        int j = 0;
        for (; j + BLOCK <= cols; j += BLOCK) {
            double[] c0 = columns[j];
            double[] c1 = columns[j + 1];
            double[] c2 = columns[j + 2];
            double[] c3 = columns[j + 3];
            int rows = c0.length;
            if (c1.length != rows || c2.length != rows || c3.length != rows) {
                for (int k = j; k < j + BLOCK; k++) {
                    axpy(x[k], columns[k], y);
                }
                continue;
            }
            double x0 = x[j];
            double x1 = x[j + 1];
            double x2 = x[j + 2];
            double x3 = x[j + 3];
            for (int i = 0; i < rows; i++) {
                y[i] = (((y[i] + x0 * c0[i]) + x1 * c1[i]) + x2 * c2[i]) + x3 * c3[i];
            }
        }
        for (; j < cols; j++) {
            axpy(x[j], columns[j], y);
        }
    }

    /** {@code dst[j] += column_j . g} for every column: {@code dst += W^T g}, each dot product as {@link #dot}. */
    static void transposeMultiplyAdd(double[][] columns, double[] g, double[] dst) {
        int cols = columns.length;
        int j = 0;
        for (; j + BLOCK <= cols; j += BLOCK) {
            double[] c0 = columns[j];
            double[] c1 = columns[j + 1];
            double[] c2 = columns[j + 2];
            double[] c3 = columns[j + 3];
            int rows = c0.length;
            if (c1.length != rows || c2.length != rows || c3.length != rows) {
                for (int k = j; k < j + BLOCK; k++) {
                    dst[k] += dot(columns[k], g);
                }
                continue;
            }
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int i = 0; i < rows; i++) {
                double gi = g[i];
                s0 += c0[i] * gi;
                s1 += c1[i] * gi;
                s2 += c2[i] * gi;
                s3 += c3[i] * gi;
            }
            dst[j] += s0;
            dst[j + 1] += s1;
            dst[j + 2] += s2;
            dst[j + 3] += s3;
        }
        for (; j < cols; j++) {
            dst[j] += dot(columns[j], g);
        }
    }

    /**
     * {@code sum + |column_0|^2 + |column_1|^2 + ...}: each column's squared norm as {@link #dot}{@code (c, c)},
     * added to the running sum in column order.
     */
    static double addSquaredNorms(double[][] columns, double sum) {
        int cols = columns.length;
        int j = 0;
        for (; j + BLOCK <= cols; j += BLOCK) {
            double[] c0 = columns[j];
            double[] c1 = columns[j + 1];
            double[] c2 = columns[j + 2];
            double[] c3 = columns[j + 3];
            int rows = c0.length;
            if (c1.length != rows || c2.length != rows || c3.length != rows) {
                for (int k = j; k < j + BLOCK; k++) {
                    sum += dot(columns[k], columns[k]);
                }
                continue;
            }
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            for (int i = 0; i < rows; i++) {
                s0 += c0[i] * c0[i];
                s1 += c1[i] * c1[i];
                s2 += c2[i] * c2[i];
                s3 += c3[i] * c3[i];
            }
            sum += s0;
            sum += s1;
            sum += s2;
            sum += s3;
        }
        for (; j < cols; j++) {
            sum += dot(columns[j], columns[j]);
        }
        return sum;
    }

    /** {@code grad += g x^T}: column {@code j} gains {@code x[j] * g}, as {@link #axpy} ({@code g.length} rows). */
    static void outerAdd(double[][] gradColumns, double[] g, double[] x) {
        int cols = gradColumns.length;
        int rows = g.length;
        int j = 0;
        for (; j + BLOCK <= cols; j += BLOCK) {
            double[] c0 = gradColumns[j];
            double[] c1 = gradColumns[j + 1];
            double[] c2 = gradColumns[j + 2];
            double[] c3 = gradColumns[j + 3];
            double x0 = x[j];
            double x1 = x[j + 1];
            double x2 = x[j + 2];
            double x3 = x[j + 3];
            for (int i = 0; i < rows; i++) {
                double gi = g[i];
                c0[i] += x0 * gi;
                c1[i] += x1 * gi;
                c2[i] += x2 * gi;
                c3[i] += x3 * gi;
            }
        }
        for (; j < cols; j++) {
            axpy(x[j], g, gradColumns[j]);
        }
    }

    /** {@code y[0..a.length) += alpha * a}. */
    static void axpy(double alpha, double[] a, double[] y) {
        for (int i = 0; i < a.length; i++) {
            y[i] += alpha * a[i];
        }
    }

    /** {@code a . b} over {@code a.length} entries, summed from entry 0 on. */
    static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
