/**
 * The end-to-end benchmark harness ({@code -Pbench}, {@code deploy/local/bench.sh}): the grid of cells
 * ({@link io.rnnstreams.it.bench.BenchConfig}, {@link io.rnnstreams.it.bench.BenchCell}), the load generator, the
 * prediction collector, the plain-Kafka baseline app, the cell runner and the report; with the tests of its pieces.
 *
 * <p>May import {@code io.rnnstreams.it.broker} and the processor; never {@code io.rnnstreams.it}.
 */
package io.rnnstreams.it.bench;
