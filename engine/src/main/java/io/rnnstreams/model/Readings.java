package io.rnnstreams.model;

/**
 * The checks and arithmetic every forecaster applies to a reading as it arrives ({@link OnlineForecaster},
 * {@link Seq2SeqForecaster}, {@link FixedLagSmoothing}).
 */
final class Readings {
    private Readings() {
    }

    /**
     * @throws IllegalArgumentException if {@code reading} does not have {@code channels} entries or one is not
     *                                  finite, naming the channel
     */
    static void requireValid(double[] reading, int channels) {
        if (reading.length != channels) {
            throw new IllegalArgumentException("reading has " + reading.length + " channels, expected " + channels);
        }
        for (int i = 0; i < channels; i++) {
            if (!Double.isFinite(reading[i])) {
                throw new IllegalArgumentException("channel " + i + " is not finite: " + reading[i]);
            }
        }
    }

    /** A new array {@code reading - forecast}, channel by channel ({@code forecast} has at least as many). */
    static double[] error(double[] reading, double[] forecast) {
        double[] error = new double[reading.length];
        for (int i = 0; i < error.length; i++) {
            error[i] = reading[i] - forecast[i];
        }
        return error;
    }

    /**
     * Writes the network's input for {@code reading} to {@code input}: with {@code normalise}, {@code normaliser}
     * first learns the reading ({@link Normaliser#update}) and the input is it standardised
     * ({@link Normaliser#normalise}); without, a copy.
     */
    static void toInput(double[] reading, boolean normalise, Normaliser normaliser, double[] input) {
        if (normalise) {
            normaliser.update(reading);
            normaliser.normalise(reading, input);
        } else {
            System.arraycopy(reading, 0, input, 0, reading.length);
        }
    }
}
