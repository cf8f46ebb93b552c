package io.rnnstreams.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One recurrent layer: a {@link RecurrentCell}'s gate equations between two affine maps,
 * {@code ax = Wx x + bx} ({@code Wx: G*H x I}) and {@code ah = Wh h_prev + bh} ({@code Wh: G*H x H};
 * {@code bh} only where the cell has one). Weights are shared by every step of the unrolled graph.
 */
public final class RecurrentLayer {
    private final RecurrentCell cell;
    private final int inputSize;
    private final int hidden;
    private final int gateRows;
    final Parameter wx;
    final Parameter wh;
    final Parameter bx;
    final Parameter bh;
    private final List<Parameter> parameters;

    RecurrentLayer(String name, RecurrentCell cell, int inputSize, int hidden) {
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gateRows = cell.gates() * hidden;
        this.wx = new Parameter(name + ".Wx", gateRows, inputSize);
        this.wh = new Parameter(name + ".Wh", gateRows, hidden);
        this.bx = new Parameter(name + ".bx", gateRows, 1);
        this.bh = cell.hasRecurrentBias() ? new Parameter(name + ".bh", gateRows, 1) : null;
        List<Parameter> ps = new ArrayList<>(List.of(wx, wh, bx));
        if (bh != null) {
            ps.add(bh);
        }
        this.parameters = Collections.unmodifiableList(ps);
    }

    public RecurrentCell cell() {
        return cell;
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hidden;
    }

    /** {@code G*H}: rows of {@code Wx}, {@code Wh} and the biases. */
    public int gateRows() {
        return gateRows;
    }

    public int stateSize() {
        return cell.stateSize(hidden);
    }

    public int cacheSize() {
        return cell.cacheSize(hidden);
    }

    /** Wx, Wh, bx and, for a GRU, bh, in that order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * One step: {@code next = cell(Wx x + bx, Wh prev_h + bh, prev)}.
     *
     * @param x  the layer input, at least {@code I} entries (extra ignored)
     * @param ax scratch of {@code G*H}; {@code ah} likewise
     */
    void forward(double[] x, double[] prev, double[] next, double[] ax, double[] ah, double[] cache) {
        System.arraycopy(bx.value[0], 0, ax, 0, gateRows);
        Kernels.multiplyAdd(wx.value, x, ax);
        if (bh != null) {
            System.arraycopy(bh.value[0], 0, ah, 0, gateRows);
        } else {
            java.util.Arrays.fill(ah, 0, gateRows, 0.0);
        }
        Kernels.multiplyAdd(wh.value, prev, ah);
        cell.forward(hidden, ax, ah, prev, next, cache);
    }

    /**
     * Backward through one step, except the {@code Wx}/{@code Wh} gradients, which the caller forms
     * from {@code gx}, {@code gh} over the whole window ({@link WindowGradients}).
     *
     * @param dNext dL/d next state
     * @param gx    receives dL/d ax; {@code gh} receives dL/d ah
     * @param dPrev receives dL/d prev state
     * @param dx    if not null, receives dL/d x (overwritten, {@code I} entries)
     */
    void backward(double[] prev, double[] next, double[] cache, double[] dNext,
                  double[] gx, double[] gh, double[] dPrev, double[] dx) {
        cell.backward(hidden, prev, next, cache, dNext, gx, gh, dPrev);
        Kernels.transposeMultiplyAdd(wh.value, gh, dPrev);
        Kernels.axpy(1.0, gx, bx.grad[0]);
        if (bh != null) {
            Kernels.axpy(1.0, gh, bh.grad[0]);
        }
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, inputSize, 0.0);
            Kernels.transposeMultiplyAdd(wx.value, gx, dx);
        }
    }
}
