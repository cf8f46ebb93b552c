package io.rnnstreams.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jblas.DoubleMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Single-core double-precision peak as this machine's jblas reaches it: {@code C = A B} for square
 * {@code n x n} matrices with {@link DoubleMatrix#mmuli(DoubleMatrix, DoubleMatrix)}, i.e. the
 * OpenBLAS {@code dgemm} bundled in jblas (single-threaded). GFLOP/s = {@code 2 n^3 / time}.
 * Every engine figure is quoted as a percentage of this.
 *
 * <p>The OpenBLAS kernel chosen depends on {@code OPENBLAS_CORETYPE} in the environment of the JVM
 * (deploy/local/jmh.sh sets it; JMH forks inherit the environment).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PeakBenchmark {
    @Param({"512", "1024"})
    public int n;

    DoubleMatrix a;
    DoubleMatrix b;
    DoubleMatrix c;

    @Setup(Level.Trial)
    public void setUp() {
        org.jblas.util.Random.seed(3L);
        Random random = new Random(3L);
        a = new DoubleMatrix(n, n);
        b = new DoubleMatrix(n, n);
        c = new DoubleMatrix(n, n);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = random.nextDouble() - 0.5;
            b.data[i] = random.nextDouble() - 0.5;
        }
    }

    @Benchmark
    public DoubleMatrix dgemm() {
        return a.mmuli(b, c);
    }
}
