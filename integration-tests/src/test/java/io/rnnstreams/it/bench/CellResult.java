package io.rnnstreams.it.bench;

import java.util.List;
import java.util.Map;

/**
 * What one {@link BenchCell} measured. {@code error} is null when every phase completed; a failed cell keeps
 * whatever it measured before failing (NaN or 0 elsewhere).
 *
 * @param warmupReadings       readings of the warm-up (also the rate calibration)
 * @param coldStartSeconds     from launching the JVM (empty state, empty changelogs) to the first prediction
 * @param readings             readings of the max-throughput phase: R per burst times the bursts
 * @param maxRate              the median of {@code burstRates}
 * @param burstRates           each burst's R / (its last committed prediction's receive time - its first reading's
 *                             send time), per second, in order
 * @param loads                the fixed-rate phases
 * @param measuredReadings     readings between the two storage measurements (max phase + load phases)
 * @param logBytes             bytes appended to each topic between the two measurements (changelogs, predictions)
 * @param changelogBytesPerReading  sum over changelogs of appended bytes / measuredReadings
 * @param predictionBytesPerReading appended predictions-topic bytes / measuredReadings
 * @param stateBytes           live (latest per key) key+value bytes per changelog after the run
 * @param stateBytesPerKey     sum of {@code stateBytes} / K
 * @param restoreSeconds       from launching a JVM on an empty state directory over the existing changelogs to
 *                             the committed predictions of one probe reading per partition (NaN if not measured)
 * @param restoredRecords      live records in the changelogs that the restore had to read
 * @param probeReadingsLearned the probe prediction's readingsLearned (rnn only; -1 otherwise)
 * @param probeReadingsSent    readings sent to the probe's key, the probe included
 */
record CellResult(BenchCell cell, String error, int warmupReadings, double coldStartSeconds, long readings,
                  double maxRate, List<Double> burstRates, List<LoadResult> loads, long measuredReadings, Map<String, Long> logBytes,
                  double changelogBytesPerReading, double predictionBytesPerReading, Map<String, Long> stateBytes,
                  double stateBytesPerKey, double restoreSeconds, long restoredRecords, long probeReadingsLearned,
                  long probeReadingsSent, long predictionsExpected, long predictionsReceived) {

    /**
     * One fixed-rate phase: offered rate = fraction x maxRate; latency percentiles in ms of the outputs matched to
     * their readings ({@link SendLedger}), from each reading's due time ({@code latency}) and from its send time
     * ({@code fromSend}).
     */
    record LoadResult(double fraction, double offeredRate, long sent, double achievedRate, Percentiles latency,
                      Percentiles fromSend) {
    }

    boolean ok() {
        return error == null;
    }
}
