/**
 * Kafka-free per-key forecasting: one reading of one key through the model its
 * {@link io.rnnstreams.learner.ModelScope} gives it ({@link io.rnnstreams.learner.KeyedForecaster},
 * {@link io.rnnstreams.learner.Models}); the hybrid learner, a per-key classical linear path plus a recurrent
 * core learning its error ({@link io.rnnstreams.learner.HybridForecaster}); the port to wherever models are kept
 * ({@link io.rnnstreams.learner.ModelRepository}; the stream's store is one adapter, memory another), and the
 * per-key state that is not the network's ({@link io.rnnstreams.learner.SensorState}: event time, model version,
 * anomaly statistics, error sums, old layouts' defaults).
 *
 * <p>May import: the JDK, {@code io.rnnstreams.model} and {@code io.rnnstreams.eval}. No Kafka, no Avro (module
 * {@code engine}).
 */
package io.rnnstreams.learner;
