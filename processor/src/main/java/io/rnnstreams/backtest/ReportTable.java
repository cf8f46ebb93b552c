package io.rnnstreams.backtest;

import io.rnnstreams.eval.ErrorSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The printable form of a {@link BacktestReport}: a header, one row per sensor and an overall row (readings
 * scored, MAE, RMSE and MASE of the stream's learner and of the AR baseline, and the winner), the pairing check, and the
 * anomalies per sensor: their count and, when there are more than the limit, the {@code limit} highest
 * scores, listed in time order.
 */
public final class ReportTable {
    private static final String ROW = "%-20s %9s  %10s %10s %10s  %10s %10s %10s  %-6s%n";

    private ReportTable() {
    }

    /** The table of {@code r} (its own {@code table} field is ignored). */
    public static String format(BacktestReport r, int anomalyListLimit) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Backtest of %s -> %s: %d input records, %d without a prediction "
                + "(dead letters) skipped, %d predictions unmatched%n", r.inputTopic(), r.outputTopic(),
                r.inputRecords(), r.skippedRecords(), r.unmatchedPredictions()));
        sb.append(String.format(Locale.ROOT, "One-step forecast errors in the readings' units; MASE = MAE / MAE "
                + "of persistence on the same readings (< 1 beats persistence); AR = AR(%d) by recursive least "
                + "squares; model = the stream's learner (rnn.learner); winner = lower MASE%n%n", r.arOrder()));
        String ar = "AR(" + r.arOrder() + ")";
        sb.append(String.format(Locale.ROOT, ROW, "sensor", "readings", "model MAE", "model RMSE", "model MASE",
                ar + " MAE", ar + " RMSE", ar + " MASE", "winner"));
        for (SensorResult s : r.sensors()) {
            row(sb, s.sensor(), s.rnn(), s.ar(), s.winner());
        }
        sb.append("-".repeat(114)).append('\n');
        row(sb, "overall", r.rnnOverall(), r.arOverall(), r.winner());
        sb.append(String.format(Locale.ROOT, "%nCheck: Prediction.previousError = actual - forecast made at the "
                + "previous reading on all %d scored readings: max |difference| %s%n", r.rnnOverall().readings(),
                r.maxPairingDiscrepancy() == 0 ? "0" : String.format(Locale.ROOT, "%.3g",
                        r.maxPairingDiscrepancy())));
        anomalies(sb, r, anomalyListLimit);
        if (!r.plots().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nCharts (%d):%n", r.plots().size()));
            r.plots().forEach(p -> sb.append("  ").append(p).append('\n'));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, ErrorSummary rnn, ErrorSummary ar, String winner) {
        sb.append(String.format(Locale.ROOT, ROW, name, Long.toString(rnn.readings()), num(rnn.mae()),
                num(rnn.rmse()), num(rnn.mase()), num(ar.mae()), num(ar.rmse()), num(ar.mase()), winner));
    }

    private static void anomalies(StringBuilder sb, BacktestReport r, int limit) {
        Map<String, List<Anomaly>> bySensor = new LinkedHashMap<>();
        for (Anomaly a : r.anomalies()) {
            bySensor.computeIfAbsent(a.sensor(), k -> new ArrayList<>()).add(a);
        }
        sb.append(String.format(Locale.ROOT, "%nAnomalies (anomalyScore >= %s): %d readings in %d sensors%n",
                num(r.anomalyThreshold()), r.anomalies().size(), bySensor.size()));
        for (Map.Entry<String, List<Anomaly>> e : bySensor.entrySet()) {
            List<Anomaly> all = e.getValue();
            List<Anomaly> shown = new ArrayList<>(all);
            if (shown.size() > limit) {
                shown.sort(Comparator.comparingDouble(Anomaly::score).reversed()
                        .thenComparingLong(Anomaly::eventTime));
                shown = new ArrayList<>(shown.subList(0, limit));
                shown.sort(Comparator.comparingLong(Anomaly::eventTime));
            }
            sb.append(String.format(Locale.ROOT, "  %s: %d%s%n", e.getKey(), all.size(),
                    shown.size() < all.size() ? " (the " + shown.size() + " highest shown)" : ""));
            for (Anomaly a : shown) {
                sb.append(String.format(Locale.ROOT, "    %-26s %.6f%n", Instant.ofEpochMilli(a.eventTime()),
                        a.score()));
            }
        }
    }

    /** Four significant digits; "n/a" for a non-number. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
    }
}
