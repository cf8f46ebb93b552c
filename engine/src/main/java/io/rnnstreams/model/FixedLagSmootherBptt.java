package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Backpropagation through time of the {@link FixedLagSmoother} over one window: the forward stack from an anchor
 * over {@code T} inputs, a backward chain of {@code L} steps (from zero, newest reading first) for each loss
 * position, the window loss, and its exact gradient with respect to every parameter and to the anchor.
 *
 * <p>Window step {@code m} is <i>supervised</i> once its {@code L} successors are in the window: of {@code T}
 * steps the first {@code S = T - L} are. The loss is carried by the last {@code n} of them
 * ({@link #lossPositions}): {@code L_w = (1/n) sum_m 1/2 ||o_m - x_m||^2} with
 * {@code o_m = c + V [h^f_{m-1}; h^b_{m+1}]} ({@code f_{-1}} is the anchor). Backward: each chain from its last
 * step to its first (its zero initial state is a constant), the head's gradient on {@code h^f_{m-1}} injected
 * into the forward stack, which is then back-propagated to the anchor, a leaf. Not thread-safe.
 */
public final class FixedLagSmootherBptt implements ReadingWindowTrainer.Pass {
    private final FixedLagSmoother model;
    private final int depth;
    private final int lag;
    private final int hidden;
    private final UnrolledStack forward;
    private final UnrolledStack backward;
    private final double[][] anchor;
    private final double[][] zero;
    private final double[][] dState;
    private final double[][] carry;
    private final double[] joined;
    private final double[] dJoined;
    private final double[] output;
    private double[][] dOut = new double[0][];
    /** {@code injected[p]}: dL/d h^f_{m-1} of loss position p (H entries). */
    private double[][] injected = new double[0][];
    private int steps;
    private int first;
    private int positions;

    public FixedLagSmootherBptt(FixedLagSmoother model) {
        this.model = model;
        this.depth = model.forward().layers().size();
        this.lag = model.config().lag();
        this.hidden = model.topHidden();
        this.forward = new UnrolledStack(model.forward().layers());
        this.backward = new UnrolledStack(model.backward().layers());
        this.anchor = forward.newStateArrays();
        this.zero = forward.newStateArrays();
        this.dState = forward.newStateArrays();
        this.carry = forward.newStateArrays();
        this.joined = new double[2 * hidden];
        this.dJoined = new double[2 * hidden];
        this.output = new double[model.head().outputSize()];
    }

    /** Supervised steps of a window of {@code steps} inputs: {@code max(0, steps - L)}. */
    public int supervised(int steps) {
        return Math.max(0, steps - lag);
    }

    /** As {@link EncoderDecoderBptt#lossPositions}, with {@code S = T - L}. */
    public int lossPositions(int steps, int pushed) {
        return model.config().network().lossSteps().positions(supervised(steps), pushed);
    }

    /** The window loss, forward only; leaves the forward pass for {@link #stateAfter}. */
    public double loss(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions) {
        return forward(anchorState, inputs, start, steps, lossPositions);
    }

    /** The window loss; adds its gradient to the parameters' and writes dL/d anchor to {@code dAnchor} if not null. */
    public double lossAndGradient(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions,
                                  double[] dAnchor) {
        double loss = forward(anchorState, inputs, start, steps, lossPositions);
        backward(dAnchor);
        return loss;
    }

    /** Writes the flat forward state after the first {@code k} steps of the last forward pass ({@code 0}: the anchor). */
    public void stateAfter(int k, double[] dst) {
        forward.stateAfter(k, anchor, model.forward(), dst);
    }

    private double[] forwardTop(int m) {
        return m == 0 ? anchor[depth - 1] : forward.top(m - 1);
    }

    private double forward(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions) {
        int supervised = supervised(steps);
        if (supervised < 1) {
            throw new IllegalArgumentException("a smoothing window needs more than L = " + lag + " steps, got " + steps);
        }
        if (lossPositions < 1 || lossPositions > supervised) {
            throw new IllegalArgumentException("lossPositions must be in [1, " + supervised + "], got " + lossPositions);
        }
        forward.runFrom(anchorState, model.forward(), anchor, inputs, start, steps);
        this.steps = steps;
        this.positions = lossPositions;
        this.first = supervised - lossPositions;
        int ring = inputs.length;
        backward.reset();
        grow(lossPositions);
        Loss loss = model.config().network().loss();
        double scale = 1.0 / lossPositions;
        double total = 0.0;
        for (int p = 0; p < lossPositions; p++) {
            int m = first + p;
            double[][] prev = zero;
            for (int j = lag; j >= 1; j--) {
                backward.forward(inputs[(start + m + j) % ring], prev);
                prev = backward.states(backward.steps() - 1);
            }
            int q = backward.steps() - 1;
            System.arraycopy(forwardTop(m), 0, joined, 0, hidden);
            System.arraycopy(backward.top(q), 0, joined, hidden, hidden);
            model.head().forward(joined, output);
            total += scale * loss.lossAndGradient(output, inputs[(start + m) % ring], dOut[p], scale);
        }
        return total;
    }

    private void backward(double[] dAnchor) {
        int top = depth - 1;
        for (int p = positions - 1; p >= 0; p--) {
            int m = first + p;
            int last = (p + 1) * lag - 1;
            System.arraycopy(forwardTop(m), 0, joined, 0, hidden);
            System.arraycopy(backward.top(last), 0, joined, hidden, hidden);
            Arrays.fill(dJoined, 0.0);
            model.head().backward(joined, dOut[p], dJoined);
            System.arraycopy(dJoined, 0, injected[p], 0, hidden);
            UnrolledStack.zero(carry);
            for (int q = last; q > last - lag; q--) {
                UnrolledStack.copy(carry, dState);
                if (q == last) {
                    for (int i = 0; i < hidden; i++) {
                        dState[top][i] += dJoined[hidden + i];
                    }
                }
                backward.backward(q, dState, carry);
            }
        }
        backward.accumulateWeightGradients();
        UnrolledStack.zero(carry);
        for (int t = steps - 1; t >= 0; t--) {
            UnrolledStack.copy(carry, dState);
            int p = t + 1 - first; // f_t feeds position m = t + 1
            if (p >= 0 && p < positions) {
                Kernels.axpy(1.0, injected[p], dState[top]);
            }
            forward.backward(t, dState, carry);
        }
        forward.accumulateWeightGradients();
        if (first == 0) {
            Kernels.axpy(1.0, injected[0], carry[top]); // position m = 0 reads the anchor itself
        }
        if (dAnchor != null) {
            Network network = model.forward();
            Network.requireLength(dAnchor, network.stateSize(), "anchor gradient");
            network.writeFlat(carry, dAnchor);
        }
    }

    private void grow(int lossPositions) {
        if (dOut.length < lossPositions) {
            int old = dOut.length;
            dOut = Arrays.copyOf(dOut, Math.max(lossPositions, 2 * old));
            injected = Arrays.copyOf(injected, dOut.length);
            for (int p = old; p < dOut.length; p++) {
                dOut[p] = new double[model.head().outputSize()];
                injected[p] = new double[hidden];
            }
        }
    }

}
