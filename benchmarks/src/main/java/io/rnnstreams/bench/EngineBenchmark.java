package io.rnnstreams.bench;

import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.Network;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.TbpttWindow;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine's two hot operations, through its public API, one layer, one thread.
 *
 * <ul>
 *   <li>{@link #forwardStep}: {@link Network#step} on one reading (what every event costs for a forecast).
 *       Parameters {@code cell}, {@code hidden} (H), {@code inputs} (D); output size O = D.</li>
 *   <li>{@link #tbpttUpdate}: one {@link Model#train} on a full {@link TbpttWindow} of {@code k2} random
 *       (input, target) pairs with {@code k1 = k2}, Adam, the default clipping (global norm 1): forward over
 *       the window, backward, weight gradients, clipping, the numerical-health backup and the optimizer
 *       step. Repeating it on the same window is fine: {@code train} moves the anchor and restarts the
 *       push count, and the ring stays full.</li>
 * </ul>
 *
 * <p><b>Analytic work</b> (G = gates: Elman 1, GRU 3, LSTM 4; O = D; a multiply-add counts 2 FLOPs;
 * element-wise gate functions not counted):
 * <pre>
 *   forward step   F = 2 G H (D + H) + 2 O H
 *   TBPTT update   ~ 3 F k2 + ~15 P      (backward ~ 2x forward per step; Adam ~12 FLOPs per parameter,
 *                                         clipping norm ~3; plus copies of P for the health backup)
 *   P = G H (D + H) + G H (x2 for GRU: two bias vectors) + O H + O
 * </pre>
 * e.g. LSTM D=8 H=32: F = 2*4*32*40 + 2*8*32 = 10,752 FLOPs; with k2=16 the update is ~0.55 MFLOP.
 * Dividing by the measured time and by {@link PeakBenchmark}'s dgemm peak gives "% of peak".
 */
@BenchmarkMode(Mode.AverageTime)
public class EngineBenchmark {

    /** Random inputs cycled through, so the state does not settle to a fixed point. */
    private static final int INPUT_RING = 256;

    static NetworkConfig network(CellType cell, int hidden, int inputs) {
        return NetworkConfig.builder()
                .cellType(cell)
                .inputSize(inputs)
                .outputSize(inputs)
                .hiddenSizes(hidden)
                .seed(7L)
                .build();
    }

    @State(Scope.Thread)
    public static class ForwardState {
        @Param({"ELMAN", "GRU", "LSTM"})
        public CellType cell;
        @Param({"8", "32", "128"})
        public int hidden;
        @Param({"1", "8"})
        public int inputs;

        Network network;
        double[] state;
        double[] out;
        double[][] xs;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            network = new Network(network(cell, hidden, inputs));
            state = new double[network.stateSize()];
            out = new double[inputs];
            Random random = new Random(11L);
            xs = new double[INPUT_RING][inputs];
            for (double[] x : xs) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextGaussian();
                }
            }
        }
    }

    @State(Scope.Thread)
    public static class TrainState {
        @Param({"ELMAN", "GRU", "LSTM"})
        public CellType cell;
        @Param({"8", "32", "128"})
        public int hidden;
        @Param({"1", "8"})
        public int inputs;
        @Param({"16", "64"})
        public int k2;

        Model model;
        TbpttWindow window;

        @Setup(Level.Trial)
        public void setUp() {
            LearnerConfig config = LearnerConfig.builder()
                    .network(network(cell, hidden, inputs))
                    .k1(k2)
                    .k2(k2)
                    .optimizer(OptimizerConfig.adam(1e-3))
                    .build();
            model = new Model(config);
            window = new TbpttWindow(k2, k2, inputs, inputs, model.network().stateSize());
            Random random = new Random(13L);
            double[] x = new double[inputs];
            double[] y = new double[inputs];
            for (int t = 0; t < k2; t++) {
                for (int i = 0; i < inputs; i++) {
                    x[i] = random.nextGaussian();
                    y[i] = random.nextGaussian();
                }
                window.push(x, y);
            }
        }

        /** A refused or undone update skips the optimizer and would make the timing meaningless. */
        @TearDown(Level.Trial)
        public void check() {
            if (model.restores() != 0) {
                throw new IllegalStateException(model.restores() + " of " + (model.updates() + model.restores())
                        + " updates were refused or undone by the numerical-health guard");
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double forwardStep(ForwardState s) {
        double[] x = s.xs[s.next];
        s.next = (s.next + 1) & (INPUT_RING - 1);
        s.network.step(s.state, x, s.out);
        return s.out[0];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean tbpttUpdate(TrainState s) {
        return s.model.train(s.window);
    }
}
