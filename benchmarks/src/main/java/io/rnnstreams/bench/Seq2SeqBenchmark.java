package io.rnnstreams.bench;

import io.rnnstreams.model.CellType;
import io.rnnstreams.model.EncoderDecoder;
import io.rnnstreams.model.EncoderDecoderModel;
import io.rnnstreams.model.FixedLagSmoother;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.Seq2SeqForecaster;
import io.rnnstreams.model.Seq2SeqState;
import io.rnnstreams.model.SmootherConfig;
import io.rnnstreams.model.SmootherModel;
import io.rnnstreams.model.SmootherState;
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

/**
 * The issue-14 models' hot operations beside {@link EngineBenchmark}'s forward step and update (LSTM, H = 32,
 * D = 8, k1 = k2 = 16, Adam, one thread):
 *
 * <ul>
 *   <li>{@link #decode}: {@link EncoderDecoder#decode} of {@code N} steps from an encoder state: what the
 *       encoder-decoder adds to every reading to forecast {@code N} ahead (about {@code N} forward steps);</li>
 *   <li>{@link #seq2seqUpdate}: one {@link EncoderDecoderModel#train} on a full window ({@code k2 + N} readings,
 *       16 decoder chains of {@code N} steps): every {@code k1} readings;</li>
 *   <li>{@link #seq2seqReading}: one reading of the stream's per-key path, {@link Seq2SeqForecaster#observe}
 *       (encode, the {@code N} forecasts, a training every {@code k1} readings, amortised) and
 *       {@link Seq2SeqForecaster#forecast}: the plain encoder-decoder against the corrected one that
 *       {@code rnn.forecast.mode=seq2seq} serves (persistence and a smoothed level in the base; the base recomputed for every decoder target in training, the members scored at every horizon);</li>
 *   <li>{@link #reconstruct}: {@link FixedLagSmoother#reconstruct}, the backward pass over {@code L} successors and
 *       the head: what the smoother adds to every reading;</li>
 *   <li>{@link #smootherUpdate}: one {@link SmootherModel#train} on a full window ({@code k2 + L} readings, 16
 *       backward chains of {@code L} steps).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
public class Seq2SeqBenchmark {
    private static final int D = 8;
    private static final int H = 32;
    private static final int K = 16;

    static LearnerConfig learner() {
        return LearnerConfig.builder().network(EngineBenchmark.network(CellType.LSTM, H, D)).k1(K).k2(K)
                .optimizer(OptimizerConfig.adam(1e-3)).build();
    }

    static double[] gaussian(Random random) {
        double[] x = new double[D];
        for (int i = 0; i < D; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    @State(Scope.Thread)
    public static class Seq2Seq {
        @Param({"24", "60"})
        public int horizon;

        EncoderDecoderModel model;
        TbpttWindow window;
        double[] state;
        double[] scratch;
        double[] x;
        double[][] out;

        @Setup(Level.Trial)
        public void setUp() {
            Seq2SeqConfig config = new Seq2SeqConfig(learner(), horizon);
            model = new EncoderDecoderModel(config);
            window = new Seq2SeqState(config).window();
            Random random = new Random(13L);
            for (int t = 0; t < config.windowCapacity(); t++) {
                window.push(gaussian(random), new double[0]);
            }
            state = new double[model.network().stateSize()];
            for (int t = 0; t < 50; t++) {
                model.network().encode(state, gaussian(random));
            }
            scratch = new double[state.length];
            x = gaussian(random);
            out = new double[horizon][D];
        }
    }

    @State(Scope.Thread)
    public static class Reading {
        @Param({"24", "60"})
        public int horizon;
        /** {@code plain}: {@code new Seq2SeqConfig(learner, N)}; {@code corrected}: the stream's configuration. */
        @Param({"plain", "corrected"})
        public String kind;

        Seq2SeqForecaster forecaster;
        EncoderDecoderModel model;
        Seq2SeqState sequence;
        double[][] readings;
        int t;

        @Setup(Level.Trial)
        public void setUp() {
            Seq2SeqConfig plain = new Seq2SeqConfig(learner(), horizon);
            Seq2SeqConfig config = kind.equals("plain") ? plain
                    : Seq2SeqConfig.corrected(learner(), horizon, false, 0).withLevel(Seq2SeqConfig.Level.BOTH)
                            .withCombination(Seq2SeqConfig.Combination.MIN_VARIANCE)
                            .withGainRule(Seq2SeqConfig.GainRule.CHOSEN);
            forecaster = new Seq2SeqForecaster(config);
            model = new EncoderDecoderModel(config);
            sequence = new Seq2SeqState(config);
            Random random = new Random(19L);
            readings = new double[1024][];
            for (int i = 0; i < readings.length; i++) {
                readings[i] = gaussian(random);
            }
            for (int i = 0; i < 2 * config.windowCapacity(); i++) {
                forecaster.observe(model, sequence, readings[i % readings.length]);
            }
        }
    }

    @State(Scope.Thread)
    public static class Smoother {
        @Param({"3", "10"})
        public int lag;

        SmootherModel model;
        TbpttWindow window;
        double[] state;
        double[][] successors;
        double[] out;

        @Setup(Level.Trial)
        public void setUp() {
            SmootherConfig config = new SmootherConfig(learner(), lag);
            model = new SmootherModel(config);
            window = new SmootherState(config).window();
            Random random = new Random(17L);
            for (int t = 0; t < config.windowCapacity(); t++) {
                window.push(gaussian(random), new double[0]);
            }
            state = new double[model.network().stateSize()];
            for (int t = 0; t < 50; t++) {
                model.network().advance(state, gaussian(random));
            }
            successors = new double[lag][];
            for (int j = 0; j < lag; j++) {
                successors[j] = gaussian(random);
            }
            out = new double[D];
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double decode(Seq2Seq s) {
        s.model.network().decode(s.state, s.x, null, s.scratch, s.out);
        return s.out[s.out.length - 1][0];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean seq2seqUpdate(Seq2Seq s) {
        return s.model.train(s.window);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double seq2seqReading(Reading s) {
        s.forecaster.observe(s.model, s.sequence, s.readings[s.t++ & (s.readings.length - 1)]);
        return s.forecaster.forecast(s.sequence, s.horizon)[s.horizon - 1][0];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double reconstruct(Smoother s) {
        s.model.network().reconstruct(s.state, s.successors, s.out);
        return s.out[0];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean smootherUpdate(Smoother s) {
        return s.model.train(s.window);
    }
}
