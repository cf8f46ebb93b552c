package io.rnnstreams.bench;

import io.rnnstreams.config.AppConfig;
import io.rnnstreams.model.CompactState;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.SequenceSnapshot;
import io.rnnstreams.model.SequenceState;
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
 * The hybrid learner's per-reading rounding of its recurrent part to the stored form, in the default's shape (its
 * corrector's configuration with {@code rnn.model.hidden} = {@code hidden}: LSTM, 6 inputs, 1 output, k1 = k2 = 16,
 * with the anchor; {@code 4 hidden + 118} halves and 12 floats): {@code roundTrip}, {@link SequenceState#writeState} into a reused writer and
 * {@link SequenceState#readState} back from it in place (what {@code HybridForecaster.observe} did per reading
 * before branch {@code tput18j}); {@code inPlace}, {@link SequenceState#roundToStored} (the same numbers, bit for
 * bit: {@code SequenceStateTest}; what it does since); {@code keys} states in turn. Both leave the state a fixed point of the rounding, as a key's
 * state is between readings but for the few numbers one reading changes; the rounding costs the same either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateRoundingBenchmark {
    @Param({"16", "32"})
    public int hidden;

    /** Key states rounded in turn (100: the broker bench's keys, so each is as cold in the caches as there). */
    @Param({"100"})
    public int keys;

    private SequenceState[] states;
    private int next;
    private final CompactState.Writer writer = new CompactState.Writer();

    @Setup
    public void setup() {
        LearnerConfig config = AppConfig.of(Map.of("rnn.learner", "hybrid", "rnn.model.scope", "shared",
                "rnn.model.hidden", Integer.toString(hidden))).streamSettings().modelConfig();
        states = new SequenceState[keys];
        Random random = new Random(18);
        for (int k = 0; k < keys; k++) {
            states[k] = state(config, random);
        }
    }

    private static SequenceState state(LearnerConfig config, Random random) {
        SequenceState state = new SequenceState(config);
        SequenceSnapshot fresh = state.exportState();
        state.importState(new SequenceSnapshot(fresh.version(), tanh(random, fresh.hiddenState().length),
                tanh(random, fresh.anchor().length), gaussian(random, fresh.windowInputs().length),
                gaussian(random, fresh.windowTargets().length), 16, 3, 5, 1000,
                gaussian(random, fresh.normaliserMean().length), gaussian(random, fresh.normaliserM2().length),
                gaussian(random, fresh.lastInput().length), true, gaussian(random, fresh.lastForecast().length),
                1000));
        return state;
    }

    private SequenceState nextState() {
        SequenceState state = states[next];
        next = next + 1 == keys ? 0 : next + 1;
        return state;
    }

    private static double[] tanh(Random random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Math.tanh(random.nextGaussian());
        }
        return a;
    }

    private static double[] gaussian(Random random, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 2.0 * random.nextGaussian();
        }
        return a;
    }

    @Benchmark
    public SequenceState roundTrip() {
        SequenceState state = nextState();
        state.writeState(writer.reset(), true);
        CompactState.Reader in = new CompactState.Reader(writer);
        state.readState(in, true);
        return state;
    }

    @Benchmark
    public SequenceState inPlace() {
        SequenceState state = nextState();
        state.roundToStored(true);
        return state;
    }
}
