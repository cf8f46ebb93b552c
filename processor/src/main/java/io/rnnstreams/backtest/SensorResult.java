package io.rnnstreams.backtest;

import io.rnnstreams.eval.ErrorSummary;

/**
 * The backtest figures of one sensor.
 *
 * @param series                the paired readings and predictions
 * @param arForecasts           row {@code t}: the AR baseline's forecast of reading {@code t + 1}, made at
 *                              reading {@code t}
 * @param rnn                   the RNN's errors on the scored readings
 * @param ar                    the AR baseline's errors on the same readings
 * @param maxPairingDiscrepancy the largest {@code |previousError - (actual - forecast at the previous
 *                              reading)|} over the scored readings and channels; 0 when they agree exactly
 */
public record SensorResult(SensorSeries series, double[][] arForecasts, ErrorSummary rnn, ErrorSummary ar,
                           double maxPairingDiscrepancy) {

    /** The sensor (record key). */
    public String sensor() {
        return series.sensor();
    }

    /** {@code "model"} (the stream's learner), {@code "AR"} or {@code "tie"}: see {@link #winner(ErrorSummary, ErrorSummary)}. */
    public String winner() {
        return winner(rnn, ar);
    }

    /**
     * The lower MASE wins; when either MASE is not a number, the lower MAE; equal figures (or none) tie.
     *
     * @return {@code "model"} (the stream's learner), {@code "AR"} or {@code "tie"}
     */
    public static String winner(ErrorSummary rnn, ErrorSummary ar) {
        boolean byMase = Double.isFinite(rnn.mase()) && Double.isFinite(ar.mase());
        double r = byMase ? rnn.mase() : rnn.mae();
        double a = byMase ? ar.mase() : ar.mae();
        if (!(Double.isFinite(r) && Double.isFinite(a)) || r == a) {
            return "tie";
        }
        return r < a ? "model" : "AR";
    }
}
