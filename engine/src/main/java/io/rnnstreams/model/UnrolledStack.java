package io.rnnstreams.model;

import java.util.Arrays;
import java.util.List;

/**
 * The unrolled graph of one stack of {@link RecurrentLayer}s: a numbered list of recorded steps, each from
 * an explicit previous state (so chains may branch: every decoder chain of {@link EncoderDecoderBptt}
 * starts from some encoder state), and the exact backward pass through any recorded step.
 *
 * <p>Step {@code q} reads an input {@code x_q} (layer 0's, {@code I} entries) and, per layer {@code l}, a
 * previous state {@code prev[l]} ({@code stateSize} entries, referenced, not copied: the caller keeps it
 * unchanged until the backward pass), and records layer {@code l}'s next state {@link #state(int, int)},
 * the cell's cache, and references to what {@code Wx} and {@code Wh} multiplied. Backward, the caller
 * presents dL/d (state of step q) for every layer and receives dL/d prev for every layer; the
 * pre-activation gradients are kept so that {@link #accumulateWeightGradients} forms every
 * {@code Wx}/{@code Wh} gradient over all steps at once ({@link WindowGradients}), in step order.
 *
 * <p>Workspace grows to the most steps recorded and is reused. Not thread-safe.
 */
final class UnrolledStack {
    private List<RecurrentLayer> layers;
    private final int depth;
    private int capacity;
    private int steps;
    /** {@code states[q][l]}, {@code caches[q][l]}. */
    private double[][][] states;
    private double[][][] caches;
    /** {@code prev[q][l]}: reference to layer l's previous state at step q. */
    private double[][][] prev;
    /** {@code gx[l][q]}, {@code gh[l][q]}; {@code input[l][q]}, {@code prevH[l][q]} references. */
    private double[][][] gx;
    private double[][][] gh;
    private double[][][] input;
    private double[][][] prevH;
    private final double[][] ax;
    private final double[][] ah;
    private final double[][] dInput;

    UnrolledStack(List<RecurrentLayer> layers) {
        this.layers = layers;
        this.depth = layers.size();
        ax = new double[depth][];
        ah = new double[depth][];
        dInput = new double[depth][];
        for (int l = 0; l < depth; l++) {
            ax[l] = new double[layers.get(l).gateRows()];
            ah[l] = new double[layers.get(l).gateRows()];
            dInput[l] = new double[layers.get(l).inputSize()];
        }
        grow(1);
    }

    /** Points this workspace at other layers of the same shapes (another model of the same configuration). */
    void bind(List<RecurrentLayer> other) {
        this.layers = other;
    }

    /** Forgets every recorded step. */
    void reset() {
        steps = 0;
    }

    /** Steps recorded since {@link #reset}. */
    int steps() {
        return steps;
    }

    /** Layer {@code l}'s state after recorded step {@code q} (the workspace's array: read only). */
    double[] state(int q, int l) {
        return states[q][l];
    }

    /** Every layer's state after step {@code q}, indexed by layer (the workspace's arrays: read only). */
    double[][] states(int q) {
        return states[q];
    }

    /** The top layer's state after step {@code q}; its first {@code H} entries are the output {@code h}. */
    double[] top(int q) {
        return states[q][depth - 1];
    }

    /**
     * Records one step of the stack from {@code prevStates[l]} with input {@code x}.
     *
     * @return the step's number {@code q}
     */
    int forward(double[] x, double[][] prevStates) {
        grow(steps + 1);
        int q = steps++;
        double[] in = x;
        for (int l = 0; l < depth; l++) {
            input[l][q] = in;
            prev[q][l] = prevStates[l];
            prevH[l][q] = prevStates[l];
            layers.get(l).forward(in, prevStates[l], states[q][l], ax[l], ah[l], caches[q][l]);
            in = states[q][l];
        }
        return q;
    }

    /**
     * Back-propagates through step {@code q}.
     *
     * @param dState per layer, dL/d (layer l's state after step q), everything that flows into it from later
     *               steps and heads; used as scratch (overwritten)
     * @param dPrev  per layer, receives dL/d (layer l's previous state at step q) (overwritten)
     */
    void backward(int q, double[][] dState, double[][] dPrev) {
        for (int l = depth - 1; l >= 0; l--) {
            layers.get(l).backward(prev[q][l], states[q][l], caches[q][l], dState[l], gx[l][q], gh[l][q], dPrev[l],
                    l > 0 ? dInput[l] : null);
            if (l > 0) {
                Kernels.axpy(1.0, dInput[l], dState[l - 1]);
            }
        }
    }

    /** Adds every recorded step's {@code Wx} and {@code Wh} gradients to the layers' gradients. */
    void accumulateWeightGradients() {
        for (int l = 0; l < depth; l++) {
            RecurrentLayer layer = layers.get(l);
            WindowGradients.forShape(layer.gateRows(), layer.inputSize(), steps)
                    .accumulate(layer.wx.grad, gx[l], input[l], steps);
            WindowGradients.forShape(layer.gateRows(), layer.hiddenSize(), steps)
                    .accumulate(layer.wh.grad, gh[l], prevH[l], steps);
        }
    }

    /**
     * Forgets every step, copies flat {@code anchorState} (laid out as {@code layout}) into {@code anchor} and records
     * {@code steps} steps from it, step {@code t} reading {@code inputs[(start + t) % inputs.length]}.
     */
    void runFrom(double[] anchorState, Network layout, double[][] anchor, double[][] inputs, int start, int steps) {
        Network.requireLength(anchorState, layout.stateSize(), "anchor state");
        layout.readFlat(anchorState, anchor);
        reset();
        int ring = inputs.length;
        double[][] prev = anchor;
        for (int t = 0; t < steps; t++) {
            forward(inputs[(start + t) % ring], prev);
            prev = states(t);
        }
    }

    /**
     * Writes the flat state (laid out as {@code layout}) after the first {@code k} recorded steps to {@code dst};
     * {@code k = 0}: {@code anchor}.
     */
    void stateAfter(int k, double[][] anchor, Network layout, double[] dst) {
        if (k < 0 || k > steps) {
            throw new IllegalArgumentException("k must be in [0, " + steps + "], got " + k);
        }
        layout.writeFlat(k == 0 ? anchor : states[k - 1], dst);
    }

    /** Per layer, a zeroed array of its state size. */
    double[][] newStateArrays() {
        double[][] a = new double[depth][];
        for (int l = 0; l < depth; l++) {
            a[l] = new double[layers.get(l).stateSize()];
        }
        return a;
    }

    /** Copies every row of {@code src} into the same row of {@code dst}. */
    static void copy(double[][] src, double[][] dst) {
        for (int l = 0; l < src.length; l++) {
            System.arraycopy(src[l], 0, dst[l], 0, src[l].length);
        }
    }

    static void zero(double[][] a) {
        for (double[] row : a) {
            Arrays.fill(row, 0.0);
        }
    }

    private void grow(int needed) {
        if (needed <= capacity) {
            return;
        }
        int newCapacity = Math.max(needed, capacity * 2);
        states = Arrays.copyOf(states == null ? new double[0][][] : states, newCapacity);
        caches = Arrays.copyOf(caches == null ? new double[0][][] : caches, newCapacity);
        prev = Arrays.copyOf(prev == null ? new double[0][][] : prev, newCapacity);
        if (gx == null) {
            gx = new double[depth][][];
            gh = new double[depth][][];
            input = new double[depth][][];
            prevH = new double[depth][][];
            for (int l = 0; l < depth; l++) {
                gx[l] = new double[0][];
                gh[l] = new double[0][];
                input[l] = new double[0][];
                prevH[l] = new double[0][];
            }
        }
        for (int l = 0; l < depth; l++) {
            gx[l] = Arrays.copyOf(gx[l], newCapacity);
            gh[l] = Arrays.copyOf(gh[l], newCapacity);
            input[l] = Arrays.copyOf(input[l], newCapacity);
            prevH[l] = Arrays.copyOf(prevH[l], newCapacity);
        }
        for (int q = capacity; q < newCapacity; q++) {
            states[q] = new double[depth][];
            caches[q] = new double[depth][];
            prev[q] = new double[depth][];
            for (int l = 0; l < depth; l++) {
                RecurrentLayer layer = layers.get(l);
                states[q][l] = new double[layer.stateSize()];
                caches[q][l] = new double[layer.cacheSize()];
                gx[l][q] = new double[layer.gateRows()];
                gh[l][q] = new double[layer.gateRows()];
            }
        }
        capacity = newCapacity;
    }
}
