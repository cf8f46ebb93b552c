package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Backpropagation through time over one window of a {@link Network}: the forward pass from an anchor
 * state over {@code T} (input, target) pairs with the current weights, the window loss, and its exact
 * gradient with respect to every parameter and to the anchor.
 *
 * <p>The window loss is {@code (1/n) sum_{t >= T-n} l(o_t, y_t)} over its last {@code n} steps: {@code n = T}
 * for {@link LossSteps#ALL} (and {@link LossSteps#NEWEST} unless a count is given), {@code n = 1} for
 * {@link LossSteps#LAST}; the overloads with {@code lossSteps} take {@code n} explicitly. The anchor is a leaf: nothing flows past it,
 * which is exactly where truncated BPTT truncates.
 *
 * <p>Inputs and targets are read from ring buffers: step {@code t} uses
 * {@code inputs[(start + t) % inputs.length]}. Workspace grows to the longest window seen and is reused,
 * so it costs {@code O(T * L * (state + cache + 2 G H))} doubles per network, not per key.
 * The stack's forward and backward passes are {@link UnrolledStack}'s, as for {@link EncoderDecoderBptt} and
 * {@link FixedLagSmootherBptt}. Not thread-safe.
 */
public final class Bptt {
    private Network network;
    private LinearHead head;
    private final int top;
    private final UnrolledStack stack;
    private final double[][] anchor;
    /** Per layer, dL/d (state after step t), then, once through step t, dL/d (state after step t - 1). */
    private final double[][] carry;
    private final double[][] dState;
    private final double[] output;
    /** {@code dOut[t]}: scaled dL/d o of step t, where {@code hasLoss[t]}. */
    private double[][] dOut = new double[0][];
    private boolean[] hasLoss = new boolean[0];
    private int steps;

    public Bptt(Network network) {
        this.network = network;
        this.head = network.head();
        this.top = network.layers().size() - 1;
        this.stack = new UnrolledStack(network.layers());
        this.anchor = stack.newStateArrays();
        this.carry = stack.newStateArrays();
        this.dState = stack.newStateArrays();
        this.output = new double[head.outputSize()];
    }

    public Network network() {
        return network;
    }

    /**
     * Points this workspace at {@code other}, a network of the same configuration, so that many models
     * (one per key) can share one workspace instead of each holding its own.
     *
     * @throws IllegalArgumentException if {@code other}'s configuration differs
     */
    public void bind(Network other) {
        if (other == network) {
            return;
        }
        if (!other.config().equals(network.config())) {
            throw new IllegalArgumentException("a BPTT workspace for " + network.config()
                    + " cannot serve a network of " + other.config());
        }
        this.network = other;
        this.head = other.head();
        stack.bind(other.layers());
    }

    /**
     * The window loss, forward only. Leaves the forward pass in the workspace for
     * {@link #stateAfter}.
     *
     * @param anchorState flat state before the first step ({@link Network#stateSize()})
     * @param inputs      ring of inputs ({@code D} each); {@code targets} ring of targets ({@code O} each)
     * @param start       ring index of the first step; {@code steps} number of steps {@code T >= 1}
     */
    public double loss(double[] anchorState, double[][] inputs, double[][] targets, int start, int steps) {
        return forward(anchorState, inputs, targets, start, steps, configuredLossSteps(steps));
    }

    /** The window loss over its last {@code lossSteps} steps ({@code 1 <= lossSteps <= steps}), forward only. */
    public double loss(double[] anchorState, double[][] inputs, double[][] targets, int start, int steps,
                       int lossSteps) {
        return forward(anchorState, inputs, targets, start, steps, lossSteps);
    }

    /**
     * The window loss; adds its gradient to every parameter's gradient (callers zero them first when
     * they want this window's alone) and writes dL/d anchor to {@code dAnchor} if it is not null.
     */
    public double lossAndGradient(double[] anchorState, double[][] inputs, double[][] targets, int start,
                                  int steps, double[] dAnchor) {
        return lossAndGradient(anchorState, inputs, targets, start, steps, configuredLossSteps(steps), dAnchor);
    }

    /** As {@link #lossAndGradient(double[], double[][], double[][], int, int, double[])}, the loss over the last
     * {@code lossSteps} steps ({@code 1 <= lossSteps <= steps}). */
    public double lossAndGradient(double[] anchorState, double[][] inputs, double[][] targets, int start,
                                  int steps, int lossSteps, double[] dAnchor) {
        double loss = forward(anchorState, inputs, targets, start, steps, lossSteps);
        backward(dAnchor);
        return loss;
    }

    private int configuredLossSteps(int steps) {
        return network.config().lossSteps() == LossSteps.LAST ? 1 : steps;
    }

    /**
     * Writes the flat state after the first {@code k} steps of the last forward pass ({@code k = 0}:
     * the anchor) to {@code dst}.
     */
    public void stateAfter(int k, double[] dst) {
        stack.stateAfter(k, anchor, network, dst);
    }

    private double forward(double[] anchorState, double[][] inputs, double[][] targets, int start, int steps,
                           int lossSteps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a window needs at least one step, got " + steps);
        }
        if (lossSteps < 1 || lossSteps > steps) {
            throw new IllegalArgumentException("lossSteps must be in [1, " + steps + "], got " + lossSteps);
        }
        stack.runFrom(anchorState, network, anchor, inputs, start, steps);
        grow(steps);
        this.steps = steps;
        Loss loss = network.config().loss();
        double scale = lossSteps == 1 ? 1.0 : 1.0 / lossSteps;
        double total = 0.0;
        int ring = inputs.length;
        for (int t = 0; t < steps; t++) {
            hasLoss[t] = t >= steps - lossSteps;
            if (hasLoss[t]) {
                head.forward(stack.top(t), output);
                total += scale * loss.lossAndGradient(output, targets[(start + t) % ring], dOut[t], scale);
            }
        }
        return total;
    }

    private void backward(double[] dAnchor) {
        UnrolledStack.zero(carry);
        for (int t = steps - 1; t >= 0; t--) {
            UnrolledStack.copy(carry, dState);
            if (hasLoss[t]) {
                head.backward(stack.top(t), dOut[t], dState[top]);
            }
            stack.backward(t, dState, carry);
        }
        stack.accumulateWeightGradients();
        if (dAnchor != null) {
            Network.requireLength(dAnchor, network.stateSize(), "anchor gradient");
            network.writeFlat(carry, dAnchor);
        }
    }

    private void grow(int steps) {
        if (dOut.length < steps) {
            int old = dOut.length;
            dOut = Arrays.copyOf(dOut, Math.max(steps, 2 * old));
            hasLoss = new boolean[dOut.length];
            for (int t = old; t < dOut.length; t++) {
                dOut[t] = new double[head.outputSize()];
            }
        }
    }
}
