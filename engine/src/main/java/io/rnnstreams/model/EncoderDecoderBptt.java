package io.rnnstreams.model;

import java.util.Arrays;

/**
 * Backpropagation through time of the {@link EncoderDecoder} over one window: the encoder's forward pass from
 * an anchor state over {@code T} inputs, a decoder chain of {@code N} steps from each loss position's encoder
 * state, the window loss, and its exact gradient with respect to every parameter and to the anchor.
 *
 * <p><b>Targets come from the window itself</b>: the readings {@code x_{t+1..t+N}} that follow encoder step
 * {@code t} are the targets of its decoder chain (minus {@code x_t} in residual mode), so a step is
 * <i>supervised</i> only once {@code N} more readings are in the window: of {@code T} steps, the first
 * {@code S = T - N} are. The loss is carried by the last {@code n} supervised steps
 * ({@code 1 <= n <= S}, see {@link #lossPositions}):
 * {@code L = (1 / (n N)) sum_{t = S-n}^{S-1} sum_{h=1}^{N} 1/2 ||o_{t,h} - y_{t,h}||^2}. With a
 * {@link HorizonCorrection} set ({@link #base}), {@code y_{t,h} = x_{t+h} - b_{t,h}}, its base forecast, a constant of
 * the loss.
 *
 * <p>Backward: each decoder chain is back-propagated from its last step to its first, the gradient reaching
 * its initial state is injected into the encoder state it started from, then the encoder is back-propagated
 * from its last step to the anchor, a leaf (where truncated BPTT truncates). Weight gradients are formed over
 * all steps of each stack at once ({@link UnrolledStack}). Workspace grows to the largest window and
 * {@code n N} decoder steps seen and is reused. Not thread-safe.
 */
public final class EncoderDecoderBptt implements ReadingWindowTrainer.Pass {
    private EncoderDecoder model;
    private LinearHead head;
    private final int depth;
    private final int horizon;
    private final boolean residual;
    private final boolean lagInputs;
    private final int lead;
    private final UnrolledStack encoder;
    private final UnrolledStack decoder;
    private final double[][] anchor;
    private final double[][] dState;
    private final double[][] carry;
    private final double[] output;
    private final double[] target;
    private final double[] base;
    /** The base of the corrected forecaster's targets, or null (targets relative to {@code x_t} or 0). */
    private HorizonCorrection correction;
    /** {@code decoderInput[q]}: decoder step q's input {@code [x_t; x_{t+h-N}]} (with lag inputs only). */
    private double[][] decoderInput = new double[0][];
    /** {@code dOut[q]}: scaled dL/d o of decoder step q. */
    private double[][] dOut = new double[0][];
    /** {@code injected[p][l]}: dL/d (encoder state of loss position p, layer l) through its decoder chain. */
    private double[][][] injected = new double[0][][];
    private int steps;
    private int first;
    private int positions;

    public EncoderDecoderBptt(EncoderDecoder model) {
        this.model = model;
        this.head = model.decoder().head();
        this.depth = model.encoder().layers().size();
        this.horizon = model.config().horizon();
        this.residual = model.config().learner().residual();
        this.lagInputs = model.config().lagInputs();
        this.lead = model.config().lead();
        this.encoder = new UnrolledStack(model.encoder().layers());
        this.decoder = new UnrolledStack(model.decoder().layers());
        this.anchor = encoder.newStateArrays();
        this.dState = encoder.newStateArrays();
        this.carry = encoder.newStateArrays();
        this.output = new double[head.outputSize()];
        this.target = new double[head.outputSize()];
        this.base = new double[head.outputSize()];
    }

    /**
     * Sets the corrected forecaster's base for the following passes ({@code null}: none): the targets become
     * {@code x_{t+h} - b_{t,h}}.
     */
    void base(HorizonCorrection correction) {
        this.correction = correction;
    }

    /**
     * Points this workspace at {@code other}, a model of the same configuration, so that many models (one per
     * key) can share one workspace.
     *
     * @throws IllegalArgumentException if {@code other}'s configuration differs
     */
    public void bind(EncoderDecoder other) {
        if (other == model) {
            return;
        }
        if (!other.config().equals(model.config())) {
            throw new IllegalArgumentException("a seq2seq BPTT workspace for " + model.config()
                    + " cannot serve a model of " + other.config());
        }
        this.model = other;
        this.head = other.decoder().head();
        encoder.bind(other.encoder().layers());
        decoder.bind(other.decoder().layers());
    }

    /**
     * Supervised steps of a window of {@code steps} inputs: {@code max(0, steps - N - lead)}, steps
     * {@code lead .. steps - N - 1} ({@code lead = N - 1} with lag inputs, whose decoders read the {@code N - 1}
     * readings before their step; else 0).
     */
    public int supervised(int steps) {
        return Math.max(0, steps - horizon - lead);
    }

    /**
     * The loss positions {@code n} the network's {@link LossSteps} ask for in a window of {@code steps} inputs of
     * which {@code pushed} arrived since the previous training: ALL, every supervised step; LAST, the newest;
     * NEWEST, the steps that became supervised since the previous training ({@code min(S, max(1, pushed))}).
     * 0 when no step is supervised yet.
     */
    public int lossPositions(int steps, int pushed) {
        return model.config().network().lossSteps().positions(supervised(steps), pushed);
    }

    /**
     * The window loss, forward only; leaves the forward pass in the workspace for {@link #stateAfter}.
     *
     * @param anchorState   flat encoder state before the first step
     * @param inputs        ring of inputs ({@code D} each); step {@code t} reads {@code inputs[(start + t) % length]}
     * @param steps         {@code T}, with {@code T > N}
     * @param lossPositions {@code n} in {@code [1, T - N]}
     */
    public double loss(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions) {
        return forward(anchorState, inputs, start, steps, lossPositions);
    }

    /**
     * The window loss; adds its gradient to every parameter's gradient (callers zero them first) and writes
     * dL/d anchor to {@code dAnchor} if it is not null.
     */
    public double lossAndGradient(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions,
                                  double[] dAnchor) {
        double loss = forward(anchorState, inputs, start, steps, lossPositions);
        backward(dAnchor);
        return loss;
    }

    /** Writes the flat encoder state after the first {@code k} steps of the last forward pass ({@code 0}: the anchor). */
    public void stateAfter(int k, double[] dst) {
        encoder.stateAfter(k, anchor, model.encoder(), dst);
    }

    private double forward(double[] anchorState, double[][] inputs, int start, int steps, int lossPositions) {
        int supervised = supervised(steps);
        if (supervised < 1) {
            throw new IllegalArgumentException("a seq2seq window needs more than N + lead = " + (horizon + lead)
                    + " steps, got " + steps);
        }
        if (lossPositions < 1 || lossPositions > supervised) {
            throw new IllegalArgumentException("lossPositions must be in [1, " + supervised + "], got " + lossPositions);
        }
        encoder.runFrom(anchorState, model.encoder(), anchor, inputs, start, steps);
        this.steps = steps;
        this.positions = lossPositions;
        this.first = lead + supervised - lossPositions;
        int ring = inputs.length;
        decoder.reset();
        growDecoder(lossPositions * horizon);
        Loss loss = model.config().network().loss();
        double scale = 1.0 / ((double) lossPositions * horizon);
        double total = 0.0;
        for (int p = 0; p < lossPositions; p++) {
            int t = first + p;
            double[] context = inputs[(start + t) % ring];
            double[][] prev = encoder.states(t);
            for (int h = 1; h <= horizon; h++) {
                double[] in = context;
                if (lagInputs) {
                    in = decoderInput[p * horizon + h - 1];
                    EncoderDecoder.writeDecoderInput(true, context, inputs[(start + t + h - horizon) % ring], in);
                }
                int q = decoder.forward(in, prev);
                prev = decoder.states(q);
                head.forward(decoder.top(q), output);
                double[] future = inputs[(start + t + h) % ring];
                if (correction != null) {
                    correction.base(inputs, start, t, h, base);
                    for (int i = 0; i < target.length; i++) {
                        target[i] = future[i] - base[i];
                    }
                } else {
                    for (int i = 0; i < target.length; i++) {
                        target[i] = residual ? future[i] - context[i] : future[i];
                    }
                }
                total += scale * loss.lossAndGradient(output, target, dOut[q], scale);
            }
        }
        return total;
    }

    private void backward(double[] dAnchor) {
        int top = depth - 1;
        for (int p = positions - 1; p >= 0; p--) {
            UnrolledStack.zero(carry);
            for (int h = horizon; h >= 1; h--) {
                int q = p * horizon + h - 1;
                UnrolledStack.copy(carry, dState);
                head.backward(decoder.top(q), dOut[q], dState[top]);
                decoder.backward(q, dState, carry);
            }
            UnrolledStack.copy(carry, injected[p]);
        }
        decoder.accumulateWeightGradients();
        UnrolledStack.zero(carry);
        for (int t = steps - 1; t >= 0; t--) {
            UnrolledStack.copy(carry, dState);
            if (t >= first && t < first + positions) {
                for (int l = 0; l < depth; l++) {
                    Kernels.axpy(1.0, injected[t - first][l], dState[l]);
                }
            }
            encoder.backward(t, dState, carry);
        }
        encoder.accumulateWeightGradients();
        if (dAnchor != null) {
            Network network = model.encoder();
            Network.requireLength(dAnchor, network.stateSize(), "anchor gradient");
            network.writeFlat(carry, dAnchor);
        }
    }

    private void growDecoder(int decoderSteps) {
        if (dOut.length < decoderSteps) {
            int old = dOut.length;
            dOut = Arrays.copyOf(dOut, Math.max(decoderSteps, 2 * old));
            decoderInput = Arrays.copyOf(decoderInput, dOut.length);
            for (int q = old; q < dOut.length; q++) {
                dOut[q] = new double[head.outputSize()];
                decoderInput[q] = new double[model.config().decoderInputs()];
            }
        }
        if (injected.length < positions) {
            int old = injected.length;
            injected = Arrays.copyOf(injected, Math.max(positions, 2 * old));
            for (int p = old; p < injected.length; p++) {
                injected[p] = encoder.newStateArrays();
            }
        }
    }

}
