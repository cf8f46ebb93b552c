package io.rnnstreams.model;

/**
 * How unusual a sequence's recent forecast errors are against its own long-run error distribution, as a
 * number in [0, 1] that means the same for sensors of every scale.
 *
 * <p>Each reading's error is reduced to {@code e = log(1e-12 + mean_i (err_i / std_i)^2)}: the squared
 * error in units of the channel's running standard deviation, on a log scale (squared errors are heavily
 * right-skewed; their logarithm is close to normal). A long exponentially weighted window fits the mean
 * {@code muL} and variance {@code varL} of {@code e}; a short one tracks the recent mean {@code muS}.
 * Under the long-window fit, a short-window mean of independent errors has variance
 * {@code varL * a / (2 - a)} ({@code a = 2 / (short + 1)}), so the score is the normal probability
 * {@code Phi((muS - muL) / sqrt(varL * a / (2 - a)))}: near 0.5 in steady state, near 1 when recent
 * errors are unusually large. It is 0 until {@code 2 * short} errors have been seen.
 *
 * <p>State: four doubles {@code [count, muL, varL, muS]}; transcendental functions use
 * {@link StrictMath}, so scores are the same on every machine.
 */
public final class AnomalyScore {
    /** Doubles of state. */
    public static final int STATE_SIZE = 4;

    private final int shortWindow;
    private final double alphaShort;
    private final double alphaLong;

    public AnomalyScore(int shortWindow, int longWindow) {
        if (shortWindow < 2 || longWindow <= shortWindow) {
            throw new IllegalArgumentException("need 2 <= short window < long window, got " + shortWindow + ", "
                    + longWindow);
        }
        this.shortWindow = shortWindow;
        this.alphaShort = 2.0 / (shortWindow + 1);
        this.alphaLong = 2.0 / (longWindow + 1);
    }

    /**
     * Adds one forecast error and returns the score after it.
     *
     * @param state  {@code [count, muL, varL, muS]}, updated in place
     * @param error  actual minus forecast, per channel
     * @param scales each channel's scale (its running standard deviation)
     */
    public double update(double[] state, double[] error, double[] scales) {
        double sum = 0.0;
        for (int i = 0; i < error.length; i++) {
            double z = error[i] / scales[i];
            sum += z * z;
        }
        double e = StrictMath.log(1e-12 + sum / error.length);
        double count = state[0] + 1;
        state[0] = count;
        if (count == 1) {
            state[1] = e;
            state[2] = 0.0;
            state[3] = e;
        } else {
            double delta = e - state[1];
            state[1] += alphaLong * delta;
            state[2] = (1 - alphaLong) * (state[2] + alphaLong * delta * delta);
            state[3] += alphaShort * (e - state[3]);
        }
        if (count < 2 * shortWindow || state[2] <= 0) {
            return 0.0;
        }
        double sd = Math.sqrt(state[2] * alphaShort / (2 - alphaShort));
        return normalCdf((state[3] - state[1]) / sd);
    }

    /** The standard normal distribution function, via {@link #erfc}. */
    static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2.0));
    }

    /** Complementary error function, relative error below 1.2e-7 everywhere (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * StrictMath.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
