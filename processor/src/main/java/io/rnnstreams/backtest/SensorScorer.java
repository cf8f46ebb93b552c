package io.rnnstreams.backtest;

import io.rnnstreams.eval.ErrorAccumulator;
import io.rnnstreams.eval.OnlineAr;

/**
 * Scores one sensor's series prequentially: the RNN, an {@link OnlineAr} baseline run over the same
 * accepted readings, and persistence as MASE's yardstick.
 *
 * <p>Reading {@code t} is scored when {@code t >= 1} and its prediction carries a {@code previousError}
 * (so a sensor's first reading never is: 600 readings give 599 scored). On a scored reading: the RNN's
 * error is {@code previousError}, checked against {@code actual(t) - forecast(t - 1)}; the AR error is
 * {@code actual(t) - arForecast(t - 1)}; persistence's is {@code actual(t) - actual(t - 1)}.
 */
public final class SensorScorer {
    private final int order;
    private final double lambda;
    private final double delta;

    /** AR({@code order}) with forgetting factor {@code lambda} and {@code P = delta I} at the start. */
    public SensorScorer(int order, double lambda, double delta) {
        this.order = order;
        this.lambda = lambda;
        this.delta = delta;
    }

    public SensorResult score(SensorSeries s) {
        int n = s.size();
        int channels = n == 0 ? 1 : s.actuals()[0].length;
        OnlineAr ar = new OnlineAr(channels, order, lambda, delta);
        ErrorAccumulator rnnErrors = new ErrorAccumulator(channels);
        ErrorAccumulator arErrors = new ErrorAccumulator(channels);
        double[][] arForecasts = new double[n][];
        double discrepancy = 0.0;
        for (int t = 0; t < n; t++) {
            double[] x = s.actuals()[t];
            double[] previousError = s.previousErrors()[t];
            if (t >= 1 && previousError != null) {
                double[] naive = new double[channels];
                double[] arError = new double[channels];
                for (int c = 0; c < channels; c++) {
                    double paired = x[c] - s.forecasts()[t - 1][c];
                    discrepancy = Math.max(discrepancy, Math.abs(previousError[c] - paired));
                    naive[c] = x[c] - s.actuals()[t - 1][c];
                    arError[c] = x[c] - arForecasts[t - 1][c];
                }
                rnnErrors.add(previousError, naive);
                arErrors.add(arError, naive);
            }
            arForecasts[t] = ar.next(x);
        }
        return new SensorResult(s, arForecasts, rnnErrors.summary(), arErrors.summary(), discrepancy);
    }
}
