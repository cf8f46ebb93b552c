package io.rnnstreams.learner;

/**
 * How the hybrid learner fits the gain {@code g} of its network's correction per key and channel (the
 * forecast is {@code base + g c}; {@link HybridForecaster}).
 *
 * <p>{@link #LEAST_SQUARES}: {@code g = clamp(E[r c] / E[c^2], 0, 1)}, the gain of least recent squared error,
 * from two moments. {@link #ABSOLUTE}: the one of {@link #CANDIDATES} with the least recent mean absolute
 * error {@code E|r - g c|} (exponentially weighted at {@link HybridForecaster#GAIN_RATE}; ties go to the smaller
 * gain, so before any error the gain is 0): aligned with MAE and MASE, which the accuracy suite scores, and
 * robust to the rare large errors of quantised or jumpy channels that steer a least-squares fit.
 */
public enum GainFit {
    /** From the moments {@code E[r c]} and {@code E[c^2]}. */
    LEAST_SQUARES,
    /** The candidate of least recent absolute error. */
    ABSOLUTE;

    /** The candidate gains of {@link #ABSOLUTE}. */
    static final double[] CANDIDATES = {0.0, 0.25, 0.5, 0.75, 1.0};

    /** Recent absolute errors a key keeps per channel: {@code CANDIDATES.length} for {@link #ABSOLUTE}, else 0. */
    int errorsPerChannel() {
        return this == ABSOLUTE ? CANDIDATES.length : 0;
    }

    /**
     * {@link #ABSOLUTE}: moves channel {@code c}'s recent absolute errors ({@code errors[j D + c]}, candidate
     * {@code j}) toward {@code |r - g_j correction|}.
     */
    static void update(double[] errors, int channels, int channel, double residual, double correction) {
        update(errors, channels, channel, residual, correction, 1.0, HybridForecaster.GAIN_RATE);
    }

    /**
     * As {@link #update(double[], int, int, double, double)} with the candidates times {@code ceiling}, at
     * {@code rate}.
     */
    static void update(double[] errors, int channels, int channel, double residual, double correction,
                       double ceiling, double rate) {
        for (int j = 0; j < CANDIDATES.length; j++) {
            int at = j * channels + channel;
            errors[at] += rate
                    * (Math.abs(residual - ceiling * CANDIDATES[j] * correction) - errors[at]);
        }
    }

    /** {@link #ABSOLUTE}: the candidate of channel {@code c} with the least recent absolute error. */
    static double best(double[] errors, int channels, int channel) {
        return best(errors, channels, channel, 1.0);
    }

    /** As {@link #best(double[], int, int)} with the candidates times {@code ceiling}. */
    static double best(double[] errors, int channels, int channel, double ceiling) {
        int best = 0;
        for (int j = 1; j < CANDIDATES.length; j++) {
            if (errors[j * channels + channel] < errors[best * channels + channel]) {
                best = j;
            }
        }
        return ceiling * CANDIDATES[best];
    }
}
