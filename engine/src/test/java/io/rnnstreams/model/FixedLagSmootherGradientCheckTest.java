package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixed-lag smoother's exact BPTT through both directions: its analytic gradient against central finite
 * differences at every parameter and anchor entry (cells x depth x loss positions, the first position reading
 * the anchor itself); with a window holding the sequence, the gradient it trains on against the mean of each
 * supervised step's own gradient (one pass per step); the anchor it moves to.
 */
class FixedLagSmootherGradientCheckTest {
    private static final double EPS = 1e-5;
    private static final int D = 2;
    private static final int L = 3;
    private static final int STEPS = 8;
    private static final int START = 3;

    static SmootherConfig config(CellType cell, Activation activation, int depth, int k1, int k2) {
        NetworkConfig network = NetworkConfig.builder().inputSize(D).hiddenSizes(depth == 1 ? new int[] {5} : new int[] {5, 4})
                .cellType(cell).activation(activation).seed(7).build();
        return new SmootherConfig(LearnerConfig.builder().network(network).k1(k1).k2(k2)
                .optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).build(), L);
    }

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        List<Object[]> cells = List.of(new Object[] {CellType.ELMAN, Activation.TANH},
                new Object[] {CellType.ELMAN, Activation.RELU}, new Object[] {CellType.GRU, Activation.TANH},
                new Object[] {CellType.LSTM, Activation.TANH});
        for (Object[] cell : cells) {
            for (int depth : new int[] {1, 2}) {
                for (int positions : new int[] {1, 3, STEPS - L}) {
                    all.add(Arguments.of(cell[0], cell[1], depth, positions));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}/{1} depth={2} positions={3}")
    @MethodSource("configurations")
    void analyticGradientMatchesFiniteDifferences(CellType cell, Activation activation, int depth, int positions) {
        FixedLagSmoother model = new FixedLagSmoother(config(cell, activation, depth, 4, STEPS - L));
        SplittableRandom random = new SplittableRandom(17);
        for (Parameter p : model.parameters()) {
            if (p.cols() == 1) {
                for (int i = 0; i < p.rows(); i++) {
                    p.set(i, 0, p.get(i, 0) + random.nextDouble(-0.3, 0.3));
                }
            }
        }
        double[][] ring = EncoderDecoderGradientCheckTest.ring(random);
        double[] anchor = new double[model.stateSize()];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = random.nextDouble(-0.8, 0.8);
        }
        FixedLagSmootherBptt bptt = new FixedLagSmootherBptt(model);
        model.zeroGradients();
        double[] dAnchor = new double[anchor.length];
        bptt.lossAndGradient(anchor, ring, START, STEPS, positions, dAnchor);
        GradientCheckTest.Worst w = worst(model, bptt, anchor, ring, positions, dAnchor);
        System.out.printf("smoother gradient check %s/%s depth=%d positions=%d: worst %.2e at %s%n", cell, activation,
                depth, positions, w.error(), w.at());
        assertTrue(w.error() < 1e-6, "worst relative error " + w);
        assertTrue(GradientCheckTest.norm(dAnchor) > 1e-6, "the anchor gradient is not vacuous");
    }

    @Test
    void aPerturbedAnalyticGradientFailsTheCheck() {
        FixedLagSmoother model = new FixedLagSmoother(config(CellType.LSTM, Activation.TANH, 2, 4, STEPS - L));
        SplittableRandom random = new SplittableRandom(17);
        double[][] ring = EncoderDecoderGradientCheckTest.ring(random);
        double[] anchor = new double[model.stateSize()];
        FixedLagSmootherBptt bptt = new FixedLagSmootherBptt(model);
        model.zeroGradients();
        double[] dAnchor = new double[anchor.length];
        bptt.lossAndGradient(anchor, ring, START, STEPS, STEPS - L, dAnchor);
        assertTrue(worst(model, bptt, anchor, ring, STEPS - L, dAnchor).error() < 1e-6);
        List<Parameter> ps = model.parameters();
        Parameter backwardWx = ps.get(ps.size() / 2); // the backward stack's first tensor
        double saved = backwardWx.grad[0][1];
        backwardWx.grad[0][1] = saved * (1 + 1e-4);
        GradientCheckTest.Worst w = worst(model, bptt, anchor, ring, STEPS - L, dAnchor);
        backwardWx.grad[0][1] = saved;
        System.out.printf("smoother gradient check control: %s(1,0) x (1 + 1e-4): worst %.2e at %s%n",
                backwardWx.name(), w.error(), w.at());
        assertTrue(w.error() > 1e-6, "a planted error in a backward-stack gradient must fail: " + w);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void windowHoldingTheSequenceGivesTheFullBpttGradient(CellType cell) {
        int t = 20;
        SmootherConfig config = config(cell, Activation.TANH, 2, t, t);
        SplittableRandom random = new SplittableRandom(3);
        double[][] xs = new double[t][D];
        for (double[] x : xs) {
            for (int i = 0; i < D; i++) {
                x[i] = random.nextDouble(-1, 1);
            }
        }
        SmootherModel model = new SmootherModel(config);
        TbpttWindow window = new SmootherState(config).window();
        double[] initial = new double[model.network().parameterCount()];
        model.network().writeParameters(initial);
        for (double[] x : xs) {
            window.push(x, new double[0]);
        }
        assertTrue(model.train(window));
        double[] trained = new double[initial.length];
        model.network().writeGradients(trained);

        FixedLagSmoother reference = new FixedLagSmoother(config);
        reference.readParameters(initial);
        FixedLagSmootherBptt bptt = new FixedLagSmootherBptt(reference);
        double[] zero = new double[reference.stateSize()];
        int supervised = t - L;
        double[] full = FullBptt.meanGradient(0, supervised, initial.length, (one, m) -> {
            reference.zeroGradients();
            bptt.lossAndGradient(zero, xs, 0, m + 1 + L, 1, null);
            reference.writeGradients(one);
        });
        FullBptt.assertEquivalent("smoother (window = sequence), " + cell, trained, full);
        // 20 pushed, capacity k2 + L = 23, 20 more before the next training: the first 17 leave
        double[] expected = new double[reference.stateSize()];
        for (int s = 0; s < 17; s++) {
            reference.advance(expected, xs[s]);
        }
        assertArrayEquals(expected, window.anchor(), 0.0);
        assertEquals(1, model.updates());
    }

    static GradientCheckTest.Worst worst(FixedLagSmoother model, FixedLagSmootherBptt bptt, double[] anchor,
                                         double[][] ring, int positions, double[] dAnchor) {
        double worst = 0;
        String at = "";
        for (Parameter p : model.parameters()) {
            String name = p.name();
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
                        at = name + "(" + i + "," + j + ")";
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
