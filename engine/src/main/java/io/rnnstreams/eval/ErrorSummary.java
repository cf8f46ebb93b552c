package io.rnnstreams.eval;

import java.util.Collection;

/**
 * One forecaster's one-step forecast errors, in the readings' raw units, on one sensor or over all.
 *
 * <p>Per sensor with {@code D} channels and {@code n} scored readings, {@code e} the forecaster's errors
 * (actual minus forecast) and {@code q} the persistence forecast's ({@code x(t) - x(t-1)}) on the same
 * readings:
 * <ul>
 *   <li>{@code mae = mean over channels of MAE_c}, {@code MAE_c = sum_t |e_ct| / n}: the same as the mean
 *       of all {@code n D} absolute errors;</li>
 *   <li>{@code rmse = sqrt(mean over channels of MSE_c)}, {@code MSE_c = sum_t e_ct^2 / n};</li>
 *   <li>{@code mase = mean over channels of MAE_c / MAE_c(persistence)}: each channel scale-free before
 *       averaging; channels whose persistence MAE is 0 (constant) are left out; NaN if none is left.
 *       Below 1 means better than persistence. For {@code D = 1} it is {@code MAE / MAE(persistence)}.</li>
 * </ul>
 *
 * <p>Overall ({@link #overall}): {@code readings} is the sum; {@code mae} and {@code rmse} pool every
 * scored value of every sensor (raw units, so large-scale sensors weigh more); {@code mase} is the
 * unweighted mean of the sensors' finite {@code mase} (every sensor counts once, whatever its scale).
 * Figures over no reading are NaN.
 *
 * @param readings readings scored
 * @param channels channels per reading
 * @param mae      mean absolute error
 * @param rmse     root mean squared error
 * @param mase     mean absolute scaled error against persistence
 */
public record ErrorSummary(long readings, int channels, double mae, double rmse, double mase) {

    /** No reading scored. */
    public static ErrorSummary empty(int channels) {
        return new ErrorSummary(0, channels, Double.NaN, Double.NaN, Double.NaN);
    }

    /** The overall figures of per-sensor summaries (see the class comment); sensors with no reading ignored. */
    public static ErrorSummary overall(Collection<ErrorSummary> perSensor) {
        long readings = 0;
        double values = 0.0;
        double sumAbs = 0.0;
        double sumSquared = 0.0;
        double mase = 0.0;
        int maseSensors = 0;
        int channels = 0;
        for (ErrorSummary s : perSensor) {
            if (s.readings == 0) {
                continue;
            }
            double n = (double) s.readings * s.channels;
            readings += s.readings;
            values += n;
            sumAbs += n * s.mae;
            sumSquared += n * s.rmse * s.rmse;
            channels = Math.max(channels, s.channels);
            if (Double.isFinite(s.mase)) {
                mase += s.mase;
                maseSensors++;
            }
        }
        if (readings == 0) {
            return empty(Math.max(channels, 1));
        }
        return new ErrorSummary(readings, channels, sumAbs / values, Math.sqrt(sumSquared / values),
                maseSensors == 0 ? Double.NaN : mase / maseSensors);
    }
}
