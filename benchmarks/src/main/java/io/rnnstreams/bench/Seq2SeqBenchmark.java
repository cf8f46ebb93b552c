package io.rnnstreams.bench;

import io.rnnstreams.model.CellType;
import io.rnnstreams.model.EncoderDecoder;
import io.rnnstreams.model.EncoderDecoderModel;
import io.rnnstreams.model.FixedLagSmoother;
import io.rnnstreams.model.FixedLagSmoothing;
import io.rnnstreams.model.HorizonCorrection;
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
 * The issue-14 models' hot operations beside {@link EngineBenchmark}'s forward step and update, with the settings
 * the stream serves by default (LSTM, H = 32, k1 = k2 = 16, Adam 0.001, clipping at norm 1, normalised residual
 * mode: {@link LearnerConfig}'s defaults, which are {@code rnn.model.*} and {@code rnn.train.*}'s) at D = 8 (SKAB's
 * shape; the stream's default is D = 1), one thread. The encoder-decoder is the configuration
 * {@code rnn.forecast.mode=seq2seq} serves ({@link Seq2SeqConfig#served}, no period), the smoother
 * {@code rnn.smoothing.lag=L}'s ({@code new SmootherConfig(learner, L)}):
 *
 * <ul>
 *   <li>{@link #decode}: {@link EncoderDecoder#decode} of {@code N} steps from an encoder state: what the
 *       encoder-decoder adds to every reading to forecast {@code N} ahead (about {@code N} forward steps; the decoder
 *       network is the same with or without the correction);</li>
 *   <li>{@link #seq2seqUpdate}: one {@link EncoderDecoderModel#train(TbpttWindow, HorizonCorrection)} on a full
 *       window ({@code k2 + N} readings and the base's 11 before them, 16 decoder chains of {@code N} steps, the base
 *       recomputed for every decoder target): every {@code k1} readings;</li>
 *   <li>{@link #seq2seqReading}: one reading of the stream's per-key path, {@link Seq2SeqForecaster#observe}
 *       (encode, the members scored at every horizon, the {@code N} forecasts, a training every {@code k1} readings,
 *       amortised) and {@link Seq2SeqForecaster#forecast}: the plain encoder-decoder ({@code kind=plain}, no base)
 *       against the one the stream serves ({@code kind=served});</li>
 *   <li>{@link #reconstruct}: {@link FixedLagSmoother#reconstruct}, the backward pass over {@code L} successors and
 *       the head: what the smoother adds to every reading;</li>
 *   <li>{@link #smootherUpdate}: one {@link SmootherModel#train} on a full window ({@code k2 + L} readings, 16
 *       backward chains of {@code L} steps);</li>
 *   <li>{@link #smootherReading}: one reading of the stream's per-key path, {@link FixedLagSmoothing#observe} (the
 *       forward step, the backward pass and head for reading {@code t - L}, a training every {@code k1} readings,
 *       amortised).</li>
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
        HorizonCorrection correction;
        double[] state;
        double[] scratch;
        double[] x;
        double[][] out;

        /** The served model after {@code 2 x} its window's capacity of readings: members scored, the window full. */
        @Setup(Level.Trial)
        public void setUp() {
            Seq2SeqConfig config = Seq2SeqConfig.served(learner(), horizon, 0);
            model = new EncoderDecoderModel(config);
            Seq2SeqState sequence = new Seq2SeqState(config);
            Seq2SeqForecaster forecaster = new Seq2SeqForecaster(config);
            Random random = new Random(13L);
            for (int t = 0; t < 2 * config.windowCapacity(); t++) {
                forecaster.observe(model, sequence, gaussian(random));
            }
            window = sequence.window();
            correction = sequence.correction();
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
        /** {@code plain}: {@code new Seq2SeqConfig(learner, N)}; {@code served}: {@link Seq2SeqConfig#served}. */
        @Param({"plain", "served"})
        public String kind;

        Seq2SeqForecaster forecaster;
        EncoderDecoderModel model;
        Seq2SeqState sequence;
        double[][] readings;
        int t;

        @Setup(Level.Trial)
        public void setUp() {
            Seq2SeqConfig plain = new Seq2SeqConfig(learner(), horizon);
            Seq2SeqConfig config = kind.equals("plain") ? plain : Seq2SeqConfig.served(learner(), horizon, 0);
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
        return s.model.train(s.window, s.correction);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double seq2seqReading(Reading s) {
        s.forecaster.observe(s.model, s.sequence, s.readings[s.t++ & (s.readings.length - 1)]);
        return s.forecaster.forecast(s.sequence, s.horizon)[s.horizon - 1][0];
    }

    @State(Scope.Thread)
    public static class SmootherReading {
        @Param({"3", "10"})
        public int lag;

        FixedLagSmoothing smoothing;
        SmootherModel model;
        SmootherState state;
        double[][] readings;
        int t;

        @Setup(Level.Trial)
        public void setUp() {
            SmootherConfig config = new SmootherConfig(learner(), lag);
            smoothing = new FixedLagSmoothing(config);
            model = new SmootherModel(config);
            state = new SmootherState(config);
            Random random = new Random(23L);
            readings = new double[1024][];
            for (int i = 0; i < readings.length; i++) {
                readings[i] = gaussian(random);
            }
            for (int i = 0; i < 2 * config.windowCapacity(); i++) {
                smoothing.observe(model, state, readings[i % readings.length]);
            }
        }
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

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public double smootherReading(SmootherReading s) {
        FixedLagSmoothing.Smoothed smoothed = s.smoothing.observe(s.model, s.state,
                s.readings[s.t++ & (s.readings.length - 1)]);
        return smoothed.value()[0];
    }
}
