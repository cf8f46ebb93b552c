package io.rnnstreams.bench;

import io.rnnstreams.model.WindowGradients;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The weight gradient of a whole window, {@code grad += G X^T}, the one matrix-matrix product of
 * truncated BPTT: {@link WindowGradients#JAVA} (plain loops over one array per column) against
 * {@link WindowGradients#JBLAS} (copy into {@code DoubleMatrix}, native {@code dgemm}, add back).
 * Rows {@code G*H} with {@code G = 4} (LSTM), columns {@code H + 8} (Wh and an 8-input Wx side by
 * side), {@code steps} = window length k2. FLOPs: {@code 2 * rows * cols * steps}.
 *
 * <p>This is the evidence for {@link WindowGradients#forShape}. {@code cols} defaults to
 * {@code H+8}; {@code -p cols=1} (or any number) measures a narrow {@code Wx} (D inputs) instead,
 * which the engine also routes by rows alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WindowGradientBenchmark {
    static final int GATES = 4;

    @Param({"8", "32", "64", "128", "256"})
    public int hidden;
    @Param({"16", "64"})
    public int steps;
    /** {@code H+8}, or a fixed column count. */
    @Param({"H+8"})
    public String cols;

    double[][] grad;
    double[][] g;
    double[][] x;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = GATES * hidden;
        int c = "H+8".equals(cols) ? hidden + 8 : Integer.parseInt(cols);
        Random random = new Random(9L);
        grad = new double[c][rows];
        g = new double[steps][rows];
        x = new double[steps][c];
        for (double[] gt : g) {
            for (int i = 0; i < rows; i++) {
                gt[i] = random.nextDouble() - 0.5;
            }
        }
        for (double[] xt : x) {
            for (int j = 0; j < c; j++) {
                xt[j] = random.nextDouble() - 0.5;
            }
        }
    }

    @Benchmark
    public double[][] java() {
        WindowGradients.JAVA.accumulate(grad, g, x, steps);
        return grad;
    }

    @Benchmark
    public double[][] jblas() {
        WindowGradients.JBLAS.accumulate(grad, g, x, steps);
        return grad;
    }
}
