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
 * @param learner the recurrent settings; its network forecasts the next reading ({@code O = D}) and reads the
 *                reading alone ({@code auxiliaryInputs = 0})
 * @param horizon {@code N}, in {@code [1, }{@value #MAX_HORIZON}{@code ]}
 */
public record Seq2SeqConfig(LearnerConfig learner, int horizon) {
    /** The largest horizon accepted: the window and each training grow with it. */
    public static final int MAX_HORIZON = 1000;

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

    /** The window's capacity: {@code k2} encoder steps that carry a loss plus the {@code N} readings that supervise them. */
    public int windowCapacity() {
        return learner.k2() + horizon;
    }

    @Override
    public String toString() {
        return learner + " seq2seq(N=" + horizon + ")";
    }
}
