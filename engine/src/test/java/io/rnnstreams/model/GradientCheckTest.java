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
 * The analytic window gradient of {@link Bptt} against central finite differences, in double
 * precision, for every cell x depth {1, 2} x loss x loss steps, for every parameter tensor and for the
 * anchor state. Error measure per scalar: {@code |a - n| / max(|a| + |n|, 1e-3)}, which is the relative
 * error for every gradient larger than 1e-3 and asks for an absolute error below 1e-9 for smaller ones.
 */
class GradientCheckTest {
    private static final double EPS = 1e-5;
    private static final double TOLERANCE = 1e-6;
    private static final int STEPS = 5;

    static Stream<Arguments> configurations() {
        List<Arguments> all = new ArrayList<>();
        List<Object[]> cells = List.of(
                new Object[] {CellType.ELMAN, Activation.TANH},
                new Object[] {CellType.ELMAN, Activation.SIGMOID},
                new Object[] {CellType.ELMAN, Activation.RELU},
                new Object[] {CellType.GRU, Activation.TANH},
                new Object[] {CellType.LSTM, Activation.TANH});
        for (Object[] cell : cells) {
            for (int depth : new int[] {1, 2}) {
                for (Loss loss : Loss.values()) {
                    for (LossSteps steps : LossSteps.values()) {
                        all.add(Arguments.of(cell[0], cell[1], depth, loss, steps));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}/{1} depth={2} {3} {4}")
    @MethodSource("configurations")
    void analyticGradientMatchesFiniteDifferences(CellType cellType, Activation activation, int depth, Loss loss,
                                                  LossSteps lossSteps) {
        int inputs = 3;
        int outputs = 4;
        int[] hidden = depth == 1 ? new int[] {5} : new int[] {5, 4};
        NetworkConfig config = NetworkConfig.builder().inputSize(inputs).hiddenSizes(hidden).cellType(cellType)
                .activation(activation).outputSize(outputs).loss(loss).lossSteps(lossSteps).seed(7).build();
        Network network = new Network(config);
        Bptt bptt = new Bptt(network);
        SplittableRandom random = new SplittableRandom(11);
        perturbBiases(network, random);

        double[][] xs = new double[STEPS][inputs];
        // the mixture: D = 1 channel, K = 2 members (4 outputs: a correction and 3 logits), targets of 3 numbers
        double[][] ys = new double[STEPS][loss == Loss.MIXTURE_HUBER ? outputs - 1 : outputs];
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < inputs; i++) {
                xs[t][i] = random.nextDouble(-1.5, 1.5);
            }
            if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
                ys[t][random.nextInt(outputs)] = 1.0;
            } else {
                // Huber: targets far enough from the outputs that both its quadratic and its linear part count
                double spread = loss == Loss.SQUARED_ERROR ? 1 : 3;
                for (int i = 0; i < ys[t].length; i++) {
                    ys[t][i] = random.nextDouble(-spread, spread);
                }
            }
        }
        double[] anchor = new double[network.stateSize()];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = random.nextDouble(-0.8, 0.8);
        }
        // start at ring slot 2 so that the window wraps around the ring
        double[][] ringX = rotate(xs, 2);
        double[][] ringY = rotate(ys, 2);

        network.zeroGradients();
        double[] dAnchor = new double[anchor.length];
        bptt.lossAndGradient(anchor, ringX, ringY, 2, STEPS, dAnchor);

        Worst w = worstError(network, bptt, anchor, ringX, ringY, 2, dAnchor);
        double worst = w.error();
        String worstAt = w.at();
        System.out.printf("gradient check %s/%s depth=%d %s %s: worst relative error %.2e at %s%n", cellType,
                activation, depth, loss, lossSteps, worst, worstAt);
        assertTrue(worst < TOLERANCE, "worst relative error " + worst + " at " + worstAt);
        if (lossSteps == LossSteps.ALL) {
            // the first step's loss reads the anchor directly: its gradient cannot vanish, so the anchor
            // comparison above is not vacuous (many-to-one through dead ReLU units legitimately can be 0)
            assertTrue(norm(dAnchor) > 1e-6, "anchor gradient vanished: " + norm(dAnchor));
        }
    }

    /** The largest {@link #error} over every parameter scalar and anchor entry, and where it is. */
    record Worst(double error, String at) {
    }

    /**
     * Compares the analytic gradient already accumulated in {@code network}'s parameters and in {@code dAnchor}
     * with central differences of {@link Bptt#loss} (window of {@link #STEPS} from ring slot {@code start}) at
     * every scalar; returns the worst {@link #error}.
     */
    static Worst worstError(Network network, Bptt bptt, double[] anchor, double[][] ringX, double[][] ringY,
                            int start, double[] dAnchor) {
        double worst = 0.0;
        String worstAt = "";
        for (Parameter p : network.parameters()) {
            for (int j = 0; j < p.cols(); j++) {
                for (int i = 0; i < p.rows(); i++) {
                    double saved = p.get(i, j);
                    p.set(i, j, saved + EPS);
                    double plus = bptt.loss(anchor, ringX, ringY, start, STEPS);
                    p.set(i, j, saved - EPS);
                    double minus = bptt.loss(anchor, ringX, ringY, start, STEPS);
                    p.set(i, j, saved);
                    double err = error(p.gradient(i, j), (plus - minus) / (2 * EPS));
                    if (err > worst) {
                        worst = err;
                        worstAt = p.name() + "(" + i + "," + j + ")";
                    }
                }
            }
        }
        for (int i = 0; i < anchor.length; i++) {
            double saved = anchor[i];
            anchor[i] = saved + EPS;
            double plus = bptt.loss(anchor, ringX, ringY, start, STEPS);
            anchor[i] = saved - EPS;
            double minus = bptt.loss(anchor, ringX, ringY, start, STEPS);
            anchor[i] = saved;
            double err = error(dAnchor[i], (plus - minus) / (2 * EPS));
            if (err > worst) {
                worst = err;
                worstAt = "anchor[" + i + "]";
            }
        }
        return new Worst(worst, worstAt);
    }

    /**
     * The negative control of the check above: on one configuration that passes it, a relative change of 1e-4 in a
     * single analytic gradient scalar (a weight's, a bias's, or the anchor's) must take the worst error over the
     * tolerance. A checker that compared nothing, or compared the numeric gradient with itself, would pass these.
     */
    @Test
    void aPerturbedAnalyticGradientFailsTheCheck() {
        NetworkConfig config = NetworkConfig.builder().inputSize(3).hiddenSizes(5).cellType(CellType.GRU)
                .activation(Activation.TANH).outputSize(4).loss(Loss.SQUARED_ERROR).lossSteps(LossSteps.ALL).seed(7).build();
        Network network = new Network(config);
        Bptt bptt = new Bptt(network);
        SplittableRandom random = new SplittableRandom(11);
        perturbBiases(network, random);
        double[][] xs = new double[STEPS][3];
        double[][] ys = new double[STEPS][4];
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < 3; i++) {
                xs[t][i] = random.nextDouble(-1.5, 1.5);
            }
            for (int i = 0; i < 4; i++) {
                ys[t][i] = random.nextDouble(-1, 1);
            }
        }
        double[] anchor = new double[network.stateSize()];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = random.nextDouble(-0.8, 0.8);
        }
        double[][] ringX = rotate(xs, 2);
        double[][] ringY = rotate(ys, 2);
        network.zeroGradients();
        double[] dAnchor = new double[anchor.length];
        bptt.lossAndGradient(anchor, ringX, ringY, 2, STEPS, dAnchor);
        Worst clean = worstError(network, bptt, anchor, ringX, ringY, 2, dAnchor);
        assertTrue(clean.error() < TOLERANCE, "the unperturbed gradient passes: " + clean);

        List<Parameter> parameters = network.parameters();
        Parameter weights = parameters.get(0);
        Parameter bias = parameters.stream().filter(p -> p.cols() == 1).findFirst().orElseThrow();
        for (Parameter p : List.of(weights, bias)) {
            double saved = p.grad[0][1 % p.rows()];
            p.grad[0][1 % p.rows()] = saved * (1 + 1e-4);
            Worst w = worstError(network, bptt, anchor, ringX, ringY, 2, dAnchor);
            p.grad[0][1 % p.rows()] = saved;
            System.out.printf("gradient check control: %s(%d,0) x (1 + 1e-4): worst %.2e at %s%n", p.name(),
                    1 % p.rows(), w.error(), w.at());
            assertTrue(w.error() > TOLERANCE, "a perturbed gradient of " + p.name() + " must fail: " + w);
            assertTrue(w.at().startsWith(p.name() + "("), "the check names the perturbed scalar: " + w);
        }
        dAnchor[2] *= 1 + 1e-4;
        Worst w = worstError(network, bptt, anchor, ringX, ringY, 2, dAnchor);
        System.out.printf("gradient check control: anchor[2] x (1 + 1e-4): worst %.2e at %s%n", w.error(), w.at());
        assertTrue(w.error() > TOLERANCE && w.at().equals("anchor[2]"), "a perturbed anchor gradient must fail: " + w);
    }

    private static void perturbBiases(Network network, SplittableRandom random) {
        // non-zero biases so that their gradients and every gate's derivative are exercised
        for (Parameter p : network.parameters()) {
            if (p.cols() == 1) {
                for (int i = 0; i < p.rows(); i++) {
                    p.set(i, 0, p.get(i, 0) + random.nextDouble(-0.3, 0.3));
                }
            }
        }
    }

    private static double[][] rotate(double[][] a, int start) {
        double[][] ring = new double[a.length][];
        for (int t = 0; t < a.length; t++) {
            ring[(start + t) % a.length] = a[t];
        }
        return ring;
    }

    static double error(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-3);
    }

    static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
