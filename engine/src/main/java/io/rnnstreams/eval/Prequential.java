package io.rnnstreams.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Test-then-train evaluation of one {@link StreamMethod} on one {@link Dataset}.
 *
 * <p>The readings go to the method interleaved in time order: step 0 of every key (in the dataset's key
 * order), then step 1, and so on; or, for a {@link Dataset#sequential()} dataset, one key after the other,
 * each whole. Reading {@code t >= 1} of a key is scored against the forecast the
 * method returned at reading {@code t - 1}, before it saw reading {@code t}; a key's first reading is never
 * scored (a key of {@code n} readings gives {@code n - 1}). Every method is scored on the same readings,
 * next to persistence's error ({@code x(t) - x(t-1)}) on them, which scales MASE (see {@link ErrorSummary}).
 *
 * <p>Each key's errors also feed a {@link PredictionIntervals} of the default level: before it takes an error, a
 * ready interval around the forecast is checked against the reading, giving the method's interval coverage.
 */
public final class Prequential {
    private Prequential() {
    }

    /** Runs {@code method} over {@code data} and returns its figures. */
    public static MethodResult run(Dataset data, StreamMethod method) {
        long start = System.nanoTime();
        List<KeySeries> keys = data.keys();
        int d = data.channels();
        List<ErrorAccumulator> errors = new ArrayList<>(keys.size());
        double[][] lastForecast = new double[keys.size()][];
        PredictionIntervals intervals = new PredictionIntervals(PredictionIntervals.DEFAULT_LEVEL);
        double[][] intervalStates = new double[keys.size()][];
        long covered = 0;
        long checked = 0;
        for (int k = 0; k < keys.size(); k++) {
            errors.add(new ErrorAccumulator(d));
        }
        double[] error = new double[d];
        double[] naive = new double[d];
        ReadingOrder order = new ReadingOrder(data);
        while (order.next()) {
            int t = order.step();
            int k = order.key();
            KeySeries series = keys.get(k);
            double[] x = series.values()[t];
            if (t >= 1) {
                double[] previous = series.values()[t - 1];
                for (int c = 0; c < d; c++) {
                    error[c] = x[c] - lastForecast[k][c];
                    naive[c] = x[c] - previous[c];
                }
                errors.get(k).add(error, naive);
                double[] state = intervalStates[k];
                if (PredictionIntervals.ready(state)) {
                    double[] lo = PredictionIntervals.bounds(state, lastForecast[k], 1, false);
                    double[] hi = PredictionIntervals.bounds(state, lastForecast[k], 1, true);
                    for (int c = 0; c < d; c++) {
                        covered += x[c] >= lo[c] && x[c] <= hi[c] ? 1 : 0;
                    }
                    checked += d;
                }
                intervals.update(state, error);
            }
            double[] forecast = method.observe(series.key(), x);
            if (forecast.length != d) {
                throw new IllegalStateException(method.name() + " forecast " + forecast.length + " channels, "
                        + "expected " + d);
            }
            lastForecast[k] = forecast;
            if (intervalStates[k] == null) {
                intervalStates[k] = PredictionIntervals.initialState(d);
            }
        }
        List<ErrorSummary> perKey = new ArrayList<>(keys.size());
        for (ErrorAccumulator e : errors) {
            perKey.add(e.summary());
        }
        return new MethodResult(method.name(), ErrorSummary.overall(perKey), (System.nanoTime() - start) / 1e9,
                MethodResult.Role.OTHER, checked == 0 ? Double.NaN : (double) covered / checked);
    }
}
