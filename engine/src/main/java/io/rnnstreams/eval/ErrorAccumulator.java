package io.rnnstreams.eval;

/**
 * Sums one forecaster's one-step errors on one sensor, per channel: the sums of absolute and of squared errors
 * and the count of scored readings, and, when given, the errors of the persistence (naive) forecast on the same
 * readings, for {@link ErrorSummary}. Errors are in the readings' raw units (not normalised). The one
 * implementation of these sums: the backtest and the accuracy runs score with it, and the per-key state of the
 * stream ({@code io.rnnstreams.learner.SensorState}) keeps its prequential error sums in it. Not thread-safe.
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
     * Sums carried on from stored ones (no persistence errors: {@link #summary}'s MASE is NaN until some are
     * added with {@link #add(double[], double[])}).
     *
     * @param sumAbs     per channel, the sum of absolute errors so far; copied
     * @param sumSquared per channel, the sum of squared errors so far, as long as {@code sumAbs}; copied
     * @param readings   readings scored so far, {@code >= 0}
     */
    public static ErrorAccumulator restore(double[] sumAbs, double[] sumSquared, long readings) {
        if (sumSquared.length != sumAbs.length || readings < 0) {
            throw new IllegalArgumentException("expected two sums of the same length and readings >= 0, got "
                    + sumAbs.length + " and " + sumSquared.length + " channels, " + readings + " readings");
        }
        ErrorAccumulator a = new ErrorAccumulator(sumAbs.length);
        System.arraycopy(sumAbs, 0, a.sumAbs, 0, sumAbs.length);
        System.arraycopy(sumSquared, 0, a.sumSquared, 0, sumSquared.length);
        a.readings = readings;
        return a;
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
            naiveSumAbs[c] += Math.abs(naiveError[c]);
        }
        add(error);
    }

    /**
     * Scores one reading without the persistence forecast's error.
     *
     * @param error per channel, actual minus the forecaster's forecast of this reading
     */
    public void add(double[] error) {
        if (error.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " channels, got " + error.length);
        }
        for (int c = 0; c < channels; c++) {
            sumAbs[c] += Math.abs(error[c]);
            sumSquared[c] += error[c] * error[c];
        }
        readings++;
    }

    /** Readings scored. */
    public long readings() {
        return readings;
    }

    /** Per channel, the sum of absolute errors; a copy. */
    public double[] sumAbs() {
        return sumAbs.clone();
    }

    /** Per channel, the sum of squared errors; a copy. */
    public double[] sumSquared() {
        return sumSquared.clone();
    }

    /** Per channel, {@code sumAbs / readings}; NaN when no reading was scored. */
    public double[] meanAbsoluteErrors() {
        double[] mae = new double[channels];
        for (int c = 0; c < channels; c++) {
            mae[c] = readings == 0 ? Double.NaN : sumAbs[c] / readings;
        }
        return mae;
    }

    /** Per channel, {@code sqrt(sumSquared / readings)}; NaN when no reading was scored. */
    public double[] rootMeanSquaredErrors() {
        double[] rmse = new double[channels];
        for (int c = 0; c < channels; c++) {
            rmse[c] = readings == 0 ? Double.NaN : Math.sqrt(sumSquared[c] / readings);
        }
        return rmse;
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
