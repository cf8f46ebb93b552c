package io.rnnstreams.eval;

/**
 * Sums one forecaster's one-step errors on one sensor, next to the errors of the persistence (naive)
 * forecast on the same readings, per channel, for {@link ErrorSummary}. Errors are in the readings' raw
 * units (not normalised). Not thread-safe.
 */
public final class ErrorAccumulator {
    private final int channels;
    private final double[] sumAbs;
    private final double[] sumSquared;
    private final double[] naiveSumAbs;
    private long readings;

    public ErrorAccumulator(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.channels = channels;
        this.sumAbs = new double[channels];
        this.sumSquared = new double[channels];
        this.naiveSumAbs = new double[channels];
    }

    /**
     * Scores one reading.
     *
     * @param error      per channel, actual minus the forecaster's forecast of this reading
     * @param naiveError per channel, actual minus the previous reading (the persistence forecast's error)
     */
    public void add(double[] error, double[] naiveError) {
        if (error.length != channels || naiveError.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " channels, got " + error.length + " and "
                    + naiveError.length);
        }
        for (int c = 0; c < channels; c++) {
            sumAbs[c] += Math.abs(error[c]);
            sumSquared[c] += error[c] * error[c];
            naiveSumAbs[c] += Math.abs(naiveError[c]);
        }
        readings++;
    }

    /** The figures so far; see {@link ErrorSummary} for how channels are combined. */
    public ErrorSummary summary() {
        if (readings == 0) {
            return ErrorSummary.empty(channels);
        }
        double mae = 0.0;
        double mse = 0.0;
        double mase = 0.0;
        int maseChannels = 0;
        for (int c = 0; c < channels; c++) {
            mae += sumAbs[c] / readings;
            mse += sumSquared[c] / readings;
            if (naiveSumAbs[c] > 0) {
                mase += sumAbs[c] / naiveSumAbs[c];
                maseChannels++;
            }
        }
        return new ErrorSummary(readings, channels, mae / channels, Math.sqrt(mse / channels),
                maseChannels == 0 ? Double.NaN : mase / maseChannels);
    }
}
