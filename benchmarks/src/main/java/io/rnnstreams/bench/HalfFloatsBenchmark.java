package io.rnnstreams.bench;

import io.rnnstreams.model.BenchmarkKernels;
import io.rnnstreams.model.HalfFloats;
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
 * Cost per number of rounding a key's recurrent state to half ({@link HalfFloats}), over 512 values shaped like it
 * (standardised inputs and targets, a recurrent state in (-1, 1): normal halves, a few near zero): {@code toHalf}, the
 * engine's (branch-free on the bits in the normal range, branch {@code tput18d}); {@code toHalfBefore}, the one it
 * replaced (the engine's test-scope {@code HalfFloatsReference}, kept once for this benchmark and {@code
 * HalfFloatsTest}, reached through {@link BenchmarkKernels} and the engine's test-jar: the normal range's fraction rounded with a compare of the dropped bits, after tests
 * for NaN, infinity, saturation and subnormals); {@code toDouble}, the engine's (the bits moved into a double's places
 * and scaled by 2^1008, branch {@code tput18d}) and {@code toDoubleBefore} (a branch each for subnormals and for
 * infinities and NaNs, the normal exponent rebiased in the bits); {@code roundTrip}, {@code toHalf} then {@code
 * toDouble} (what a key state's export and import per reading do to each number).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HalfFloatsBenchmark {
    static final int N = 512;

    double[] values;
    short[] halves;
    double[] back;

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(18L);
        values = new double[N];
        halves = new short[N];
        back = new double[N];
        for (int i = 0; i < N; i++) {
            values[i] = i % 4 == 0 ? Math.tanh(random.nextGaussian()) : 2.0 * random.nextGaussian();
            halves[i] = HalfFloats.toHalf(values[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public short[] toHalf() {
        for (int i = 0; i < N; i++) {
            halves[i] = HalfFloats.toHalf(values[i]);
        }
        return halves;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public short[] toHalfBefore() {
        for (int i = 0; i < N; i++) {
            halves[i] = BenchmarkKernels.toHalfBefore(values[i]);
        }
        return halves;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] toDouble() {
        for (int i = 0; i < N; i++) {
            back[i] = HalfFloats.toDouble(halves[i]);
        }
        return back;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] toDoubleBefore() {
        for (int i = 0; i < N; i++) {
            back[i] = BenchmarkKernels.toDoubleBefore(halves[i]);
        }
        return back;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] roundTrip() {
        for (int i = 0; i < N; i++) {
            back[i] = HalfFloats.toDouble(HalfFloats.toHalf(values[i]));
        }
        return back;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public double[] round() {
        for (int i = 0; i < N; i++) {
            back[i] = HalfFloats.round(values[i]);
        }
        return back;
    }
}
