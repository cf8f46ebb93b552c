package io.rnnstreams.model;

import java.util.List;

/**
 * A prototype, for {@code io.rnnstreams.bench.BatchedTrainingBenchmark} only (branch {@code batch18}): truncated BPTT
 * over {@code B} windows of one network at once, and one guarded optimizer step for all of them. Not used by the
 * application; it measures what a training step batched over the keys of a task would save.
 *
 * <p>The {@code B} windows are unrolled into one {@link UnrolledStack} (the engine's forward and backward passes),
 * time-major: step {@code q = t B + b} is window {@code b}'s step {@code t}, from window {@code b}'s step
 * {@code t - 1} (or its anchor), so the layers' weights serve all {@code B} windows at each time step before the
 * next. Backward runs each window's chain in reverse with its own carry, and the {@code Wx}/{@code Wh} gradients
 * are formed once over all {@code B T} steps ({@link WindowGradients}). The loss is the <em>sum</em> of the
 * windows' losses as {@link Bptt} defines each one, so the gradient is the sum of the {@code B} single-window
 * gradients (equal up to the order of additions; {@code BatchedBpttTest}).
 *
 * <p>Every window must hold the same number of pairs and lose on the same newest {@code lossSteps}. Not
 * thread-safe.
 */
public final class BatchedBptt {
    private final Network network;
    private final LinearHead head;
    private final int top;
    private final int batch;
    private final UnrolledStack stack;
    private final double[][][] anchors;
    private final double[][][] carry;
    private final double[][] dState;
    private final double[] output;
    private double[][] dOut = new double[0][];
    private boolean[] hasLoss = new boolean[0];
    private final GuardedUpdate update;
    private final Bptt single;
    private int steps;

    /**
     * @param model the model whose network is trained (its own optimizer is not used: this prototype steps an
     *              optimizer of the model's configuration over the same parameters)
     * @param batch {@code B}, the windows trained at once
     */
    public BatchedBptt(Model model, int batch) {
        this.network = model.network();
        this.head = network.head();
        this.top = network.layers().size() - 1;
        this.batch = batch;
        this.stack = new UnrolledStack(network.layers());
        this.anchors = new double[batch][][];
        this.carry = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            anchors[b] = stack.newStateArrays();
            carry[b] = stack.newStateArrays();
        }
        this.dState = stack.newStateArrays();
        this.output = new double[head.outputSize()];
        List<Parameter> parameters = network.parameters();
        LearnerConfig config = model.config();
        this.single = new Bptt(network);
        this.update = new GuardedUpdate(parameters, config.optimizer(), config.clipping());
    }

    /**
     * One batched training, what {@link Model#train} does for one window: zero the gradients, the batched
     * forward and backward pass, move every window's anchor, one guarded optimizer step.
     *
     * @return whether the step was applied
     */
    public boolean train(TbpttWindow[] windows) {
        network.zeroGradients();
        int lossSteps = network.config().lossSteps().positions(windows[0].count(), windows[0].pushesSinceUpdate());
        double loss = lossAndGradient(windows, lossSteps);
        for (int b = 0; b < batch; b++) {
            int window = b;
            windows[b].advanceAnchor((k, dst) -> network.writeFlat(k == 0 ? anchors[window] : stack.states(
                    (k - 1) * batch + window), dst));
        }
        return update.apply(loss);
    }

    /**
     * The sum over the windows of each one's loss over its newest {@code lossSteps} pairs ({@link Bptt}'s window
     * loss); adds its gradient to every parameter's gradient.
     */
    public double lossAndGradient(TbpttWindow[] windows, int lossSteps) {
        if (windows.length != batch) {
            throw new IllegalArgumentException("expected " + batch + " windows, got " + windows.length);
        }
        int t0 = windows[0].count();
        for (TbpttWindow w : windows) {
            if (w.count() != t0) {
                throw new IllegalArgumentException("windows of " + t0 + " and " + w.count() + " pairs");
            }
        }
        steps = t0;
        grow(steps * batch);
        stack.reset();
        for (int b = 0; b < batch; b++) {
            network.readFlat(windows[b].anchor, anchors[b]);
        }
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                TbpttWindow w = windows[b];
                stack.forward(w.inputs[(w.head() + t) % w.inputs.length], t == 0 ? anchors[b]
                        : stack.states((t - 1) * batch + b));
            }
        }
        Loss loss = network.config().loss();
        double scale = lossSteps == 1 ? 1.0 : 1.0 / lossSteps;
        double total = 0.0;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int q = t * batch + b;
                hasLoss[q] = t >= steps - lossSteps;
                if (hasLoss[q]) {
                    TbpttWindow w = windows[b];
                    head.forward(stack.top(q), output);
                    total += scale * loss.lossAndGradient(output, w.targets[(w.head() + t) % w.targets.length],
                            dOut[q], scale);
                }
            }
        }
        for (int b = 0; b < batch; b++) {
            UnrolledStack.zero(carry[b]);
        }
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                int q = t * batch + b;
                UnrolledStack.copy(carry[b], dState);
                if (hasLoss[q]) {
                    head.backward(stack.top(q), dOut[q], dState[top]);
                }
                stack.backward(q, dState, carry[b]);
            }
        }
        stack.accumulateWeightGradients();
        return total;
    }

    /** Zeroes every parameter's gradient (for tests). */
    public void zeroGradients() {
        network.zeroGradients();
    }

    /** Every parameter's gradient, flat in parameter order. */
    public double[] gradients() {
        double[] g = new double[network.parameterCount()];
        network.writeGradients(g);
        return g;
    }

    /**
     * Adds the single-window gradient of each window, one {@link Bptt} pass each (what {@link Model#train}
     * computes), to every parameter's gradient; the reference for {@link #lossAndGradient}. Returns the summed loss.
     */
    public double sumOfSingleWindowGradients(TbpttWindow[] windows, int lossSteps) {
        double total = 0.0;
        for (TbpttWindow w : windows) {
            total += single.lossAndGradient(w.anchor, w.inputs, w.targets, w.head(), w.count(), lossSteps, null);
        }
        return total;
    }

    private void grow(int needed) {
        if (dOut.length < needed) {
            dOut = new double[needed][head.outputSize()];
            hasLoss = new boolean[needed];
        }
    }
}
