/**
 * The Kafka Streams adapter: the topology ({@link io.rnnstreams.stream.ForecastTopology}) and its processor
 * ({@link io.rnnstreams.stream.ForecastProcessor}: validate, load the key's state, learn through the
 * {@code learner}, score, forecast, store, emit), serdes and the dead-letter path, the state stores and their
 * Avro mapping ({@link io.rnnstreams.stream.StateCodec}, {@link io.rnnstreams.stream.StoreModelRepository}),
 * processor metrics, and the interactive-query backend the HTTP API reads
 * ({@link io.rnnstreams.stream.SensorQueries}, {@link io.rnnstreams.stream.SensorViews}); model files and model
 * export from the changelog.
 *
 * <p>May import: {@code model}, {@code eval}, {@code learner}, {@code config}, the Avro classes of
 * {@code io.rnnstreams.avro}, Kafka, Avro. Not {@code http}, the tools or {@code cli}.
 */
package io.rnnstreams.stream;
