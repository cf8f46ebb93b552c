package io.rnnstreams.model;

import java.util.Arrays;
import java.util.List;

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
 * Not thread-safe.
 */
public final class Bptt {
    private Network network;
    private List<RecurrentLayer> layers;
    private LinearHead head;
    private final int depth;

    private int capacity;
    /** {@code states[t][l]}: layer l's state after step t. */
    private double[][][] states;
    private double[][][] caches;
    /** {@code gx[l][t]}, {@code gh[l][t]}: dL/d(Wx x + bx), dL/d(Wh h + bh) of layer l at step t. */
    private double[][][] gx;
    private double[][][] gh;
    /** {@code layerInput[l][t]}, {@code layerPrevH[l][t]}: references to what Wx and Wh multiplied. */
    private double[][][] layerInput;
    private double[][][] layerPrevH;
    private double[][] dOut;
    private boolean[] hasLoss;
    private int steps;

    private final double[][] anchor;
    private final double[][] ax;
    private final double[][] ah;
    private final double[][] carry;
    private final double[][] dNext;
    private final double[][] dInput;
    private final double[] output;

    public Bptt(Network network) {
        this.network = network;
        this.layers = network.layers();
        this.head = network.head();
        this.depth = layers.size();
        anchor = new double[depth][];
        ax = new double[depth][];
        ah = new double[depth][];
        carry = new double[depth][];
        dNext = new double[depth][];
        dInput = new double[depth][];
        for (int l = 0; l < depth; l++) {
            RecurrentLayer layer = layers.get(l);
            anchor[l] = new double[layer.stateSize()];
            ax[l] = new double[layer.gateRows()];
            ah[l] = new double[layer.gateRows()];
            carry[l] = new double[layer.stateSize()];
            dNext[l] = new double[layer.stateSize()];
            dInput[l] = new double[layer.inputSize()];
        }
        output = new double[head.outputSize()];
        ensureCapacity(1);
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
        this.layers = other.layers();
        this.head = other.head();
    }

    private void ensureCapacity(int t) {
        if (t <= capacity) {
            return;
        }
        capacity = Math.max(t, capacity * 2);
        int outputs = head.outputSize();
        states = new double[capacity][depth][];
        caches = new double[capacity][depth][];
        gx = new double[depth][capacity][];
        gh = new double[depth][capacity][];
        layerInput = new double[depth][capacity][];
        layerPrevH = new double[depth][capacity][];
        dOut = new double[capacity][outputs];
        hasLoss = new boolean[capacity];
        for (int s = 0; s < capacity; s++) {
            for (int l = 0; l < depth; l++) {
                RecurrentLayer layer = layers.get(l);
                states[s][l] = new double[layer.stateSize()];
                caches[s][l] = new double[layer.cacheSize()];
                gx[l][s] = new double[layer.gateRows()];
                gh[l][s] = new double[layer.gateRows()];
            }
        }
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
        if (k < 0 || k > steps) {
            throw new IllegalArgumentException("k must be in [0, " + steps + "], got " + k);
        }
        for (int l = 0; l < depth; l++) {
            double[] src = k == 0 ? anchor[l] : states[k - 1][l];
            System.arraycopy(src, 0, dst, network.stateOffset(l), src.length);
        }
    }

    private double forward(double[] anchorState, double[][] inputs, double[][] targets, int start, int steps,
                           int lossSteps) {
        if (steps < 1) {
            throw new IllegalArgumentException("a window needs at least one step, got " + steps);
        }
        if (lossSteps < 1 || lossSteps > steps) {
            throw new IllegalArgumentException("lossSteps must be in [1, " + steps + "], got " + lossSteps);
        }
        Network.requireLength(anchorState, network.stateSize(), "anchor state");
        ensureCapacity(steps);
        this.steps = steps;
        for (int l = 0; l < depth; l++) {
            System.arraycopy(anchorState, network.stateOffset(l), anchor[l], 0, anchor[l].length);
        }
        Loss loss = network.config().loss();
        double scale = lossSteps == 1 ? 1.0 : 1.0 / lossSteps;
        double total = 0.0;
        int ring = inputs.length;
        for (int t = 0; t < steps; t++) {
            int slot = (start + t) % ring;
            double[] input = inputs[slot];
            for (int l = 0; l < depth; l++) {
                double[] prev = t == 0 ? anchor[l] : states[t - 1][l];
                layerInput[l][t] = input;
                layerPrevH[l][t] = prev;
                layers.get(l).forward(input, prev, states[t][l], ax[l], ah[l], caches[t][l]);
                input = states[t][l];
            }
            hasLoss[t] = t >= steps - lossSteps;
            if (hasLoss[t]) {
                head.forward(input, output);
                total += scale * loss.lossAndGradient(output, targets[slot], dOut[t], scale);
            }
        }
        return total;
    }

    private void backward(double[] dAnchor) {
        int top = depth - 1;
        for (int l = 0; l < depth; l++) {
            Arrays.fill(carry[l], 0.0);
        }
        for (int t = steps - 1; t >= 0; t--) {
            System.arraycopy(carry[top], 0, dNext[top], 0, carry[top].length);
            if (hasLoss[t]) {
                head.backward(states[t][top], dOut[t], dNext[top]);
            }
            for (int l = top; l >= 0; l--) {
                RecurrentLayer layer = layers.get(l);
                double[] prev = t == 0 ? anchor[l] : states[t - 1][l];
                layer.backward(prev, states[t][l], caches[t][l], dNext[l], gx[l][t], gh[l][t], carry[l],
                        l > 0 ? dInput[l] : null);
                if (l > 0) {
                    System.arraycopy(carry[l - 1], 0, dNext[l - 1], 0, carry[l - 1].length);
                    Kernels.axpy(1.0, dInput[l], dNext[l - 1]);
                }
            }
        }
        for (int l = 0; l < depth; l++) {
            RecurrentLayer layer = layers.get(l);
            WindowGradients.forShape(layer.gateRows(), layer.inputSize(), steps)
                    .accumulate(layer.wx.grad, gx[l], layerInput[l], steps);
            WindowGradients.forShape(layer.gateRows(), layer.hiddenSize(), steps)
                    .accumulate(layer.wh.grad, gh[l], layerPrevH[l], steps);
        }
        if (dAnchor != null) {
            Network.requireLength(dAnchor, network.stateSize(), "anchor gradient");
            for (int l = 0; l < depth; l++) {
                System.arraycopy(carry[l], 0, dAnchor, network.stateOffset(l), carry[l].length);
            }
        }
    }
}
