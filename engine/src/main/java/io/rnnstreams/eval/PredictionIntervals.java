package io.rnnstreams.eval;

/**
 * Per-key, per-channel prediction intervals from empirical quantiles of the key's recent one-step forecast
 * errors, tracked online in a few doubles of key state.
 *
 * <p>Method: for each channel, the lower and upper quantiles {@code tau_lo = (1 - level) / 2} and
 * {@code tau_hi = (1 + level) / 2} of the error {@code e = actual - forecast} are tracked by stochastic
 * approximation (the quantile-loss gradient step, Robbins-Monro): {@code q += eta * s * (tau - [e < q])}, where
 * {@code s} is the channel's recent mean absolute error (an exponential average with weight {@value #SCALE_RATE},
 * so the step has the units of the readings) and {@code eta} is {@code 1 / n} over the first {@value #SETTLE}
 * errors, then {@value #RATE}: fast, so that the quantiles follow a shift of the error distribution within tens of
 * readings (chosen on the persistence errors of ETTh1 and SKAB: at 0.02 the SKAB runs with anomalies were covered
 * 80.5%, at 0.1 88.5%; ETTh1 91.2-91.9% either way).
 * At equilibrium a fraction {@code tau} of the errors falls below {@code q}, so {@code forecast + [q_lo, q_hi]}
 * covers about {@code level} of the next readings. Intervals are given from the {@value #WARM_UP}th error on.
 *
 * <p>Steps beyond the first: the offsets are widened by {@code sqrt(h)} for the forecast {@code h} readings
 * ahead (errors of a rollout accumulate like a random walk's); an assumption, not tracked per step (that would
 * need the last {@code H} horizons in key state). The coverage the accuracy command measures is of step 1.
 *
 * <p>State layout (length {@link #stateSize}): {@code [n, then per channel c: q_lo, q_hi, s]}. Stateless
 * otherwise, thread-safe.
 */
public final class PredictionIntervals {
    /** The default nominal coverage. */
    public static final double DEFAULT_LEVEL = 0.9;
    /** Errors seen before intervals are given. */
    public static final int WARM_UP = 30;
    /** Errors over which the step size falls as 1/n before it stays at {@link #RATE}. */
    static final int SETTLE = 30;
    /** The step size (per mean absolute error) once settled. */
    static final double RATE = 0.1;
    /** The smoothing of the mean absolute error. */
    static final double SCALE_RATE = 0.05;

    private final double level;
    private final double tauLow;
    private final double tauHigh;

    /** Intervals of nominal coverage {@code level}, in (0, 1). */
    public PredictionIntervals(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("the interval level must be in (0, 1), got " + level);
        }
        this.level = level;
        this.tauLow = (1 - level) / 2;
        this.tauHigh = (1 + level) / 2;
    }

    /** The nominal coverage. */
    public double level() {
        return level;
    }

    /** Doubles of state for {@code channels} channels. */
    public static int stateSize(int channels) {
        return 1 + 3 * channels;
    }

    /** The state before any error: nothing seen. */
    public static double[] initialState(int channels) {
        return new double[stateSize(channels)];
    }

    /** Whether {@code state} has seen enough errors to give intervals. */
    public static boolean ready(double[] state) {
        return state[0] >= WARM_UP;
    }

    /**
     * Takes one forecast error per channel into {@code state}.
     *
     * @param error {@code actual - forecast} per channel; a non-finite error leaves the state unchanged
     */
    public void update(double[] state, double[] error) {
        for (double e : error) {
            if (!Double.isFinite(e)) {
                return;
            }
        }
        double n = state[0] + 1;
        state[0] = n;
        double eta = n <= SETTLE ? 1.0 / n : RATE;
        double scaleRate = Math.max(1.0 / n, SCALE_RATE);
        for (int c = 0; c < error.length; c++) {
            int at = 1 + 3 * c;
            double e = error[c];
            double s = state[at + 2] + scaleRate * (Math.abs(e) - state[at + 2]);
            state[at + 2] = s;
            if (n == 1) {
                state[at] = e;
                state[at + 1] = e;
                continue;
            }
            double step = eta * s;
            state[at] += step * (tauLow - (e < state[at] ? 1 : 0));
            state[at + 1] += step * (tauHigh - (e < state[at + 1] ? 1 : 0));
            if (state[at] > state[at + 1]) { // crossed while settling: keep them ordered
                double mid = (state[at] + state[at + 1]) / 2;
                state[at] = mid;
                state[at + 1] = mid;
            }
        }
    }

    /**
     * The interval bounds around {@code forecast} for the forecast {@code stepsAhead} readings ahead (1: the next
     * reading): {@code forecast + q * sqrt(stepsAhead)}. Call only when {@link #ready}.
     *
     * @param upper false: the lower bounds, true: the upper ones
     */
    public static double[] bounds(double[] state, double[] forecast, int stepsAhead, boolean upper) {
        double widen = Math.sqrt(stepsAhead);
        double[] out = new double[forecast.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = forecast[c] + widen * state[1 + 3 * c + (upper ? 1 : 0)];
        }
        return out;
    }
}
