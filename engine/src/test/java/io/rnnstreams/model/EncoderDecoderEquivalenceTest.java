package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seq2seq model's truncated BPTT against full BPTT: with a window holding the whole sequence, the gradient it
 * trains on equals the full-sequence gradient, assembled here independently as the mean of each supervised
 * step's own gradient (one pass per step over the prefix that ends with its N targets, its chain the only loss);
 * with a shorter window wrapped in its ring, it equals the finite-difference gradient of the window loss with the
 * anchor held constant; the anchor moves to the state the next training starts from.
 */
class EncoderDecoderEquivalenceTest {
    private static final int D = 2;
    private static final int N = 4;

    private static Seq2SeqConfig config(CellType cell, int k1, int k2) {
        return config(cell, k1, k2, false);
    }

    private static Seq2SeqConfig config(CellType cell, int k1, int k2, boolean lag) {
        // level mode: residual mode starts the decoder head at zero, which would zero every recurrent gradient
        NetworkConfig network = NetworkConfig.builder().inputSize(D).hiddenSizes(6, 4).cellType(cell).seed(5).build();
        return new Seq2SeqConfig(LearnerConfig.builder().network(network).k1(k1).k2(k2)
                .optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).residual(false).build(), N, lag);
    }

    private static double[][] randomSequence(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] xs = new double[n][D];
        for (double[] x : xs) {
            for (int i = 0; i < D; i++) {
                x[i] = random.nextDouble(-1, 1);
            }
        }
        return xs;
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cellsAndLag() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> all = new java.util.ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (boolean lag : new boolean[] {false, true}) {
                all.add(org.junit.jupiter.params.provider.Arguments.of(cell, lag));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} lagInputs={1}")
    @org.junit.jupiter.params.provider.MethodSource("cellsAndLag")
    void windowHoldingTheSequenceGivesTheFullBpttGradient(CellType cell, boolean lag) {
        int t = 20;
        Seq2SeqConfig config = config(cell, t, t, lag);
        double[][] xs = randomSequence(t, 1);
        EncoderDecoderModel model = new EncoderDecoderModel(config);
        Seq2SeqState state = new Seq2SeqState(config);
        TbpttWindow window = state.window();
        double[] initial = new double[model.network().parameterCount()];
        model.network().writeParameters(initial);
        boolean due = false;
        for (double[] x : xs) {
            due = window.push(x, new double[0]);
        }
        assertTrue(due);
        assertTrue(model.train(window), "the update is applied");
        double[] tbptt = new double[initial.length];
        model.network().writeGradients(tbptt);

        EncoderDecoder reference = new EncoderDecoder(config);
        reference.readParameters(initial);
        EncoderDecoderBptt bptt = new EncoderDecoderBptt(reference);
        double[] zero = new double[reference.stateSize()];
        int lead = config.lead();
        int supervised = t - N - lead;
        double[] full = FullBptt.meanGradient(lead, supervised, tbptt.length, (one, s) -> {
            reference.zeroGradients();
            bptt.lossAndGradient(zero, xs, 0, s + 1 + N, 1, null);
            reference.writeGradients(one);
        });
        FullBptt.assertEquivalent("seq2seq (window = sequence), " + cell + " lagInputs=" + lag, tbptt, full);

        // 20 pushed, 20 more before the next training, capacity k2 + N (+ N - 1 with lag inputs) = 24 (27): the
        // first 16 (13) leave; the anchor is the encoder's state after them, with the weights the gradient was taken at
        double[] expected = new double[reference.stateSize()];
        for (int s = 0; s < 16 - lead; s++) {
            reference.encode(expected, xs[s]);
        }
        assertArrayEquals(expected, window.anchor(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void shorterWindowGivesTheWindowLossGradientWithTheAnchorHeldConstant(CellType cell) {
        int k1 = 5;
        int k2 = 8;
        Seq2SeqConfig config = config(cell, k1, k2);
        double[][] xs = randomSequence(200, 2);
        EncoderDecoderModel model = new EncoderDecoderModel(config);
        TbpttWindow window = new Seq2SeqState(config).window();
        for (int s = 0; s < 60; s++) {
            if (window.push(xs[s], new double[0])) {
                model.train(window);
            }
        }
        assertEquals(12, model.updates(), "12 trainings, each with a supervised step (5 readings > N = 4 at the first)");
        for (int s = 60; s < 64; s++) {
            assertTrue(!window.push(xs[s], new double[0]));
        }
        assertTrue(window.push(xs[64], new double[0]));
        int capacity = k2 + N;
        assertEquals(capacity, window.count());
        assertTrue(window.head() != 0, "the window has wrapped around its ring");
        double[] anchor = window.anchor().clone();
        double[] weights = new double[model.network().parameterCount()];
        model.network().writeParameters(weights);
        double[][] inputs = new double[capacity][];
        for (int s = 0; s < capacity; s++) {
            inputs[s] = xs[65 - capacity + s];
        }
        model.train(window);
        double[] tbptt = new double[weights.length];
        model.network().writeGradients(tbptt);

        EncoderDecoder reference = new EncoderDecoder(config);
        EncoderDecoderBptt bptt = new EncoderDecoderBptt(reference);
        double eps = 1e-5;
        double worst = 0;
        for (int i = 0; i < weights.length; i++) {
            double saved = weights[i];
            weights[i] = saved + eps;
            reference.readParameters(weights);
            double plus = bptt.loss(anchor, inputs, 0, capacity, k2);
            weights[i] = saved - eps;
            reference.readParameters(weights);
            double minus = bptt.loss(anchor, inputs, 0, capacity, k2);
            weights[i] = saved;
            worst = Math.max(worst, GradientCheckTest.error(tbptt[i], (plus - minus) / (2 * eps)));
        }
        System.out.printf("seq2seq TBPTT(k1=5, k2=8, N=4) vs finite differences of the window loss, %s: worst %.2e%n",
                cell, worst);
        assertTrue(worst < 1e-6, "worst relative error " + worst);
    }
}
