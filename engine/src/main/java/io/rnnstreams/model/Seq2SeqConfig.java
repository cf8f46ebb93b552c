package io.rnnstreams.model;

import java.util.Objects;

/**
 * Immutable configuration of the encoder-decoder (sequence-to-sequence) forecaster: the recurrent
 * settings of a {@link LearnerConfig} (network shape and cell, TBPTT {@code k1}/{@code k2}, optimizer,
 * clipping, normalisation, residual mode) and the horizon {@code N}, the number of readings the decoder
 * generates from each encoder state.
 *
 * <p>The encoder and the decoder both have the network's layer sizes and cell (the decoder starts from the
 * encoder's whole state); the network's {@link LossSteps} choose the loss positions ({@link EncoderDecoderBptt}).
 *
 * @param learner   the recurrent settings; its network forecasts the next reading ({@code O = D}) and reads the
 *                  reading alone ({@code auxiliaryInputs = 0})
 * @param horizon   {@code N}, in {@code [1, }{@value #MAX_HORIZON}{@code ]}
 * @param lagInputs whether the decoder's step {@code h} reads, beside the last reading {@code x_t}, the reading
 *                  {@code N} steps before its target, {@code x_{t+h-N}} (known at {@code t}; with {@code N} equal to
 *                  a season's length, the same phase one season back): {@code 2 D} decoder inputs, and a window
 *                  of {@code N - 1} more readings so that every supervised step has them
 */
public record Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs) {
    /** The largest horizon accepted: the window and each training grow with it. */
    public static final int MAX_HORIZON = 1000;

    /** The decoder reads the last reading alone. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon) {
        this(learner, horizon, false);
    }

    public Seq2SeqConfig {
        Objects.requireNonNull(learner, "learner");
        if (horizon < 1 || horizon > MAX_HORIZON) {
            throw new IllegalArgumentException("the seq2seq horizon must be in [1, " + MAX_HORIZON + "], got " + horizon);
        }
        if (learner.auxiliaryInputs() != 0) {
            throw new IllegalArgumentException("the seq2seq forecaster reads the reading alone: auxiliaryInputs must "
                    + "be 0, got " + learner.auxiliaryInputs());
        }
    }

    /** The network settings of the encoder (and, with seed + 1, of the decoder). */
    public NetworkConfig network() {
        return learner.network();
    }

    /** Readings {@code D} per step. */
    public int channels() {
        return learner.channels();
    }

    /** Window steps before the first that can carry a loss: {@code N - 1} with {@link #lagInputs}, else 0. */
    public int lead() {
        return lagInputs ? horizon - 1 : 0;
    }

    /** Inputs per decoder step: {@code 2 D} with {@link #lagInputs}, else {@code D}. */
    public int decoderInputs() {
        return lagInputs ? 2 * channels() : channels();
    }

    /**
     * The window's capacity: {@code k2} encoder steps that carry a loss, the {@code N} readings that supervise
     * them, and the {@link #lead()} readings their decoders read before them.
     */
    public int windowCapacity() {
        return learner.k2() + horizon + lead();
    }

    /** 16 hex digits of SHA-256 over {@link #toString()}, as {@link LearnerConfig#fingerprint()}: differs from the plain RNN's. */
    public String fingerprint() {
        return LearnerConfig.fingerprint(toString());
    }

    @Override
    public String toString() {
        return learner + " seq2seq(N=" + horizon + (lagInputs ? ", decoder reads x(t+h-N)" : "") + ")";
    }
}
