package io.rnnstreams.bench;

import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.Network;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.TbpttWindow;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The engine next to Deeplearning4j 1.0.0-M2.1 doing the same work in the same JMH run: one LSTM layer
 * with D = 8 inputs and H = 32 hidden units, a linear (identity) output layer of O = 8 with squared-error
 * loss, Adam (learning rate 1e-3), one thread. Needs the {@code jmh} Maven profile (the only place where
 * Deeplearning4j is on the class path); run with {@code deploy/local/jmh.sh peers}.
 *
 * <ul>
 *   <li>{@link #engineForwardStep} / {@link #dl4jForwardStep}: one step of the recurrence on one reading,
 *       carrying the state: {@link Network#step} versus {@code MultiLayerNetwork.rnnTimeStep} on a
 *       {@code [1, 8]} input (DL4J keeps the state inside the network; it allocates the output).</li>
 *   <li>{@link #engineTbpttUpdate} / {@link #dl4jTbpttUpdate}: one update on a 16-step segment of random
 *       (input, target) pairs: {@link Model#train} on a full {@link TbpttWindow} with k1 = k2 = 16 versus
 *       {@code MultiLayerNetwork.fit(DataSet)} with truncated BPTT, forward and backward length 16, on a
 *       {@code [1, 8, 16]} sequence. Both repeat the same segment; the weights move every time.</li>
 * </ul>
 *
 * <p><b>Differences that remain</b> (they favour Deeplearning4j where they matter):
 * <ul>
 *   <li>The engine computes in double only; DL4J runs in {@code DOUBLE} and {@code FLOAT} ({@code dtype}).</li>
 *   <li>The engine update also clips the gradient to global norm 1 (its default) and backs up weights and
 *       Adam moments for its numerical-health guard; DL4J's {@code fit} does neither.</li>
 *   <li>DL4J resets the recurrent state before and after every {@code fit} (it starts each segment from
 *       zero); the engine starts the segment from the state carried in the window's anchor. Same arithmetic,
 *       but DL4J cannot carry state across updates as a streaming learner must.</li>
 *   <li>Weight initialisation differs (DL4J Xavier, the engine its own); irrelevant for timing.</li>
 * </ul>
 *
 * <p><b>One thread.</b> ND4J's native code uses OpenMP and its own OpenBLAS. The setup sets ND4J's
 * thread limits to 1 and refuses to run unless {@code OMP_NUM_THREADS=1} is in the environment (OpenMP
 * reads it once at load; {@code deploy/local/jmh.sh} exports it, and {@code OPENBLAS_NUM_THREADS=1}).
 * {@link CpuTimeProfiler}'s {@code cpu.share} shows whether that held (about 1.0 when single-threaded).
 *
 * <p><b>Deeplearning4j tuned in its favour.</b> Two settings that cost it much at this size are switched
 * off: ND4J's periodic {@code System.gc()} ({@code togglePeriodicGc(false)}, as DL4J's workspace guide
 * suggests; full collections of ~150 ms each otherwise land in the measurement), and JavaCPP's
 * physical-memory limit check ({@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}, set for every fork of
 * this class; with the limit on, every native allocation reads the process's resident size and
 * {@code Pointer.physicalBytesInaccurate} was the top Java frame of {@code rnnTimeStep}; in a back-to-back
 * check on the same loaded machine the median DL4J forward step was 595 us with the check, 350 us without).
 *
 * <p>Warm-up: every trial first makes {@value #WARMUP_STEPS} forward steps or {@value #WARMUP_UPDATES}
 * updates in its setup, then JMH's timed warm-up iterations follow.
 *
 * <p>Mode is {@link Mode#SampleTime}: the score is the mean; the JSON result also has the median and p99
 * that {@code benchmarks/src/main/python/peers_table.py} puts next to PyTorch's.
 */
@BenchmarkMode(Mode.SampleTime)
@Fork(jvmArgsAppend = "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0")
public class PeerBenchmark {
    static final int D = 8;
    static final int H = 32;
    static final int K = 16;
    static final double LEARNING_RATE = 1e-3;

    /** Random inputs cycled through, so the state does not settle to a fixed point. */
    private static final int INPUT_RING = 256;
    /**
     * Calls made in each trial's setup before JMH's own warm-up: a fixed count, so that the JIT has seen
     * the same number of calls however loaded the machine is (JMH's warm-up is timed: on a machine where
     * the benchmark gets a fifth of a core, a few seconds are only a few dozen Deeplearning4j updates).
     */
    static final int WARMUP_STEPS = 5_000;
    static final int WARMUP_UPDATES = 100;

    static double[][] gaussian(long seed, int rows, int cols) {
        Random random = new Random(seed);
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = random.nextGaussian();
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- the engine

    @State(Scope.Thread)
    public static class EngineForward {
        Network network;
        double[] state;
        double[] out;
        double[][] xs;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            network = new Network(EngineBenchmark.network(CellType.LSTM, H, D));
            state = new double[network.stateSize()];
            out = new double[D];
            xs = gaussian(11L, INPUT_RING, D);
            for (int k = 0; k < WARMUP_STEPS; k++) {
                network.step(state, xs[k & (INPUT_RING - 1)], out);
            }
        }
    }

    @State(Scope.Thread)
    public static class EngineTrain {
        Model model;
        TbpttWindow window;

        @Setup(Level.Trial)
        public void setUp() {
            LearnerConfig config = LearnerConfig.builder()
                    .network(EngineBenchmark.network(CellType.LSTM, H, D))
                    .k1(K)
                    .k2(K)
                    .optimizer(OptimizerConfig.adam(LEARNING_RATE))
                    .build();
            model = new Model(config);
            window = new TbpttWindow(K, K, D, D, model.network().stateSize());
            double[][] x = gaussian(13L, K, D);
            double[][] y = gaussian(14L, K, D);
            for (int t = 0; t < K; t++) {
                window.push(x[t], y[t]);
            }
            for (int k = 0; k < WARMUP_UPDATES; k++) {
                model.train(window);
            }
        }

        /** A refused or undone update skips the optimizer and would make the timing meaningless. */
        @TearDown(Level.Trial)
        public void check() {
            if (model.restores() != 0) {
                throw new IllegalStateException(model.restores() + " updates were refused or undone");
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public double engineForwardStep(EngineForward s) {
        double[] x = s.xs[s.next];
        s.next = (s.next + 1) & (INPUT_RING - 1);
        s.network.step(s.state, x, s.out);
        return s.out[0];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean engineTbpttUpdate(EngineTrain s) {
        return s.model.train(s.window);
    }

    // ---------------------------------------------------------------- Deeplearning4j

    /** LSTM(8 -> 32, tanh, sigmoid gates) + RnnOutputLayer(32 -> 8, identity, MSE), Adam, TBPTT 16/16. */
    static MultiLayerNetwork dl4jNetwork(DataType dtype) {
        singleThreaded();
        Nd4j.setDefaultDataTypes(dtype, dtype);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7L)
                .dataType(dtype)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nIn(D).nOut(H)
                        .activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(H).nOut(D)
                        .activation(Activation.IDENTITY).build())
                .backpropType(BackpropType.TruncatedBPTT)
                .tBPTTForwardLength(K)
                .tBPTTBackwardLength(K)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        if (net.params().dataType() != dtype) {
            throw new IllegalStateException("DL4J parameters are " + net.params().dataType() + ", wanted " + dtype);
        }
        return net;
    }

    /**
     * ND4J's thread limits to 1 (OpenMP itself only honours the environment, so insist on it); no periodic
     * {@code System.gc()}.
     */
    static void singleThreaded() {
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            throw new IllegalStateException("PeerBenchmark compares one thread with one thread: run it with "
                    + "OMP_NUM_THREADS=1 in the environment (deploy/local/jmh.sh peers does that)");
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        Nd4j.getMemoryManager().togglePeriodicGc(false);
    }

    @State(Scope.Thread)
    public static class Dl4jForward {
        @Param({"DOUBLE", "FLOAT"})
        public String dtype;

        MultiLayerNetwork net;
        INDArray[] xs;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            DataType type = DataType.valueOf(dtype);
            net = dl4jNetwork(type);
            double[][] raw = gaussian(11L, INPUT_RING, D);
            xs = new INDArray[INPUT_RING];
            for (int i = 0; i < INPUT_RING; i++) {
                xs[i] = Nd4j.create(new double[][] {raw[i]}).castTo(type);
            }
            for (int k = 0; k < WARMUP_STEPS; k++) {
                net.rnnTimeStep(xs[k & (INPUT_RING - 1)]);
            }
        }
    }

    @State(Scope.Thread)
    public static class Dl4jTrain {
        @Param({"DOUBLE", "FLOAT"})
        public String dtype;

        MultiLayerNetwork net;
        DataSet segment;

        @Setup(Level.Trial)
        public void setUp() {
            DataType type = DataType.valueOf(dtype);
            net = dl4jNetwork(type);
            // NCW layout: [miniBatch = 1, features, time]
            double[][] x = gaussian(13L, K, D);
            double[][] y = gaussian(14L, K, D);
            INDArray features = Nd4j.create(type, 1, D, K);
            INDArray labels = Nd4j.create(type, 1, D, K);
            for (int t = 0; t < K; t++) {
                for (int i = 0; i < D; i++) {
                    features.putScalar(new long[] {0, i, t}, x[t][i]);
                    labels.putScalar(new long[] {0, i, t}, y[t][i]);
                }
            }
            segment = new DataSet(features, labels);
            for (int k = 0; k < WARMUP_UPDATES; k++) {
                net.fit(segment);
            }
        }

        /** The update must have moved the weights and kept them finite, else the timing means nothing. */
        @TearDown(Level.Trial)
        public void check() {
            double score = net.score();
            if (!Double.isFinite(score) || net.getIterationCount() == 0) {
                throw new IllegalStateException("DL4J fit did not train: score " + score + ", iterations "
                        + net.getIterationCount());
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public INDArray dl4jForwardStep(Dl4jForward s) {
        INDArray x = s.xs[s.next];
        s.next = (s.next + 1) & (INPUT_RING - 1);
        return s.net.rnnTimeStep(x);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public MultiLayerNetwork dl4jTbpttUpdate(Dl4jTrain s) {
        s.net.fit(s.segment);
        return s.net;
    }
}
