/**
 * Kafka-free evaluation of anomaly detectors on labelled series ({@link io.rnnstreams.eval.detection.ScoredSeries}):
 * the Numenta Anomaly Benchmark's window scoring with its three profiles and corpus-wide threshold sweep
 * ({@link io.rnnstreams.eval.detection.NabScorer}), per-row counts, F1, false- and missed-alarm rates and the
 * threshold-free ROC and PR AUC ({@link io.rnnstreams.eval.detection.RowMetrics}), event-level detection and
 * delay with false alarms per 1,000 normal readings ({@link io.rnnstreams.eval.detection.EventMetrics}), and the
 * alarm suppression shared with the detector ({@link io.rnnstreams.eval.detection.AlarmGate}).
 *
 * <p>May import the JDK and {@code io.rnnstreams.eval} (the AR baseline of a reference detector, the normal
 * distribution function); it is part of the engine module: no Kafka, no Avro.
 */
package io.rnnstreams.eval.detection;
