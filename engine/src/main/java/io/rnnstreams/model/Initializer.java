package io.rnnstreams.model;

import java.util.SplittableRandom;

/**
 * Seeded weight initialisation, identical on every machine: the random stream is
 * {@link SplittableRandom} (integer arithmetic) and every transcendental goes through
 * {@link StrictMath}.
 *
 * <ul>
 *   <li>input weights {@code Wx} and the head {@code V}: Glorot/Xavier uniform per gate block,
 *       {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))};</li>
 *   <li>recurrent weights {@code Wh}: each {@code H x H} gate block orthogonal (Gram-Schmidt on a
 *       Gaussian matrix);</li>
 *   <li>biases zero, except what the cell asks for ({@link RecurrentCell#initBias}).</li>
 * </ul>
 */
final class Initializer {
    private final SplittableRandom random;

    Initializer(long seed) {
        this.random = new SplittableRandom(seed);
    }

    void glorotUniform(Parameter p, int blockRows) {
        double a = StrictMath.sqrt(6.0 / (p.cols() + blockRows));
        for (int j = 0; j < p.cols(); j++) {
            for (int i = 0; i < p.rows(); i++) {
                p.value[j][i] = (2.0 * random.nextDouble() - 1.0) * a;
            }
        }
    }

    /** Each of the {@code rows / cols} square blocks of {@code p} becomes an orthogonal matrix. */
    void orthogonalBlocks(Parameter p) {
        int n = p.cols();
        for (int block = 0; block < p.rows() / n; block++) {
            double[][] q = orthogonal(n);
            for (int j = 0; j < n; j++) {
                System.arraycopy(q[j], 0, p.value[j], block * n, n);
            }
        }
    }

    /** An {@code n x n} orthogonal matrix, as columns. */
    private double[][] orthogonal(int n) {
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                q[j][i] = gaussian();
            }
        }
        // modified Gram-Schmidt, twice for numerical orthogonality
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < j; k++) {
                    double d = Kernels.dot(q[k], q[j]);
                    Kernels.axpy(-d, q[k], q[j]);
                }
                double norm = StrictMath.sqrt(Kernels.dot(q[j], q[j]));
                for (int i = 0; i < n; i++) {
                    q[j][i] /= norm;
                }
            }
        }
        return q;
    }

    /** Box-Muller with StrictMath: the same bits everywhere. */
    private double gaussian() {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }
}
