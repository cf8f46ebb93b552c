/**
 * The JMH benchmarks of the project (run by {@code deploy/local/jmh.sh}, never by {@code mvn verify}): the engine's
 * forward step and window gradient, matrix-vector kernels, nonlinearities, state encoding, peak throughput, and the
 * {@link io.rnnstreams.bench.CpuTimeProfiler} that reports CPU time next to wall time. {@code PeerBenchmark}
 * (src/peers/java, profile {@code peers}) compares the engine with Deeplearning4j; the PyTorch peer and the
 * tables are the Python scripts in src/main/python.
 *
 * <p>May import the engine ({@code io.rnnstreams.model}), the processor and the schemas; nothing imports this package.
 */
package io.rnnstreams.bench;
