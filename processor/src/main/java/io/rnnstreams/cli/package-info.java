/**
 * The command line on top of everything: picocli's {@link io.rnnstreams.cli.Main} and every command
 * ({@code run}, {@code settings}, {@code export-model}, {@code demo}, {@code replay}, {@code backtest},
 * {@code accuracy}), the shared configuration options ({@link io.rnnstreams.cli.ConfigOptions}), and the
 * application's bootstrap ({@link io.rnnstreams.cli.StreamsApp}: Kafka Streams, the HTTP API and
 * {@link io.rnnstreams.cli.PrometheusMetrics}).
 *
 * <p>May import: any package of the project. Nothing imports it.
 */
package io.rnnstreams.cli;
