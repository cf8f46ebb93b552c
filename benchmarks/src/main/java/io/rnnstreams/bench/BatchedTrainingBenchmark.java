package io.rnnstreams.bench;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.model.BatchedBptt;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.TbpttWindow;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 18's question for branch {@code batch18}: what would a training step batched over the keys of a task save?
 * The hybrid learner's corrector as the default configures it ({@code rnn.learner=hybrid}, scope shared, D = 1, LSTM
 * {@code hidden} units, k1 = k2 = 16, its auxiliary inputs, Adam, clipping), {@code batch} keys' windows, each
 * given k1 = 16 new pairs per invocation (as between two trainings of a key); then
 * <ul>
 *   <li>{@code perKey}: today, {@link Model#train} on each window (B BPTT passes, B guarded Adam steps);</li>
 *   <li>{@code batched}: {@link BatchedBptt#train}, one BPTT pass over the B windows and one guarded Adam step;</li>
 *   <li>{@code perKeyBptt} and {@code batchedBptt}: the gradient passes alone (no zeroing, no optimizer), so that
 *       the optimizer's share is the difference.</li>
 * </ul>
 * Times are per invocation, i.e. per B windows: divide by {@code batch} for the time per window.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchedTrainingBenchmark {
    private static final int PAIRS = 64;

    @Param({"16", "32"})
    public int hidden;

    @Param({"1", "4", "16"})
    public int batch;

    private Model model;
    private BatchedBptt batched;
    private TbpttWindow[] windows;
    private double[][][] inputs;
    private double[][][] targets;
    private int k1;
    private int next;

    @Setup
    public void setup() {
        LearnerConfig config = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared",
                "rnn.model.hidden", Integer.toString(hidden))).streamSettings().modelConfig();
        model = new Model(config);
        batched = new BatchedBptt(model, batch);
        k1 = config.k1();
        int inputSize = config.network().inputSize();
        windows = new TbpttWindow[batch];
        inputs = new double[batch][PAIRS][inputSize];
        targets = new double[batch][PAIRS][config.targetSize()];
        Random random = new Random(18L);
        for (int b = 0; b < batch; b++) {
            windows[b] = new TbpttWindow(k1, config.k2(), inputSize, config.targetSize(),
                    model.network().stateSize());
            for (int p = 0; p < PAIRS; p++) {
                for (int i = 0; i < inputSize; i++) {
                    inputs[b][p][i] = random.nextGaussian();
                }
                for (int i = 0; i < targets[b][p].length; i++) {
                    targets[b][p][i] = random.nextGaussian();
                }
            }
            for (int p = 0; p < config.k2(); p++) {
                windows[b].push(inputs[b][p], targets[b][p]);
            }
        }
    }

    /** k1 new pairs in every window, as between two trainings of a key. */
    private void push() {
        for (int j = 0; j < k1; j++) {
            int p = next;
            next = (next + 1) % PAIRS;
            for (int b = 0; b < batch; b++) {
                windows[b].push(inputs[b][p], targets[b][p]);
            }
        }
    }

    @Benchmark
    public long perKey() {
        push();
        for (TbpttWindow w : windows) {
            model.train(w);
        }
        return model.updates();
    }

    @Benchmark
    public boolean batched() {
        push();
        return batched.train(windows);
    }

    @Benchmark
    public double perKeyBptt() {
        push();
        return batched.sumOfSingleWindowGradients(windows, k1);
    }

    @Benchmark
    public double batchedBptt() {
        push();
        return batched.lossAndGradient(windows, k1);
    }
}
