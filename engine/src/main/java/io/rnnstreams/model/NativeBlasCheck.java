package io.rnnstreams.model;

import org.jblas.NativeBlas;

/**
 * Start-up check that jblas's native BLAS loads and computes. Without {@code libgfortran.so.5} jblas
 * only logs a warning when it starts and fails at the first matrix-matrix product, possibly hours later;
 * this check fails at once with a message saying what to install.
 */
public final class NativeBlasCheck {
    private NativeBlasCheck() {
    }

    /** Multiplies two 2x2 matrices with native {@code dgemm} and checks the result. */
    public static void verify() {
        double[] a = {1, 3, 2, 4}; // column-major [[1, 2], [3, 4]]
        double[] b = {5, 7, 6, 8}; // [[5, 6], [7, 8]]
        double[] c = new double[4];
        try {
            NativeBlas.dgemm('N', 'N', 2, 2, 2, 1.0, a, 0, 2, b, 0, 2, 0.0, c, 0, 2);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("jblas could not load its native BLAS (" + e.getMessage() + "). "
                    + "On Debian/Ubuntu install it with: apt-get install -y libgfortran5", e);
        }
        // [[19, 22], [43, 50]] column-major
        if (c[0] != 19 || c[1] != 43 || c[2] != 22 || c[3] != 50) {
            throw new IllegalStateException("jblas native dgemm returned a wrong product: "
                    + java.util.Arrays.toString(c));
        }
    }
}
