package io.rnnstreams.learner;

/**
 * Context longer than the TBPTT window for the hybrid learner's network: the linear path's one-step error
 * smoothed exponentially at {@link #RATES two rates} per channel, fed to the network as two more inputs per
 * channel. The window of {@code k2} readings bounds what back-propagation can learn to remember; a slowly
 * smoothed error is a summary of the last ~{@code 1 / rate} readings that the network reads at every step
 * without having to carry it in its state (the way ES-RNN gives its network the smoothed level and season
 * instead of asking it to learn them).
 *
 * <p>Layout: {@code smoothed[j D + c]} is channel {@code c}'s error smoothed at rate {@code RATES[j]}; 0 until
 * the first error. Stateless: the smoothed values are the key's ({@link HybridForecaster.KeyState}).
 */
final class SlowErrors {
    /** The smoothing rates: time scales of ~32 and ~256 readings, two and sixteen TBPTT windows. */
    static final double[] RATES = {1.0 / 32, 1.0 / 256};

    private SlowErrors() {
    }

    /** Smoothed values per channel: {@code RATES.length}. */
    static int count() {
        return RATES.length;
    }

    /** Moves each smoothed error of {@code smoothed} ({@code RATES.length * D}) toward {@code residual} ({@code D}). */
    static void update(double[] smoothed, double[] residual) {
        int d = residual.length;
        for (int j = 0; j < RATES.length; j++) {
            for (int c = 0; c < d; c++) {
                smoothed[j * d + c] += RATES[j] * (residual[c] - smoothed[j * d + c]);
            }
        }
    }
}
