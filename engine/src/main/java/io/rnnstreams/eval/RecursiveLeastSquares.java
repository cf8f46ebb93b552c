package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;
import java.util.Arrays;

/**
 * Exponentially weighted recursive least squares for one linear model {@code y ~ theta . phi}: after the
 * pairs {@code (phi_1, y_1) .. (phi_t, y_t)}, {@code theta} minimises
 * {@code sum_i lambda^(t-i) (y_i - theta . phi_i)^2 + lambda^t / delta * |theta - theta0|^2}.
 *
 * <p>Update with gain {@code k = P phi / (lambda + phi' P phi)}: {@code theta += k (y - theta . phi)},
 * {@code P = (P - k (P phi)') / lambda}, then {@code P} is symmetrised (kept as its upper triangle,
 * {@code n (n + 1) / 2} numbers: symmetric, the lower half holds the same numbers, so nothing changes). Starts from {@code theta = theta0}
 * (0 unless given), {@code P = delta I}; the prior term above is then {@code lambda^t / delta * |theta - theta0|^2}.
 *
 * <p>Guards, both deterministic: when the trace of {@code P} exceeds {@link #MAX_TRACE} the division by
 * {@code lambda} is skipped for that update (directions the data never excites would otherwise grow
 * without bound under forgetting); an update that leaves a non-finite number resets the model to its
 * initial state (counted by {@link #resets()}).
 *
 * <p>Not thread-safe. No Kafka, no randomness: the same pairs give bit-identical coefficients.
 */
public final class RecursiveLeastSquares {
    /** Trace of {@code P} above which forgetting is suspended. */
    public static final double MAX_TRACE = 1e12;

    private final int size;
    private final double lambda;
    private final double delta;
    private final double[] theta;
    private final double[] theta0;
    /**
     * {@code P}'s upper triangle, row by row: {@code P[i][j]} for {@code i <= j} at
     * {@link #at}{@code (i, j)}; {@code P} is symmetric after every update, so the lower half is the same
     * numbers.
     */
    private final double[] p;
    /** {@code index[i * size + j]} = {@link #at}{@code (i, j)}, for the update's loops (the same entries). */
    private final int[] index;
    private final double[] pPhi;
    private long resets;

    /**
     * @param size   number of coefficients (regressors, the intercept's constant 1 included)
     * @param lambda forgetting factor in (0, 1]
     * @param delta  initial {@code P = delta I}, {@code delta > 0}
     */
    public RecursiveLeastSquares(int size, double lambda, double delta) {
        this(size, lambda, delta, new double[size]);
    }

    /**
     * @param size   number of coefficients (regressors, the intercept's constant 1 included)
     * @param lambda forgetting factor in (0, 1]
     * @param delta  initial {@code P = delta I}, {@code delta > 0}
     * @param theta0 the initial coefficients (the prior's centre), {@code size} finite numbers
     */
    public RecursiveLeastSquares(int size, double lambda, double delta, double[] theta0) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        if (!(lambda > 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1], got " + lambda);
        }
        if (!(delta > 0 && Double.isFinite(delta))) {
            throw new IllegalArgumentException("delta must be a finite number > 0, got " + delta);
        }
        if (theta0.length != size) {
            throw new IllegalArgumentException("theta0 has " + theta0.length + " numbers, expected " + size);
        }
        this.size = size;
        this.theta0 = theta0.clone();
        this.lambda = lambda;
        this.delta = delta;
        this.theta = new double[size];
        this.p = new double[size * (size + 1) / 2];
        this.index = new int[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                index[i * size + j] = at(i, j);
            }
        }
        this.pPhi = new double[size];
        reset();
    }

    /** {@code theta . phi}. */
    public double predict(double[] phi) {
        double y = 0.0;
        for (int i = 0; i < size; i++) {
            y += theta[i] * phi[i];
        }
        return y;
    }

    /**
     * Learns one pair: the regressors {@code phi} and the value {@code y} they should have predicted. (The entries of
     * {@code P} are found through {@link #index}, and row {@code i}'s upper part {@code P[i][i..]} is contiguous; the
     * arithmetic and its order are as they were with {@link #at}: {@code RecursiveLeastSquaresTest} holds it to that
     * update bit for bit.)
     */
    public void update(double[] phi, double y) {
        double denominator = lambda;
        for (int i = 0; i < size; i++) {
            double s = 0.0;
            int row = i * size;
            for (int j = 0; j < size; j++) {
                s += p[index[row + j]] * phi[j];
            }
            pPhi[i] = s;
            denominator += phi[i] * s;
        }
        double error = y - predict(phi);
        double trace = 0.0;
        for (int i = 0; i < size; i++) {
            trace += p[index[i * size + i]];
        }
        double divide = trace > MAX_TRACE ? 1.0 : lambda;
        boolean finite = Double.isFinite(error) && Double.isFinite(denominator) && denominator > 0;
        for (int i = 0; i < size && finite; i++) {
            double gain = pPhi[i] / denominator;
            theta[i] += gain * error;
            finite = Double.isFinite(theta[i]);
        }
        for (int i = 0; i < size && finite; i++) {
            int k = index[i * size + i];
            for (int j = i; j < size; j++, k++) {
                double pij = p[k];
                double v = (pij - pPhi[i] * pPhi[j] / denominator) / divide;
                if (j != i) {
                    v = 0.5 * (v + (pij - pPhi[j] * pPhi[i] / denominator) / divide);
                }
                p[k] = v;
                finite &= Double.isFinite(v);
            }
        }
        if (!finite) {
            reset();
            resets++;
        }
    }

    /**
     * The coefficients and {@code P}'s upper triangle: {@code n + n (n + 1) / 2} doubles for {@code n}
     * coefficients (the prior's centre is configuration, the reset count a diagnostic).
     */
    public StateSize stateSize() {
        return StateSize.doubles((long) size + (long) size * (size + 1) / 2);
    }

    /**
     * The coefficients (rounded to float), then {@code P}'s upper triangle (exact: rounded to float at every
     * update, {@code P}'s small eigenvalues drift and the accuracy suite's AR on Mackey-Glass went from MASE
     * 0.021 to 0.041; rounding the coefficients changed nothing measurable).
     */
    public void writeState(CompactState.Writer out) {
        out.values(theta).exact(p);
    }

    /** Reads what {@link #writeState} wrote. */
    public void readState(CompactState.Reader in) {
        in.values(theta);
        in.exact(p);
    }

    /** {@link #writeState} then {@link #readState}, in place: the coefficients rounded to float, {@code P} kept. */
    public void roundToStored() {
        CompactState.roundValues(theta);
    }

    /** A copy of the coefficients. */
    public double[] coefficients() {
        return theta.clone();
    }

    /** How many updates left a non-finite number and reset the model. */
    public long resets() {
        return resets;
    }

    /** Index of {@code P[i][j] = P[j][i]} in the packed upper triangle. */
    private int at(int i, int j) {
        int r = Math.min(i, j);
        int c = Math.max(i, j);
        return r * size - r * (r - 1) / 2 + (c - r);
    }

    private void reset() {
        System.arraycopy(theta0, 0, theta, 0, size);
        Arrays.fill(p, 0.0);
        for (int i = 0; i < size; i++) {
            p[at(i, i)] = delta;
        }
    }
}
