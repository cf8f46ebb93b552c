package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Truncated BPTT against full BPTT: with a window at least as long as the sequence, the gradient the
 * model trains on equals the full-sequence gradient, assembled here independently as the sum of each
 * step's own loss gradient (one many-to-one back-propagation per step); with a shorter window, it equals
 * the finite-difference gradient of the window's loss with the anchor held constant.
 */
class TbpttEquivalenceTest {
    private static final int D = 2;
    private static final int H = 6;

    private static NetworkConfig network(CellType cell, LossSteps steps) {
        return network(cell, steps, Loss.SQUARED_ERROR);
    }

    private static NetworkConfig network(CellType cell, LossSteps steps, Loss loss) {
        return NetworkConfig.builder().inputSize(D).hiddenSizes(H, 4).cellType(cell).lossSteps(steps).loss(loss)
                .seed(5).build();
    }

    private static LearnerConfig learner(CellType cell, int k1, int k2) {
        // level mode: residual mode starts the head at zero, which would zero every recurrent gradient of
        // the first training and make its comparison vacuous
        return LearnerConfig.builder().network(network(cell, LossSteps.ALL)).k1(k1).k2(k2)
                .optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).residual(false).build();
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

    @ParameterizedTest
    @EnumSource(CellType.class)
    void windowCoveringTheSequenceGivesTheFullBpttGradient(CellType cell) {
        int t = 20;
        double[][] xs = randomSequence(t + 1, 1);
        Model model = new Model(learner(cell, t, 24));
        TbpttWindow window = new TbpttWindow(t, 24, D, D, model.network().stateSize());
        double[] initialParameters = new double[model.network().parameterCount()];
        model.network().writeParameters(initialParameters);
        boolean due = false;
        for (int s = 0; s < t; s++) {
            due = window.push(xs[s], xs[s + 1]);
        }
        assertTrue(due, "training is due after k1 pushes");
        model.train(window);
        double[] tbptt = new double[model.network().parameterCount()];
        model.network().writeGradients(tbptt);

        // full BPTT, accumulated: d/dw (1/T) sum_s l_s = (1/T) sum_s d l_s/dw, each by its own backward pass
        Network reference = new Network(network(cell, LossSteps.LAST));
        reference.readParameters(initialParameters);
        Bptt bptt = new Bptt(reference);
        double[] zero = new double[reference.stateSize()];
        double[][] targets = new double[t][];
        for (int s = 0; s < t; s++) {
            targets[s] = xs[s + 1];
        }
        double[] full = FullBptt.meanGradient(0, t, tbptt.length, (one, s) -> {
            reference.zeroGradients();
            bptt.lossAndGradient(zero, xs, targets, 0, s + 1, null);
            reference.writeGradients(one);
        });
        FullBptt.assertEquivalent("TBPTT(k2 >= T), " + cell, tbptt, full);

        // the anchor moved to the state after the pairs that leave before the next training: 20 + 20 - 24 = 16
        double[] state = new double[reference.stateSize()];
        double[] out = new double[D];
        for (int s = 0; s < 16; s++) {
            reference.step(state, xs[s], out);
        }
        assertArrayEquals(state, window.anchor(), 0.0);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void shorterWindowGivesTheWindowLossGradientWithTheAnchorHeldConstant(CellType cell) {
        int k1 = 5;
        int k2 = 12;
        double[][] xs = randomSequence(200, 2);
        Model model = new Model(learner(cell, k1, k2));
        TbpttWindow window = new TbpttWindow(k1, k2, D, D, model.network().stateSize());
        int trainings = 0;
        for (int s = 0; s < 60; s++) {
            if (window.push(xs[s], xs[s + 1])) {
                model.train(window);
                trainings++;
            }
        }
        assertEquals(12, trainings);
        // the next training, captured: window of the last k2 pairs (wrapped in the ring) and its anchor
        for (int s = 60; s < 64; s++) {
            assertTrue(!window.push(xs[s], xs[s + 1]));
        }
        assertTrue(window.push(xs[64], xs[65]));
        assertEquals(k2, window.count());
        assertTrue(window.head() != 0, "the window has wrapped around its ring");
        double[] anchor = window.anchor().clone();
        double[] weights = new double[model.network().parameterCount()];
        model.network().writeParameters(weights);
        double[][] inputs = new double[k2][];
        double[][] targets = new double[k2][];
        for (int s = 0; s < k2; s++) {
            inputs[s] = xs[65 - k2 + s];
            targets[s] = xs[66 - k2 + s];
        }
        model.train(window);
        double[] tbptt = new double[weights.length];
        model.network().writeGradients(tbptt);

        Network reference = new Network(network(cell, LossSteps.ALL));
        Bptt bptt = new Bptt(reference);
        double eps = 1e-5;
        double worst = 0;
        for (int i = 0; i < weights.length; i++) {
            double saved = weights[i];
            weights[i] = saved + eps;
            reference.readParameters(weights);
            double plus = bptt.loss(anchor, inputs, targets, 0, k2);
            weights[i] = saved - eps;
            reference.readParameters(weights);
            double minus = bptt.loss(anchor, inputs, targets, 0, k2);
            weights[i] = saved;
            worst = Math.max(worst, GradientCheckTest.error(tbptt[i], (plus - minus) / (2 * eps)));
        }
        System.out.printf("TBPTT(k1=5, k2=12) vs finite differences of the window loss, %s: worst %.2e%n", cell,
                worst);
        assertTrue(worst < 1e-6, "worst relative error " + worst);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void newestLossStepsCarryTheLossOfThePairsPushedSinceThePreviousTrainingOnly(CellType cell) {
        newestAgainstPerPairBptt(cell, Loss.SQUARED_ERROR);
    }

    /** The same with Huber's loss: per-step losses add up, so the equivalence holds. */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void newestLossStepsWithHuberLoss(CellType cell) {
        newestAgainstPerPairBptt(cell, Loss.HUBER);
    }

    /** The same with Huber's loss of width 1/2 (the hybrid learner's since branch acc18b). */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void newestLossStepsWithNarrowHuberLoss(CellType cell) {
        newestAgainstPerPairBptt(cell, Loss.HUBER_HALF);
    }

    /**
     * The same with the mixture's loss ({@link Loss#MIXTURE_HUBER}, D = 2 channels, K = 2 members: 8 outputs, targets
     * of 6 numbers, the members' disagreements part of each window target).
     */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void newestLossStepsWithMixtureLoss(CellType cell) {
        newestAgainstPerPairBptt(cell, Loss.MIXTURE_HUBER);
    }

    private static void newestAgainstPerPairBptt(CellType cell, Loss loss) {
        // k1 = 4, k2 = 24, NEWEST: the second training's window holds pairs 0..7 from the zero anchor; only
        // pairs 4..7 (pushed since the first training) carry a loss: the gradient is (1/4) sum_{s=4..7} dl_s/dw,
        // each through all the steps before it, assembled here by one many-to-one pass per pair
        int k1 = 4;
        boolean mixture = loss == Loss.MIXTURE_HUBER;
        int members = mixture ? 2 : 0;
        double[][] xs = randomSequence(9, 3);
        double[][] targets = new double[2 * k1][];
        SplittableRandom random = new SplittableRandom(17);
        for (int s = 0; s < 2 * k1; s++) {
            targets[s] = new double[D * (1 + members)];
            System.arraycopy(xs[s + 1], 0, targets[s], 0, D);
            if (loss != Loss.SQUARED_ERROR) {
                // targets far enough from the level-mode outputs that both parts of Huber's loss count
                targets[s][0] *= 3;
            }
            for (int i = D; i < targets[s].length; i++) {
                targets[s][i] = random.nextDouble(-2, 2);
            }
        }
        NetworkConfig network = mixture ? network(cell, LossSteps.NEWEST, loss).toBuilder().outputSize(D * (2 + members))
                .build() : network(cell, LossSteps.NEWEST, loss);
        LearnerConfig config = LearnerConfig.builder().network(network).k1(k1).k2(24).mixtureMembers(members)
                .optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).residual(false).build();
        Model model = new Model(config);
        TbpttWindow window = new TbpttWindow(k1, 24, D, config.targetSize(), model.network().stateSize());
        for (int s = 0; s < 2 * k1; s++) {
            if (window.push(xs[s], targets[s])) {
                if (s == 2 * k1 - 1) {
                    break;
                }
                assertTrue(model.train(window));
            }
        }
        double[] before = new double[model.network().parameterCount()];
        model.network().writeParameters(before);
        assertTrue(model.train(window));
        double[] newest = new double[before.length];
        model.network().writeGradients(newest);

        Network reference = new Network(network.toBuilder().lossSteps(LossSteps.LAST).build());
        reference.readParameters(before);
        Bptt bptt = new Bptt(reference);
        double[] zero = new double[reference.stateSize()];
        double[] expected = new double[before.length];
        double[] one = new double[before.length];
        for (int s = k1; s < 2 * k1; s++) {
            reference.zeroGradients();
            bptt.lossAndGradient(zero, xs, targets, 0, s + 1, null);
            reference.writeGradients(one);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += one[i] / k1;
            }
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(newest[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-6));
        }
        System.out.printf("TBPTT(4, 24) NEWEST vs per-pair BPTT, %s, %s: worst relative difference %.2e%n", cell, loss,
                worst);
        assertTrue(worst < 1e-10, "worst relative difference " + worst);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void newestWithK1EqualToK2IsAll(CellType cell) {
        double[][] xs = randomSequence(17, 4);
        double[][] gradients = new double[2][];
        int i = 0;
        for (LossSteps steps : new LossSteps[] {LossSteps.ALL, LossSteps.NEWEST}) {
            LearnerConfig config = LearnerConfig.builder().network(network(cell, steps)).k1(16).k2(16)
                    .optimizer(OptimizerConfig.sgd(0.05)).clipping(GradientClipping.NONE).residual(false).build();
            Model model = new Model(config);
            TbpttWindow window = new TbpttWindow(16, 16, D, D, model.network().stateSize());
            for (int s = 0; s < 16; s++) {
                window.push(xs[s], xs[s + 1]);
            }
            model.train(window);
            gradients[i] = new double[model.network().parameterCount()];
            model.network().writeGradients(gradients[i++]);
        }
        assertArrayEquals(gradients[0], gradients[1], 0.0);
    }
}
