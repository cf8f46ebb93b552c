package io.rnnstreams.backtest;

import io.rnnstreams.avro.Prediction;
import java.util.List;

/**
 * What the backtest uses of one {@code Prediction}.
 *
 * @param eventTime     event time of the reading the prediction follows, epoch milliseconds
 * @param forecast      forecast of the next reading, per channel
 * @param previousError this reading minus the forecast made at the previous reading, per channel; null when
 *                      no forecast preceded it
 * @param anomalyScore  the prediction's anomaly score in [0, 1]
 * @param intervalLower the lower bounds of the forecast's interval (its first step), per channel; null when none
 * @param intervalUpper the upper bounds, as {@code intervalLower}
 * @param channelNames  the prediction's channel names; empty when it has none
 * @param horizon       the forecasts of the next {@code N} readings ({@code [h-1]}: {@code h} steps ahead, per
 *                      channel), as the prediction's {@code horizon} carries them with {@code rnn.forecast.horizon}
 *                      {@code N > 1} (the recursive rollout's or the encoder-decoder's); null when it has none
 * @param anomaly       the prediction's {@code anomaly} flag: whether the stream raised an alarm at this reading (its
 *                      detector's alarm rule: {@code AnomalyDetector} and {@code AlarmGate} with the detector's signals)
 */
public record PredictionPoint(long eventTime, double[] forecast, double[] previousError, double anomalyScore,
                              double[] intervalLower, double[] intervalUpper, List<String> channelNames,
                              double[][] horizon, boolean anomaly) {
    /** A point without an alarm. */
    public PredictionPoint(long eventTime, double[] forecast, double[] previousError, double anomalyScore,
                           double[] intervalLower, double[] intervalUpper, List<String> channelNames,
                           double[][] horizon) {
        this(eventTime, forecast, previousError, anomalyScore, intervalLower, intervalUpper, channelNames, horizon,
                false);
    }

    /** A point without multi-step forecasts. */
    public PredictionPoint(long eventTime, double[] forecast, double[] previousError, double anomalyScore,
                           double[] intervalLower, double[] intervalUpper, List<String> channelNames) {
        this(eventTime, forecast, previousError, anomalyScore, intervalLower, intervalUpper, channelNames, null);
    }

    /** A point without interval or channel names. */
    public PredictionPoint(long eventTime, double[] forecast, double[] previousError, double anomalyScore) {
        this(eventTime, forecast, previousError, anomalyScore, null, null, List.of());
    }

    /** What the backtest keeps of a decoded {@code Prediction}. */
    static PredictionPoint of(Prediction p) {
        return new PredictionPoint(p.getEventTime().toEpochMilli(), unbox(p.getForecast()),
                p.getPreviousError() == null ? null : unbox(p.getPreviousError()), p.getAnomalyScore(),
                p.getIntervalLower().isEmpty() ? null : unbox(p.getIntervalLower().get(0)),
                p.getIntervalUpper().isEmpty() ? null : unbox(p.getIntervalUpper().get(0)),
                p.getChannelNames(), horizon(p.getHorizon()), p.getAnomaly());
    }

    /** The prediction's multi-step forecasts, or null when it carries none. */
    private static double[][] horizon(List<List<Double>> steps) {
        if (steps == null || steps.isEmpty()) {
            return null;
        }
        double[][] h = new double[steps.size()][];
        for (int i = 0; i < h.length; i++) {
            h[i] = unbox(steps.get(i));
        }
        return h;
    }

    private static double[] unbox(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
