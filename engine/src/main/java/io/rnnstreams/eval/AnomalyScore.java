package io.rnnstreams.eval;

/**
 * How unusual a sequence's recent forecast errors are against its own long-run error distribution, as a
 * number in [0, 1] that means the same for sensors of every scale.
 *
 * <p>Each reading's error is reduced to {@code e = log(1e-12 + mean_i (err_i / std_i)^2)}: the squared
 * error in units of the channel's running standard deviation, on a log scale (squared errors are heavily
 * right-skewed; their logarithm is close to normal). A long exponentially weighted window fits the mean
 * {@code muL} and variance {@code varL} of {@code e}; a short one tracks the recent mean {@code muS}
 * (weights {@code max(2 / (window + 1), 1 / n)}, so the first readings get exact running moments).
 * The score is the larger of two normal probabilities under the long-window fit:
 * <ul>
 *   <li>the point score {@code Phi((e - muL) / sqrt(varL))}: how unusual this one error is (a spike);</li>
 *   <li>the window score {@code Phi((muS - muL) / sqrt(varL * a / (2 - a)))}, {@code a = 2 / (short + 1)}:
 *       how unusual the recent mean is, since a short-window mean of independent errors has variance
 *       {@code varL * a / (2 - a)} (a level shift or a burst of moderately large errors).</li>
 * </ul>
 * Both are taken against the fit from before this error. On the log scale the right tail of the errors of
 * a well-fitted model is thin: for Gaussian errors a point score of 0.99 needs an error beyond about 6.9
 * standard deviations. The score is near 0.5 in steady state and 0 until {@code 2 * short} errors have
 * been seen. A mean square that overflows counts as {@code Double.MAX_VALUE}: score and state stay finite.
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
     * @param scales each channel's scale: its running standard deviation from before this reading, so that
     *               an outlier does not shrink its own error
     */
    public double update(double[] state, double[] error, double[] scales) {
        double sum = 0.0;
        for (int i = 0; i < error.length; i++) {
            double z = error[i] / scales[i];
            sum += z * z;
        }
        double meanSquare = sum / error.length;
        if (!(meanSquare <= Double.MAX_VALUE)) {
            // squares overflowed (a diverging model's error over a tiny scale): the largest finite error, so
            // that the score and the state stay finite (log(MAX_VALUE) ~ 709.8)
            meanSquare = Double.MAX_VALUE;
        }
        double e = StrictMath.log(1e-12 + meanSquare);
        double count = state[0] + 1;
        state[0] = count;
        double muLong = state[1];
        double varLong = state[2];
        // weights max(alpha, 1/n): while fewer readings than a window have been seen, the fits are the exact
        // running mean and (population) variance instead of estimates biased towards their starting values
        double shortWeight = Math.max(alphaShort, 1.0 / count);
        double longWeight = Math.max(alphaLong, 1.0 / count);
        double muShort = state[3] + shortWeight * (e - state[3]);
        double delta = e - muLong;
        state[1] = muLong + longWeight * delta;
        state[2] = (1 - longWeight) * (varLong + longWeight * delta * delta);
        state[3] = muShort;
        if (count < 2 * shortWindow || varLong <= 0) {
            return 0.0;
        }
        double point = normalCdf((e - muLong) / Math.sqrt(varLong));
        double window = normalCdf((muShort - muLong) / Math.sqrt(varLong * alphaShort / (2 - alphaShort)));
        return Math.max(point, window);
    }

    /** The standard normal distribution function, via {@link #erfc}. */
    static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2.0));
    }

    /** Complementary error function, relative error below 1.2e-7 everywhere (Numerical Recipes' erfcc). */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * StrictMath.exp(erfcExponent(z, t));
        return x >= 0 ? r : 2.0 - r;
    }

    /**
     * The natural logarithm of {@link #erfc}, computed in the log domain for {@code x >= 0} so that it stays
     * finite where {@code erfc} underflows to 0 (from {@code x} about 27 on): the same approximation, the same
     * relative error, for every finite {@code x}.
     */
    public static double logErfc(double x) {
        if (x < 0) {
            return Math.log(erfc(x));
        }
        double t = 1.0 / (1.0 + 0.5 * x);
        return Math.log(t) + erfcExponent(x, t);
    }

    /** The exponent of Numerical Recipes' erfcc at {@code z >= 0}, {@code t = 1 / (1 + z / 2)}. */
    private static double erfcExponent(double z, double t) {
        return -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
    }
}
