/**
 * Kafka-free evaluation and classical online forecasters: prequential (test-then-train) runs over keyed
 * series ({@link io.rnnstreams.eval.Prequential}, {@link io.rnnstreams.eval.Dataset}), the error sums and
 * figures (MAE, RMSE, MASE against persistence: {@link io.rnnstreams.eval.ErrorAccumulator},
 * {@link io.rnnstreams.eval.ErrorSummary}), the baselines (persistence, seasonal persistence, AR(p) by recursive
 * least squares: {@link io.rnnstreams.eval.Baselines}, {@link io.rnnstreams.eval.OnlineAr},
 * {@link io.rnnstreams.eval.RecursiveLeastSquares}), the per-sensor classical online forecasters the learner is
 * judged against and built on ({@link io.rnnstreams.eval.SensorForecaster}: persistence, seasonal persistence,
 * AR, Holt-Winters with online parameter choice, {@link io.rnnstreams.eval.ErrorWeightedCombination}, assembled by
 * {@link io.rnnstreams.eval.ClassicalForecasters}) and the anomaly score of forecast errors
 * ({@link io.rnnstreams.eval.AnomalyScore}).
 *
 * <p>May import: the JDK and {@code io.rnnstreams.model}. No Kafka, no Avro (module {@code engine}).
 */
package io.rnnstreams.eval;
