package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analytic gradient of {@link EncoderDecoderBptt} against central finite differences of its window loss,
 * for every cell x depth {1, 2} x residual/level x loss positions {1, all}, at every parameter scalar (the
 * encoder's layers, the decoder's layers and head) and every anchor entry; the error measure is
 * {@link GradientCheckTest#error}. The window starts at ring slot 3 so that it wraps around its ring.
 */
class EncoderDecoderGradientCheckTest {
    private static final double EPS = 1e-5;
    private static final double TOLERANCE = 1e-6;
    private static final int D = 2;
    private static final int N = 3;
    private static final int STEPS = 7;
    private static final int START = 3;

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        List<Object[]> cells = List.of(new Object[] {CellType.ELMAN, Activation.TANH},
                new Object[] {CellType.ELMAN, Activation.RELU}, new Object[] {CellType.GRU, Activation.TANH},
                new Object[] {CellType.LSTM, Activation.TANH});
        for (Object[] cell : cells) {
            for (int depth : new int[] {1, 2}) {
                for (boolean residual : new boolean[] {true, false}) {
                    for (boolean lag : new boolean[] {false, true}) {
                        for (int positions : new int[] {1, STEPS - N - (lag ? N - 1 : 0)}) {
                            all.add(Arguments.of(cell[0], cell[1], depth, residual, lag, positions));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    static Seq2SeqConfig config(CellType cell, Activation activation, int depth, boolean residual) {
        return config(cell, activation, depth, residual, false);
    }

    static Seq2SeqConfig config(CellType cell, Activation activation, int depth, boolean residual, boolean lag) {
        NetworkConfig network = NetworkConfig.builder().inputSize(D).hiddenSizes(depth == 1 ? new int[] {5} : new int[] {5, 4})
                .cellType(cell).activation(activation).seed(7).build();
        return new Seq2SeqConfig(LearnerConfig.builder().network(network).k1(4).k2(STEPS - N)
                .optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).residual(residual).build(), N, lag);
    }

    @ParameterizedTest(name = "{0}/{1} depth={2} residual={3} lagInputs={4} positions={5}")
    @MethodSource("configurations")
    void analyticGradientMatchesFiniteDifferences(CellType cell, Activation activation, int depth, boolean residual,
                                                  boolean lag, int positions) {
        EncoderDecoder model = new EncoderDecoder(config(cell, activation, depth, residual, lag));
        SplittableRandom random = new SplittableRandom(13);
        perturb(model, random);
        double[][] ring = ring(random);
        double[] anchor = new double[model.stateSize()];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = random.nextDouble(-0.8, 0.8);
        }
        EncoderDecoderBptt bptt = new EncoderDecoderBptt(model);
        model.zeroGradients();
        double[] dAnchor = new double[anchor.length];
        bptt.lossAndGradient(anchor, ring, START, STEPS, positions, dAnchor);
        GradientCheckTest.Worst w = worstError(model, bptt, anchor, ring, positions, dAnchor);
        System.out.printf("seq2seq gradient check %s/%s depth=%d residual=%s lagInputs=%s positions=%d: worst %.2e at %s%n",
                cell, activation, depth, residual, lag, positions, w.error(), w.at());
        assertTrue(w.error() < TOLERANCE, "worst relative error " + w);
        assertTrue(GradientCheckTest.norm(dAnchor) > 1e-6, "the anchor gradient is not vacuous");
    }

    /** A planted bug in one analytic scalar of the decoder head and of an encoder weight must fail the check. */
    @Test
    void aPerturbedAnalyticGradientFailsTheCheck() {
        EncoderDecoder model = new EncoderDecoder(config(CellType.GRU, Activation.TANH, 2, true));
        SplittableRandom random = new SplittableRandom(13);
        perturb(model, random);
        double[][] ring = ring(random);
        double[] anchor = new double[model.stateSize()];
        EncoderDecoderBptt bptt = new EncoderDecoderBptt(model);
        model.zeroGradients();
        double[] dAnchor = new double[anchor.length];
        bptt.lossAndGradient(anchor, ring, START, STEPS, STEPS - N, dAnchor);
        assertTrue(worstError(model, bptt, anchor, ring, STEPS - N, dAnchor).error() < TOLERANCE);
        List<Parameter> ps = model.parameters();
        for (Parameter p : List.of(ps.get(0), ps.get(ps.size() - 2))) {
            double saved = p.grad[0][1];
            p.grad[0][1] = saved * (1 + 1e-4);
            GradientCheckTest.Worst w = worstError(model, bptt, anchor, ring, STEPS - N, dAnchor);
            p.grad[0][1] = saved;
            System.out.printf("seq2seq gradient check control: %s(1,0) x (1 + 1e-4): worst %.2e at %s%n", p.name(),
                    w.error(), w.at());
            assertTrue(w.error() > TOLERANCE && w.at().startsWith(p.name() + "("), "a planted error must fail: " + w);
        }
    }

    static double[][] ring(SplittableRandom random) {
        double[][] ring = new double[STEPS + 2][D];
        for (double[] x : ring) {
            for (int i = 0; i < D; i++) {
                x[i] = random.nextDouble(-1.5, 1.5);
            }
        }
        return ring;
    }

    /** Non-zero biases and decoder head (a residual model's head starts at zero), so that every path carries gradient. */
    static void perturb(EncoderDecoder model, SplittableRandom random) {
        for (Parameter p : model.parameters()) {
            boolean head = p.name().startsWith("head.");
            if (p.cols() == 1 || head) {
                for (int j = 0; j < p.cols(); j++) {
                    for (int i = 0; i < p.rows(); i++) {
                        p.set(i, j, p.get(i, j) + random.nextDouble(-0.3, 0.3));
                    }
                }
            }
        }
    }

    static GradientCheckTest.Worst worstError(EncoderDecoder model, EncoderDecoderBptt bptt, double[] anchor,
                                              double[][] ring, int positions, double[] dAnchor) {
        double worst = 0;
        String at = "";
        for (Parameter p : model.parameters()) {
            for (int j = 0; j < p.cols(); j++) {
                for (int i = 0; i < p.rows(); i++) {
                    double saved = p.get(i, j);
                    p.set(i, j, saved + EPS);
                    double plus = bptt.loss(anchor, ring, START, STEPS, positions);
                    p.set(i, j, saved - EPS);
                    double minus = bptt.loss(anchor, ring, START, STEPS, positions);
                    p.set(i, j, saved);
                    double err = GradientCheckTest.error(p.gradient(i, j), (plus - minus) / (2 * EPS));
                    if (err > worst) {
                        worst = err;
                        at = p.name() + "(" + i + "," + j + ")";
                    }
                }
            }
        }
        for (int i = 0; i < anchor.length; i++) {
            double saved = anchor[i];
            anchor[i] = saved + EPS;
            double plus = bptt.loss(anchor, ring, START, STEPS, positions);
            anchor[i] = saved - EPS;
            double minus = bptt.loss(anchor, ring, START, STEPS, positions);
            anchor[i] = saved;
            double err = GradientCheckTest.error(dAnchor[i], (plus - minus) / (2 * EPS));
            if (err > worst) {
                worst = err;
                at = "anchor[" + i + "]";
            }
        }
        return new GradientCheckTest.Worst(worst, at);
    }
}
