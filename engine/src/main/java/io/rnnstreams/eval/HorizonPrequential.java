package io.rnnstreams.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Test-then-train evaluation of one {@link HorizonMethod} on one {@link Dataset} at every horizon
 * {@code h = 1..N}: the readings go to the method in the order of {@link Prequential}; reading {@code t} of a
 * key is scored at horizon {@code h} against the forecast the method made at reading {@code t - h}, before it
 * saw readings {@code t - h + 1 .. t}.
 *
 * <p>Every horizon is scored on the same readings, {@code t >= N} of each key, so that the columns compare
 * like with like. MASE at horizon {@code h} is that horizon's MAE over the one-step persistence MAE
 * {@code |x(t) - x(t-1)|} on the same readings (Hyndman and Koehler's in-sample naive scale), per key and
 * channel, then averaged ({@link ErrorAccumulator}, {@link ErrorSummary#overall}): persistence's own
 * {@code h}-step forecast scores about {@code h} on a random walk and 1 at {@code h = 1}.
 */
public final class HorizonPrequential {
    private HorizonPrequential() {
    }

    /**
     * The figures of one method: {@code perHorizon.get(h-1)} is horizon {@code h}'s.
     *
     * @param seconds wall time of the run
     */
    public record Result(String name, List<ErrorSummary> perHorizon, double seconds) {
        public Result {
            perHorizon = List.copyOf(perHorizon);
        }

        /** MASE at horizon {@code h} (1-based). */
        public double mase(int h) {
            return perHorizon.get(h - 1).mase();
        }

        /** The horizon {@code N}. */
        public int horizon() {
            return perHorizon.size();
        }
    }

    /** Runs {@code method} over {@code data} with horizon {@code horizon >= 1}. */
    public static Result run(Dataset data, HorizonMethod method, int horizon) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        long start = System.nanoTime();
        List<KeySeries> keys = data.keys();
        int d = data.channels();
        // errors[k][h-1]; made[k][t % (N + 1)]: the forecasts made at reading t
        ErrorAccumulator[][] errors = new ErrorAccumulator[keys.size()][horizon];
        double[][][][] made = new double[keys.size()][horizon + 1][][];
        for (int k = 0; k < keys.size(); k++) {
            for (int h = 0; h < horizon; h++) {
                errors[k][h] = new ErrorAccumulator(d);
            }
        }
        double[] error = new double[d];
        double[] naive = new double[d];
        ReadingOrder order = new ReadingOrder(data);
        while (order.next()) {
            int t = order.step();
            int k = order.key();
            KeySeries series = keys.get(k);
            double[] x = series.values()[t];
            if (t >= horizon) {
                double[] previous = series.values()[t - 1];
                for (int c = 0; c < d; c++) {
                    naive[c] = x[c] - previous[c];
                }
                for (int h = 1; h <= horizon; h++) {
                    double[] forecast = made[k][(t - h) % (horizon + 1)][h - 1];
                    for (int c = 0; c < d; c++) {
                        error[c] = x[c] - forecast[c];
                    }
                    errors[k][h - 1].add(error, naive);
                }
            }
            double[][] forecasts = method.observe(series.key(), x, horizon);
            if (forecasts.length != horizon || forecasts[horizon - 1].length != d) {
                throw new IllegalStateException(method.name() + " forecast " + forecasts.length + " horizons of "
                        + forecasts[0].length + " channels, expected " + horizon + " of " + d);
            }
            made[k][t % (horizon + 1)] = forecasts;
        }
        List<ErrorSummary> perHorizon = new ArrayList<>(horizon);
        for (int h = 0; h < horizon; h++) {
            List<ErrorSummary> perKey = new ArrayList<>(keys.size());
            for (int k = 0; k < keys.size(); k++) {
                perKey.add(errors[k][h].summary());
            }
            perHorizon.add(ErrorSummary.overall(perKey));
        }
        return new Result(method.name(), perHorizon, (System.nanoTime() - start) / 1e9);
    }
}
