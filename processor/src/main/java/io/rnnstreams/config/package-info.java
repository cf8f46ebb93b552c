/**
 * The application's settings: every {@code rnn.*} setting with its default, allowed values and
 * documentation ({@link io.rnnstreams.config.Settings}), the Kafka settings passed through
 * ({@link io.rnnstreams.config.KafkaSettings}), their sources (file, environment, command line) resolved and
 * validated once at start-up into the immutable {@link io.rnnstreams.config.AppConfig}, and the topology's part
 * of it ({@link io.rnnstreams.config.StreamSettings}).
 *
 * <p>May import: {@code model}, {@code eval}, {@code learner}, Kafka's configuration constants. Not
 * {@code stream} or anything above it.
 */
package io.rnnstreams.config;
