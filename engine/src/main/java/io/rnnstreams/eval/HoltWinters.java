package io.rnnstreams.eval;

/**
 * Additive Holt-Winters exponential smoothing with a damped trend, one fixed parameter set, per channel
 * (Hyndman and Athanasopoulos, <i>Forecasting: Principles and Practice</i>, 3rd ed., section 8.3, with the
 * damping of section 8.2). For a reading {@code y(t)} in season slot {@code i = t mod m}:
 * <pre>
 *   level(t)  = alpha (y(t) - s_i) + (1 - alpha) (level(t-1) + phi trend(t-1))
 *   trend(t)  = beta (level(t) - level(t-1)) + (1 - beta) phi trend(t-1)
 *   s_i      <- g (y(t) - level(t)) + (1 - g) s_i,   g = max(gamma, 1 / (n_i + 1))
 *   forecast  = level(t) + phi trend(t) + s_{(t+1) mod m}
 * </pre>
 * where {@code n_i} counts the earlier updates of slot {@code i}: the first cycles average the slot's
 * deviations (a running mean) until {@code 1 / (n_i + 1)} falls below {@code gamma}, so no separate
 * initialisation pass is needed. The first reading sets the level; trend and seasons start at 0. Period
 * {@code m = 0}: no seasonal terms (damped Holt).
 *
 * <p>Deterministic; not thread-safe.
 */
public final class HoltWinters {
    /**
     * One parameter set, each in [0, 1].
     *
     * @param alpha level smoothing
     * @param beta  trend smoothing
     * @param gamma seasonal smoothing (ignored without a period)
     * @param phi   trend damping ({@code 1}: undamped)
     */
    public record Parameters(double alpha, double beta, double gamma, double phi) {
        public Parameters {
            for (double v : new double[] {alpha, beta, gamma, phi}) {
                if (!(v >= 0 && v <= 1)) {
                    throw new IllegalArgumentException("Holt-Winters parameters must be in [0, 1], got " + this);
                }
            }
        }
    }

    private final int channels;
    private final int period;
    private final Parameters parameters;
    private final double[] level;
    private final double[] trend;
    /** {@code season[c][i]}; empty without a period. */
    private final double[][] season;
    private long readings;

    /**
     * @param channels {@code D >= 1}
     * @param period   {@code m >= 0} (0: no season)
     */
    public HoltWinters(int channels, int period, Parameters parameters) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (period < 0) {
            throw new IllegalArgumentException("period must be >= 0, got " + period);
        }
        this.channels = channels;
        this.period = period;
        this.parameters = parameters;
        this.level = new double[channels];
        this.trend = new double[channels];
        this.season = new double[channels][period];
    }

    public Parameters parameters() {
        return parameters;
    }

    /** Takes in one reading of {@code D} finite values. */
    public void observe(double[] y) {
        int slot = period == 0 ? 0 : (int) (readings % period);
        double g = period == 0 ? 0 : Math.max(parameters.gamma(), 1.0 / (readings / period + 1));
        for (int c = 0; c < channels; c++) {
            if (readings == 0) {
                level[c] = y[c];
                continue;
            }
            double s = period == 0 ? 0 : season[c][slot];
            double previous = level[c];
            double damped = parameters.phi() * trend[c];
            level[c] = parameters.alpha() * (y[c] - s) + (1 - parameters.alpha()) * (previous + damped);
            trend[c] = parameters.beta() * (level[c] - previous) + (1 - parameters.beta()) * damped;
            if (period > 0) {
                season[c][slot] = g * (y[c] - level[c]) + (1 - g) * s;
            }
        }
        readings++;
    }

    /** Level, trend and {@code m} seasons per channel ({@code (2 + m) D} doubles) and the reading count. */
    public StateSize stateSize() {
        return new StateSize((2L + period) * channels, 0, 1);
    }

    /** Writes the forecast of the next reading to {@code out} ({@code D} values); needs one reading first. */
    public void forecast(double[] out) {
        if (readings == 0) {
            throw new IllegalStateException("no reading observed yet");
        }
        int slot = period == 0 ? 0 : (int) (readings % period);
        for (int c = 0; c < channels; c++) {
            out[c] = level[c] + parameters.phi() * trend[c] + (period == 0 ? 0 : season[c][slot]);
        }
    }
}
