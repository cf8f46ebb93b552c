/**
 * The recurrent-network engine: cells (Elman, GRU, LSTM) whose Javadoc carries their equations, the
 * network and its linear head, truncated BPTT over a bounded window ({@link io.rnnstreams.model.TbpttWindow},
 * {@link io.rnnstreams.model.Bptt}), optimizers, the online normaliser, and the test-then-train step of one
 * reading ({@link io.rnnstreams.model.OnlineForecaster}) over a model's weights
 * ({@link io.rnnstreams.model.Model}) and a key's sequence state ({@link io.rnnstreams.model.SequenceState}),
 * both exportable as plain snapshots.
 *
 * <p>May import: the JDK and jblas only. The bottom layer (module {@code engine}): no Kafka, no Avro, no other
 * project package; the compiler and {@code LayeringTest} hold it.
 */
package io.rnnstreams.model;
