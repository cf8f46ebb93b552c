package io.rnnstreams.eval.detection;

/**
 * The squared Mahalanobis distance (Hotelling's {@code T^2} statistic) of a deviation vector {@code d} under a
 * covariance {@code U} shrunk towards its diagonal: {@code T^2 = d' A^-1 d} with {@code A = (1 - lambda) U +
 * lambda diag(U)} (a fixed-intensity form of Ledoit and Wolf's shrinkage, which keeps {@code A} positive
 * definite when {@code U} is only positive semi-definite or estimated from few readings), restricted to the
 * channels selected by a mask. Also gives each channel's part {@code d_c (A^-1 d)_c} (the parts sum to
 * {@code T^2}; a part can be negative when correlated channels move against their usual relation).
 *
 * <p>{@code U} is packed: the lower triangle row by row, entry {@code (i, j)} with {@code i >= j} at
 * {@code offset + i (i + 1) / 2 + j}. Solved by Cholesky; if {@code A} is not positive definite (possible
 * when the entries were learned with different weights) the diagonal alone ({@code lambda = 1}) is used.
 * Stateless apart from scratch arrays; not thread-safe.
 */
final class ShrunkMahalanobis {
    private final int channels;
    private final double lambda;
    private final double[] a;
    private final double[] z;
    private final int[] index;

    /**
     * @param channels {@code D}, >= 1
     * @param lambda   the shrinkage intensity towards the diagonal, in [0, 1]
     */
    ShrunkMahalanobis(int channels, double lambda) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("shrinkage must be in [0, 1], got " + lambda);
        }
        this.channels = channels;
        this.lambda = lambda;
        this.a = new double[channels * channels];
        this.z = new double[channels];
        this.index = new int[channels];
    }

    /** Doubles of a packed {@code D x D} symmetric matrix. */
    static int packedSize(int channels) {
        return channels * (channels + 1) / 2;
    }

    /** Where entry {@code (i, j)} of a packed symmetric matrix is, relative to its start. */
    static int packed(int i, int j) {
        return i >= j ? i * (i + 1) / 2 + j : j * (j + 1) / 2 + i;
    }

    /**
     * {@code T^2} over the channels with {@code mask[c]}, and each channel's part in {@code parts} (0 for the
     * channels left out); 0 with no channel selected.
     *
     * @param cov    the packed covariance, from {@code offset}; its selected diagonal entries must be > 0
     * @param d      the deviation, {@code D} values
     * @param mask   the channels in the test
     * @param parts  out: {@code D} values
     */
    double distance(double[] cov, int offset, double[] d, boolean[] mask, double[] parts) {
        java.util.Arrays.fill(parts, 0.0);
        int k = 0;
        for (int c = 0; c < channels; c++) {
            if (mask[c]) {
                index[k++] = c;
            }
        }
        if (k == 0) {
            return 0.0;
        }
        if (!solve(cov, offset, d, k, lambda)) {
            solve(cov, offset, d, k, 1.0);
        }
        double t2 = 0;
        for (int r = 0; r < k; r++) {
            double part = d[index[r]] * z[r];
            parts[index[r]] = part;
            t2 += part;
        }
        return Math.max(0.0, t2);
    }

    /** Solves {@code A z = d} on the selected channels by Cholesky; false if {@code A} is not positive definite. */
    private boolean solve(double[] cov, int offset, double[] d, int k, double shrink) {
        for (int r = 0; r < k; r++) {
            for (int s = 0; s <= r; s++) {
                double u = cov[offset + packed(index[r], index[s])];
                a[r * k + s] = r == s ? u : (1 - shrink) * u;
            }
        }
        for (int r = 0; r < k; r++) { // in place: a's lower triangle becomes L with A = L L'
            for (int s = 0; s <= r; s++) {
                double sum = a[r * k + s];
                for (int q = 0; q < s; q++) {
                    sum -= a[r * k + q] * a[s * k + q];
                }
                if (r == s) {
                    if (!(sum > 0)) {
                        return false;
                    }
                    a[r * k + r] = Math.sqrt(sum);
                } else {
                    a[r * k + s] = sum / a[s * k + s];
                }
            }
        }
        for (int r = 0; r < k; r++) { // L y = d
            double sum = d[index[r]];
            for (int q = 0; q < r; q++) {
                sum -= a[r * k + q] * z[q];
            }
            z[r] = sum / a[r * k + r];
        }
        for (int r = k - 1; r >= 0; r--) { // L' z = y
            double sum = z[r];
            for (int q = r + 1; q < k; q++) {
                sum -= a[q * k + r] * z[q];
            }
            z[r] = sum / a[r * k + r];
        }
        return true;
    }
}
