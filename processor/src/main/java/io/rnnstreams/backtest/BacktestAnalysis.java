package io.rnnstreams.backtest;

import io.rnnstreams.eval.ErrorSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka-free half of a backtest: from the input records and the predictions, per sensor, to the
 * {@link BacktestReport}: pairing ({@link Pairing}), scoring ({@link SensorScorer}), anomalies, charts
 * ({@link BacktestPlots}) and the table ({@link ReportTable}).
 */
public final class BacktestAnalysis {
    private static final Logger LOG = LoggerFactory.getLogger(BacktestAnalysis.class);

    private final int channels;
    private final double maxAbsValue;
    private final BacktestOptions options;
    private final LabelWindows labels;

    /**
     * @param channels    {@code rnn.model.channels} of the run
     * @param maxAbsValue {@code rnn.input.max-abs-value} of the run
     * @param options     the AR order, anomaly threshold, charts, labels
     */
    public BacktestAnalysis(int channels, double maxAbsValue, BacktestOptions options) {
        this(channels, maxAbsValue, options, options.labels());
    }

    /**
     * @param labels labelled anomaly windows ({@code --labels}): the report then ends with the detection
     *               table ({@link BacktestDetection}) and the charts mark the labelled readings; null for none
     */
    public BacktestAnalysis(int channels, double maxAbsValue, BacktestOptions options, LabelWindows labels) {
        this.channels = channels;
        this.maxAbsValue = maxAbsValue;
        this.options = options;
        this.labels = labels;
    }

    /**
     * @param records       per sensor, its decodable input records in partition order
     * @param predictions   per sensor, its predictions in the order written
     * @param inputRecords  records in the input snapshot, undecodable ones and those without a key included
     * @param unusable      of those, records not in {@code records} (undecodable value, null or non-UTF-8 key)
     * @throws IOException if a chart cannot be written
     */
    public BacktestReport analyse(Map<String, List<Reading>> records, Map<String, List<PredictionPoint>> predictions,
                                  long inputRecords, long unusable) throws IOException {
        return analyse(records, predictions, null, inputRecords, unusable);
    }

    /**
     * {@link #analyse(Map, Map, long, long)} with the lagged outputs of {@code rnn.smoothing.lag}: with labels, the
     * lagged score is scored beside the online one (at the reading that completed it, and in hindsight at the
     * judged reading); and a count of the readings judged.
     *
     * @param lagged per sensor, its lagged outputs in the order written; null when smoothing was off
     */
    BacktestReport analyse(Map<String, List<Reading>> records, Map<String, List<PredictionPoint>> predictions,
                           Map<String, List<LaggedRecords.Point>> lagged, long inputRecords, long unusable)
            throws IOException {
        Pairing pairing = new Pairing(channels, maxAbsValue);
        SensorScorer scorer = new SensorScorer(options.arOrder(), options.arLambda(), options.arDelta());
        List<SensorResult> results = new ArrayList<>();
        List<Anomaly> anomalies = new ArrayList<>();
        long skipped = unusable;
        long unmatched = 0;
        double discrepancy = 0.0;
        TreeSet<String> sensors = new TreeSet<>(records.keySet());
        for (String sensor : predictions.keySet()) {
            if (!sensors.contains(sensor)) {
                unmatched += predictions.get(sensor).size();
            }
        }
        for (String sensor : sensors) {
            Pairing.Result paired = pairing.pair(sensor, records.get(sensor),
                    predictions.getOrDefault(sensor, List.of()));
            SensorSeries series = paired.series();
            skipped += series.skipped();
            unmatched += paired.unmatchedPredictions();
            SensorResult result = scorer.score(series);
            discrepancy = Double.isNaN(result.maxPairingDiscrepancy()) ? Double.NaN
                    : Math.max(discrepancy, result.maxPairingDiscrepancy());
            results.add(result);
            for (int t = 0; t < series.size(); t++) {
                if (series.anomalyScores()[t] >= options.anomalyThreshold()) {
                    anomalies.add(new Anomaly(sensor, series.eventTimes()[t], series.anomalyScores()[t]));
                }
            }
        }
        List<Path> plots = options.plotDir() == null ? List.of() : plot(results);
        List<ErrorSummary> rnn = results.stream().map(SensorResult::rnn).toList();
        List<ErrorSummary> ar = results.stream().map(SensorResult::ar).toList();
        BacktestReport report = new BacktestReport(options.inputTopic(), options.outputTopic(), options.arOrder(),
                options.anomalyThreshold(), List.copyOf(results), ErrorSummary.overall(rnn), ErrorSummary.overall(ar),
                List.copyOf(anomalies), plots, inputRecords, skipped, unmatched, discrepancy, "");
        String table = ReportTable.format(report, options.anomalyListLimit());
        List<SensorSeries> allSeries = results.stream().map(SensorResult::series).toList();
        HorizonScores.Result horizons = HorizonScores.score(allSeries, options.arOrder(), options.arLambda(),
                options.arDelta());
        if (horizons != null) {
            table += "\nMASE by horizon of the predictions' " + horizons.horizon() + "-step forecasts (reading t "
                    + "scored at horizon h against prediction t-h's; every horizon on the same readings, t >= "
                    + horizons.horizon() + " of each sensor; one-step naive scale, so persistence's h-step MASE "
                    + "exceeds 1 beyond h = 1):\n\n" + HorizonScores.table(horizons, options.arOrder());
        }
        List<BacktestDetection.ScoreRow> laggedRows = new ArrayList<>();
        List<BacktestDetection.AlarmRow> laggedAlarms = new ArrayList<>();
        if (lagged != null) {
            long judged = lagged.values().stream().mapToLong(List::size).sum();
            int lag = lagged.values().stream().flatMap(List::stream).mapToInt(LaggedRecords.Point::lag).max().orElse(0);
            table += "\nLagged outputs (rnn.smoothing.lag = " + lag + "): " + judged + " readings judged, each " + lag
                    + " readings after it arrived (a sensor's last " + lag + " are not).\n";
            laggedRows.add(new BacktestDetection.ScoreRow("the lagged score, at the reading that completed it ("
                    + lag + " late)", s -> LaggedRecords.scores(s, lagged.getOrDefault(s.sensor(), List.of()), true)));
            laggedRows.add(new BacktestDetection.ScoreRow("the lagged score in hindsight (at the judged reading)",
                    s -> LaggedRecords.scores(s, lagged.getOrDefault(s.sensor(), List.of()), false)));
            laggedAlarms.add(new BacktestDetection.AlarmRow("the lagged alarms (LaggedOutput.anomaly), at the reading "
                    + "that completed it", s -> LaggedRecords.alarms(s, lagged.getOrDefault(s.sensor(), List.of()),
                    true)));
            laggedAlarms.add(new BacktestDetection.AlarmRow("the lagged alarms in hindsight (at the judged reading)",
                    s -> LaggedRecords.alarms(s, lagged.getOrDefault(s.sensor(), List.of()), false)));
        }
        if (labels != null) {
            table += "\nDetection against the labelled windows (--labels; NAB-style profiles, AUCs, F1/FAR/MAR and "
                    + "events within " + BacktestDetection.HORIZON + " readings, alarms re-armed after "
                    + BacktestDetection.QUIET + " quiet readings):\n\n"
                    + BacktestDetection.table(allSeries, labels, options.anomalyThreshold(), 1, laggedRows,
                            laggedAlarms);
        }
        return report.withTable(table);
    }

    private List<Path> plot(List<SensorResult> results) throws IOException {
        List<SensorResult> chosen = new ArrayList<>();
        if (options.plotSensors().isEmpty()) {
            chosen.addAll(results.subList(0, Math.min(BacktestOptions.DEFAULT_PLOT_SENSORS, results.size())));
        } else {
            for (String name : options.plotSensors()) {
                results.stream().filter(r -> r.sensor().equals(name)).findFirst().ifPresentOrElse(chosen::add,
                        () -> LOG.warn("no readings of sensor '{}' in {}: not charted", name, options.inputTopic()));
            }
        }
        List<Path> files = new ArrayList<>();
        for (SensorResult r : chosen) {
            files.addAll(BacktestPlots.write(options.plotDir(), r, options.anomalyThreshold(), options.arOrder(),
                    labels, options.plots()));
        }
        return List.copyOf(files);
    }
}
