package io.rnnstreams.backtest;

import io.rnnstreams.eval.ErrorAccumulator;
import io.rnnstreams.eval.ErrorSummary;
import io.rnnstreams.eval.OnlineAr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Horizon-wise MASE of a backtest's multi-step forecasts (the predictions' {@code horizon}: the recursive rollout's or,
 * with {@code rnn.forecast.mode=seq2seq}, the encoder-decoder's), scored as the accuracy command scores them
 * ({@code eval.HorizonPrequential}): reading {@code t} of a sensor is scored at horizon {@code h} against the forecast
 * its prediction {@code t - h} made, every horizon on the same readings: {@code t >= N}, and only where the predictions
 * {@code t - N .. t - 1} all carry {@code N} steps. MASE at {@code h} = MAE at {@code h} / MAE of one-step persistence
 * {@code |x(t) - x(t-1)|} on the same readings, per sensor and channel, then averaged ({@link ErrorSummary#overall}).
 * Beside the application's: persistence's {@code h}-step forecast {@code x(t-h)} and AR({@code p}) by RLS iterated on
 * its own forecasts ({@link OnlineAr#forecast(int)}), run here over each sensor's accepted readings.
 */
public final class HorizonScores {
    private HorizonScores() {
    }

    /**
     * The figures: {@code [h-1]} is horizon {@code h}'s.
     *
     * @param horizon     {@code N}, the steps the predictions carry
     * @param application the application's forecasts
     * @param persistence persistence's {@code h}-step forecast
     * @param ar          AR by RLS, iterated
     */
    public record Result(int horizon, List<ErrorSummary> application, List<ErrorSummary> persistence,
                         List<ErrorSummary> ar) {
        public Result {
            application = List.copyOf(application);
            persistence = List.copyOf(persistence);
            ar = List.copyOf(ar);
        }
    }

    /**
     * Scores every sensor's multi-step forecasts; null when no prediction carries any ({@code rnn.forecast.horizon}
     * 1), so the report leaves the section out.
     *
     * @param order  {@code p} of the AR baseline, with its forgetting factor {@code lambda} and {@code P = delta I}
     */
    public static Result score(List<SensorSeries> series, int order, double lambda, double delta) {
        int n = 0;
        for (SensorSeries s : series) {
            for (double[][] h : s.horizons()) {
                if (h != null) {
                    n = Math.max(n, h.length);
                }
            }
        }
        if (n == 0) {
            return null;
        }
        List<List<ErrorSummary>> perSensor = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<List<ErrorSummary>> perHorizon = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<ErrorAccumulator[][]> sensors = new ArrayList<>();
        for (SensorSeries s : series) {
            sensors.add(score(s, n, order, lambda, delta));
        }
        for (int h = 0; h < n; h++) {
            for (int m = 0; m < 3; m++) {
                perSensor.get(m).clear();
                for (ErrorAccumulator[][] errors : sensors) {
                    perSensor.get(m).add(errors[m][h].summary());
                }
                perHorizon.get(m).add(ErrorSummary.overall(perSensor.get(m)));
            }
        }
        return new Result(n, perHorizon.get(0), perHorizon.get(1), perHorizon.get(2));
    }

    /** One sensor's errors: {@code [method][h-1]}, methods application, persistence, AR. */
    static ErrorAccumulator[][] score(SensorSeries s, int n, int order, double lambda, double delta) {
        int channels = s.size() == 0 ? 1 : s.actuals()[0].length;
        ErrorAccumulator[][] errors = new ErrorAccumulator[3][n];
        for (ErrorAccumulator[] method : errors) {
            for (int h = 0; h < n; h++) {
                method[h] = new ErrorAccumulator(channels);
            }
        }
        OnlineAr ar = new OnlineAr(channels, order, lambda, delta);
        double[][][] arForecasts = new double[s.size()][][];
        double[] naive = new double[channels];
        double[][] error = new double[3][channels];
        for (int t = 0; t < s.size(); t++) {
            double[] x = s.actuals()[t];
            if (t >= n && allCarry(s, t, n)) {
                for (int c = 0; c < channels; c++) {
                    naive[c] = x[c] - s.actuals()[t - 1][c];
                }
                for (int h = 1; h <= n; h++) {
                    double[] rnn = s.horizons()[t - h][h - 1];
                    double[] persistence = s.actuals()[t - h];
                    double[] arForecast = arForecasts[t - h][h - 1];
                    for (int c = 0; c < channels; c++) {
                        error[0][c] = x[c] - rnn[c];
                        error[1][c] = x[c] - persistence[c];
                        error[2][c] = x[c] - arForecast[c];
                    }
                    for (int m = 0; m < 3; m++) {
                        errors[m][h - 1].add(error[m], naive);
                    }
                }
            }
            ar.observe(x);
            arForecasts[t] = ar.forecast(n);
        }
        return errors;
    }

    /** Whether the predictions {@code t - N .. t - 1} all carry {@code N} steps. */
    private static boolean allCarry(SensorSeries s, int t, int n) {
        for (int h = 1; h <= n; h++) {
            double[][] f = s.horizons()[t - h];
            if (f == null || f.length < n) {
                return false;
            }
        }
        return true;
    }

    /**
     * The markdown table: MASE at horizons 1, 2, 3, 6, 12, 24, 36, ... and {@code N}, one column per method.
     *
     * @param arOrder {@code p}, for the AR column's heading
     */
    public static String table(Result r, int arOrder) {
        StringBuilder b = new StringBuilder();
        b.append("| h | application | persistence (h-step) | AR(").append(arOrder).append(") by RLS, iterated |\n")
                .append("|---:|---:|---:|---:|\n");
        for (int h : shownHorizons(r.horizon())) {
            b.append("| ").append(h).append(" | ").append(f3(r.application().get(h - 1).mase())).append(" | ")
                    .append(f3(r.persistence().get(h - 1).mase())).append(" | ")
                    .append(f3(r.ar().get(h - 1).mase())).append(" |\n");
        }
        return b.toString();
    }

    /** The horizons shown: 1, 2, 3, 6, 12, then every 12th, and {@code n}. */
    public static List<Integer> shownHorizons(int n) {
        List<Integer> hs = new ArrayList<>();
        for (int h : new int[] {1, 2, 3, 6, 12}) {
            if (h <= n) {
                hs.add(h);
            }
        }
        for (int h = 24; h <= n; h += 12) {
            hs.add(h);
        }
        if (!hs.contains(n)) {
            hs.add(n);
        }
        return hs;
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }
}
