package io.rnnstreams.bench;

import io.rnnstreams.model.BenchmarkKernels;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.Network;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jblas.DoubleMatrix;
import org.jblas.NativeBlas;
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
 * The per-step matrix-vector product of an LSTM layer, {@code y = W x} with {@code W} of shape
 * {@code 4H x (8 + H)} (input D = 8 plus the recurrent H), three ways:
 *
 * <ul>
 *   <li>{@link #javaColumns}: the engine's kernel ({@code Kernels.multiplyAdd}, package-private, called through
 *       {@link BenchmarkKernels}): one {@code double[]} per column, {@code y += x[j] * column_j}, four columns per
 *       pass over {@code y};</li>
 *   <li>{@link #jblasMmuli}: {@code DoubleMatrix.mmuli} with a column vector (jblas 1.2.5 routes this
 *       to {@code SimpleBlas.gemv}, a Java loop over its column-major array, not native code);</li>
 *   <li>{@link #nativeDgemv}: {@code NativeBlas.dgemv}, the JNI call into OpenBLAS.</li>
 * </ul>
 *
 * plus {@link #engineLstmStep}, the real engine path: one {@link Network#step} of a one-layer LSTM with
 * D = 8, H (two products {@code Wx x}, {@code Wh h} over the same 4H x (8+H) weights, the bias copies,
 * the gate non-linearities and the 8 x H head), i.e. the matrix-vector work and everything around it.
 * FLOPs of the product: {@code 2 * 4H * (8 + H)}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MatVecBenchmark {
    static final int D = 8;

    @Param({"8", "32", "128"})
    public int hidden;

    int rows;
    int cols;
    double[][] columns;
    double[] x;
    double[] y;
    DoubleMatrix wm;
    DoubleMatrix xm;
    DoubleMatrix ym;

    Network network;
    double[] state;
    double[] input;
    double[] out;

    @Setup(Level.Trial)
    public void setUp() {
        rows = 4 * hidden;
        cols = D + hidden;
        Random random = new Random(5L);
        columns = new double[cols][rows];
        wm = new DoubleMatrix(rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                double w = random.nextGaussian() / Math.sqrt(cols);
                columns[j][i] = w;
                wm.data[j * rows + i] = w;
            }
        }
        x = new double[cols];
        for (int j = 0; j < cols; j++) {
            x[j] = random.nextGaussian();
        }
        y = new double[rows];
        xm = new DoubleMatrix(cols, 1, x.clone());
        ym = new DoubleMatrix(rows, 1);

        network = new Network(EngineBenchmark.network(CellType.LSTM, hidden, D));
        state = new double[network.stateSize()];
        input = new double[D];
        for (int i = 0; i < D; i++) {
            input[i] = random.nextGaussian();
        }
        out = new double[D];
    }

    @Benchmark
    public double[] javaColumns() {
        double[] dst = y;
        java.util.Arrays.fill(dst, 0.0);
        BenchmarkKernels.multiplyAdd(columns, x, dst);
        return dst;
    }

    @Benchmark
    public DoubleMatrix jblasMmuli() {
        return wm.mmuli(xm, ym);
    }

    @Benchmark
    public double[] nativeDgemv() {
        NativeBlas.dgemv('N', rows, cols, 1.0, wm.data, 0, rows, x, 0, 1, 0.0, y, 0, 1);
        return y;
    }

    @Benchmark
    public double[] engineLstmStep() {
        network.step(state, input, out);
        return out;
    }
}
