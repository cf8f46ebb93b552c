package io.rnnstreams.bench;

import io.rnnstreams.model.BenchmarkKernels;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost per element of the gate functions the cells call, over 128 pre-activations in [-4, 4]:
 * {@link Math#tanh} (on JDK 17 not a JIT intrinsic: a call into the fdlibm code of {@code StrictMath};
 * the engine used it until it got its own), the engine's tanh built on {@link Math#exp} ({@code Activation.tanh})
 * and its overflow-safe logistic ({@code Activation.sigmoid}), built on {@link Math#exp} (an intrinsic); both
 * package-private, called through {@link BenchmarkKernels}. An LSTM step evaluates 3H logistics and 2H tanh, a GRU
 * step 2H and H, an Elman step H tanh; with H = 32 that is ~100-160 calls, comparable with the
 * matrix-vector work of the step ({@link MatVecBenchmark}). {@link #sigmoidSelect} and {@link #sigmoidMask} are
 * candidates measured and not taken (branch tput18o): the same logistic, bit for bit, with its branch on the sign
 * turned into a select of the numerator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NonlinearityBenchmark {
    static final int N = 128;

    double[] z;
    double[] y;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(17L);
        z = new double[N];
        y = new double[N];
        for (int i = 0; i < N; i++) {
            z[i] = 8.0 * random.nextDouble() - 4.0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] mathTanh() {
        for (int i = 0; i < N; i++) {
            y[i] = Math.tanh(z[i]);
        }
        return y;
    }

    /**
     * The engine's tanh ({@code Activation.tanh}): an odd Taylor polynomial below 2^-6, else {@code (1 - t) / (1 + t)}
     * with {@code t = exp(-2|z|)}.
     */
    @Benchmark
    @OperationsPerInvocation(N)
    public double[] expTanh() {
        for (int i = 0; i < N; i++) {
            y[i] = BenchmarkKernels.tanh(z[i]);
        }
        return y;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] sigmoid() {
        for (int i = 0; i < N; i++) {
            y[i] = BenchmarkKernels.sigmoid(z[i]);
        }
        return y;
    }

    /** Candidate: the same logistic with the branch on the sign as a select of the numerator ({@code exp(-|z|)}). */
    @Benchmark
    @OperationsPerInvocation(N)
    public double[] sigmoidSelect() {
        for (int i = 0; i < N; i++) {
            double v = z[i];
            double e = Math.exp(-Math.abs(v));
            y[i] = (v >= 0 ? 1.0 : e) / (1.0 + e);
        }
        return y;
    }

    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);

    /** Candidate: as {@link #sigmoidSelect}, the select by the sign bit in integer arithmetic (no branch). */
    @Benchmark
    @OperationsPerInvocation(N)
    public double[] sigmoidMask() {
        for (int i = 0; i < N; i++) {
            double v = z[i];
            double e = Math.exp(-Math.abs(v));
            long sign = Double.doubleToRawLongBits(v) >> 63;
            double num = Double.longBitsToDouble((Double.doubleToRawLongBits(e) & sign) | (ONE_BITS & ~sign));
            y[i] = num / (1.0 + e);
        }
        return y;
    }
}
