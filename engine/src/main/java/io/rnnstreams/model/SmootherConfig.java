package io.rnnstreams.model;

import java.util.Objects;

/**
 * Immutable configuration of the bidirectional fixed-lag smoother: the recurrent settings of a
 * {@link LearnerConfig} (layer sizes and cell of both directions, TBPTT {@code k1}/{@code k2}, optimizer,
 * clipping, normalisation) and the lag {@code L}: reading {@code t - L} is judged at reading {@code t}, with its
 * {@code L} successors.
 *
 * @param learner the recurrent settings; reads the reading alone ({@code auxiliaryInputs = 0}); its residual
 *                flag is not used (the smoother reconstructs the standardised reading itself)
 * @param lag     {@code L}, in {@code [1, }{@value #MAX_LAG}{@code ]}
 */
public record SmootherConfig(LearnerConfig learner, int lag) {
    /** The largest lag accepted: each reading costs {@code L} backward steps. */
    public static final int MAX_LAG = 1000;

    public SmootherConfig {
        Objects.requireNonNull(learner, "learner");
        if (lag < 1 || lag > MAX_LAG) {
            throw new IllegalArgumentException("the smoothing lag must be in [1, " + MAX_LAG + "] readings, got " + lag);
        }
        if (learner.auxiliaryInputs() != 0) {
            throw new IllegalArgumentException("the smoother reads the reading alone: auxiliaryInputs must be 0, got "
                    + learner.auxiliaryInputs());
        }
    }

    public NetworkConfig network() {
        return learner.network();
    }

    public int channels() {
        return learner.channels();
    }

    /** The window's capacity: {@code k2} steps that carry a loss plus the {@code L} successors of the newest. */
    public int windowCapacity() {
        return learner.k2() + lag;
    }

    @Override
    public String toString() {
        return learner + " smoothing(L=" + lag + ")";
    }
}
