package io.rnnstreams.config;

import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.model.LearnerConfig;

/**
 * Which learner the stream runs ({@code rnn.learner}) and the hybrid learner's linear path
 * ({@code rnn.hybrid.period}, {@code rnn.hybrid.ar-order}).
 *
 * @param kind    the plain RNN ({@link io.rnnstreams.learner.KeyedForecaster}) or the hybrid learner
 *                ({@link HybridForecaster}: the classical combination plus a recurrent network learning its
 *                error)
 * @param period  the hybrid's seasonal period in readings (seasonal persistence and Holt-Winters' seasons), 0
 *                for none
 * @param arOrder the order of the hybrid's AR
 */
public record LearnerChoice(Kind kind, int period, int arOrder) {
    /** The largest {@code rnn.hybrid.period}: its rings are kept per key and channel. */
    public static final int MAX_PERIOD = 10_000;
    /** The largest {@code rnn.hybrid.ar-order}: RLS keeps {@code (p + 1)(p + 2) / 2} doubles per channel. */
    public static final int MAX_AR_ORDER = 64;

    /** The plain RNN (the other fields are unused). */
    public static final LearnerChoice RNN = new LearnerChoice(Kind.RNN, 0, 8);

    /** The learners a stream can run. */
    public enum Kind {
        /** The plain recurrent network forecasting the reading. */
        RNN,
        /** The classical combination plus a recurrent network learning its error. */
        HYBRID
    }

    public LearnerChoice {
        if (kind == null) {
            throw new IllegalArgumentException("rnn.learner must be rnn or hybrid");
        }
        if (period < 0 || period > MAX_PERIOD) {
            throw new IllegalArgumentException("rnn.hybrid.period must be in [0, " + MAX_PERIOD + "], got " + period);
        }
        if (arOrder < 1 || arOrder > MAX_AR_ORDER) {
            throw new IllegalArgumentException("rnn.hybrid.ar-order must be in [1, " + MAX_AR_ORDER + "], got "
                    + arOrder);
        }
    }

    public boolean hybrid() {
        return kind == Kind.HYBRID;
    }

    /**
     * The configuration of the network the model store holds: {@code base} for the plain RNN; for the hybrid,
     * {@link HybridForecaster#networkConfig} of it ({@code D (2 + members)} inputs, {@code D} outputs, residual,
     * the learner's Adam rate).
     */
    public LearnerConfig modelConfig(LearnerConfig base) {
        return hybrid() ? HybridForecaster.networkConfig(base, base.channels(), period, 1.0) : base;
    }
}
