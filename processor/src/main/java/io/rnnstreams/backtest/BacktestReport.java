package io.rnnstreams.backtest;

import io.rnnstreams.eval.ErrorSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a backtest.
 *
 * @param inputTopic            the topic replayed
 * @param outputTopic           where the backtest's predictions went
 * @param arOrder               order {@code p} of the AR baseline
 * @param anomalyThreshold      the threshold of {@link #anomalies}
 * @param sensors               per sensor, in sensor-name order
 * @param rnnOverall            the RNN's figures over all sensors (see {@link ErrorSummary#overall})
 * @param arOverall             the AR baseline's
 * @param anomalies             every reading whose anomaly score reached the threshold, by sensor then time
 * @param plots                 the PNG files written
 * @param inputRecords          records of the input topic in the snapshot
 * @param skippedRecords        of those, records that got no prediction (dead letters, undecodable, no key)
 * @param unmatchedPredictions  predictions paired with no record (after the snapshot, or duplicates)
 * @param maxPairingDiscrepancy largest {@code |previousError - (actual - previous forecast)|}; 0 when the
 *                              two ways of computing the RNN's error agree exactly
 * @param table                 the printable table ({@link ReportTable})
 */
public record BacktestReport(String inputTopic, String outputTopic, int arOrder, double anomalyThreshold,
                             List<SensorResult> sensors, ErrorSummary rnnOverall, ErrorSummary arOverall,
                             List<Anomaly> anomalies, List<Path> plots, long inputRecords, long skippedRecords,
                             long unmatchedPredictions, double maxPairingDiscrepancy, String table) {

    /** The result of one sensor, if it had any accepted reading. */
    public java.util.Optional<SensorResult> sensor(String name) {
        return sensors.stream().filter(s -> s.sensor().equals(name)).findFirst();
    }

    /** A copy with {@code text} as the table. */
    BacktestReport withTable(String text) {
        return new BacktestReport(inputTopic, outputTopic, arOrder, anomalyThreshold, sensors, rnnOverall, arOverall,
                anomalies, plots, inputRecords, skippedRecords, unmatchedPredictions, maxPairingDiscrepancy, text);
    }

    /** The overall winner, by {@link SensorResult#winner(ErrorSummary, ErrorSummary)}. */
    public String winner() {
        return SensorResult.winner(rnnOverall, arOverall);
    }
}
