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
 * @param corrected whether the decoder's output at step {@code h} is a correction to a classical forecast of
 *                  horizon {@code h}, scaled by a gain in [0, 1] fitted online ({@link HorizonCorrection}: the base is
 *                  persistence, or with a {@code period} the combination of persistence and seasonal persistence by
 *                  their recent errors at that horizon); needs residual mode (the base generalises its {@code x_t});
 *                  false: the plain residual or level forecaster
 * @param period    with {@code corrected}, the season's length {@code m} of the seasonal-persistence member
 *                  ({@code x_{t+h-m ceil(h/m)}}; the window keeps {@code m - 1} more readings), 0 for none; in
 *                  {@code [0, }{@value #MAX_HORIZON}{@code ]}, 0 unless corrected
 * @param level     with {@code corrected}, the base's level members ({@link Level}): persistence {@code x_t}, a
 *                  smoothed level (the exponentially weighted mean of the last {@value HorizonCorrection#LEVEL_READINGS}
 *                  readings, rate {@value HorizonCorrection#LEVEL_RATE}; the window keeps that many - 1 more readings:
 *                  on noisy readings it forecasts every horizon better than the last reading does), or both, combined
 *                  by their recent errors at each horizon; {@link Level#LAST_READING} unless corrected
 * @param gainRule  with {@code corrected}, how the gain is set from its prequential pairs ({@link GainRule});
 *                  {@link GainRule#FITTED} unless corrected
 * @param combination with {@code corrected}, how the base's members are weighted by their recent errors
 *                  ({@link Combination}); {@link Combination#ERROR_POWER} unless corrected
 */
public record Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period,
                            Level level, GainRule gainRule, Combination combination) {
    /** The largest horizon accepted: the window and each training grow with it. */
    public static final int MAX_HORIZON = 1000;

    /** The corrected base's level members (beside seasonal persistence with a period). */
    public enum Level {
        /** Persistence {@code x_t} alone. */
        LAST_READING,
        /** The smoothed level alone, in place of persistence. */
        SMOOTHED,
        /** Persistence and the smoothed level, two members weighted by their recent errors. */
        BOTH;

        /** Whether persistence {@code x_t} is a member. */
        public boolean persistence() {
            return this != SMOOTHED;
        }

        /** Whether the smoothed level is a member. */
        public boolean smoothed() {
            return this != LAST_READING;
        }
    }

    /** How the corrected forecaster's gain is set from its prequential (correction, base error) pairs. */
    public enum GainRule {
        /** The least-squares weight {@code clamp(E[r o] / E[o^2], 0, 1)}. */
        FITTED,
        /**
         * The fitted gain times the weight of the corrected forecast in its combination with the uncorrected base,
         * both scored on the prequential pairs (each pair scored with the gain before it is learnt), weighted by
         * their recent squared errors to the power {@value HorizonCorrection#POWER}, negated.
         */
        CHOSEN
    }

    /** How the corrected base's members are weighted by their recent errors at each horizon and channel. */
    public enum Combination {
        /** Weights proportional to {@code mse^-}{@value HorizonCorrection#POWER}, each member's own error alone. */
        ERROR_POWER,
        /**
         * The minimum-variance convex combination (Bates and Granger 1969 with the errors' covariances): the weights
         * {@code w >= 0}, {@code sum w = 1}, that minimise {@code w' S w} for the members' recent error covariance
         * {@code S}; members whose errors are nearly the same (persistence and a smoothed level at long horizons)
         * are then not averaged but the better one taken. Never worse than its best member on the errors it is
         * fitted to.
         */
        MIN_VARIANCE
    }

    /** The decoder reads the last reading alone. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon) {
        this(learner, horizon, false);
    }

    /** Not corrected: the decoder's outputs are the forecasts (plus {@code x_t} in residual mode). */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs) {
        this(learner, horizon, lagInputs, false, 0);
    }

    /** Its base, if corrected, is persistence {@code x_t} (and seasonal persistence with a period), the fitted gain. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period) {
        this(learner, horizon, lagInputs, corrected, period, Level.LAST_READING, GainRule.FITTED,
                Combination.ERROR_POWER);
    }

    /** This corrected configuration with a smoothed level for persistence in its base ({@link #smoothedLevel()}). */
    public Seq2SeqConfig withSmoothedLevel() {
        return withLevel(Level.SMOOTHED);
    }

    /** This configuration with the base's level members {@code newLevel} ({@link #level()}). */
    public Seq2SeqConfig withLevel(Level newLevel) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, newLevel, gainRule, combination);
    }

    /** This configuration with the gain set by {@code rule} ({@link #gainRule()}). */
    public Seq2SeqConfig withGainRule(GainRule rule) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, level, rule, combination);
    }

    /** This configuration with the base's members combined by {@code newCombination} ({@link #combination()}). */
    public Seq2SeqConfig withCombination(Combination newCombination) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, level, gainRule, newCombination);
    }

    /** Whether the corrected base has a smoothed-level member ({@link #level()}). */
    public boolean smoothedLevel() {
        return level.smoothed();
    }

    /**
     * The corrected encoder-decoder ({@link #corrected()}): per horizon, a correction to the combination of
     * persistence and, with {@code period > 0}, seasonal persistence, scaled by a fitted gain.
     */
    public static Seq2SeqConfig corrected(LearnerConfig learner, int horizon, boolean lagInputs, int period) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, true, period);
    }

    /**
     * The configuration {@code rnn.forecast.mode=seq2seq} serves (since branch s2s14d): {@link #corrected}, persistence
     * and the smoothed level in the base ({@link Level#BOTH}) and, with {@code period > 0}, seasonal persistence,
     * combined at their minimum error variance ({@link Combination#MIN_VARIANCE}), the fitted gain weighed against the
     * uncorrected base ({@link GainRule#CHOSEN}), the decoder reading the last reading alone (no lag inputs). The one
     * place that choice is made: the stream, the accuracy command's served row and the benchmarks call it.
     */
    public static Seq2SeqConfig served(LearnerConfig learner, int horizon, int period) {
        return corrected(learner, horizon, false, period).withLevel(Level.BOTH)
                .withCombination(Combination.MIN_VARIANCE).withGainRule(GainRule.CHOSEN);
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
        if (period < 0 || period > MAX_HORIZON || (period > 0 && !corrected)) {
            throw new IllegalArgumentException("the seq2seq base's period must be in [0, " + MAX_HORIZON
                    + "], and 0 unless the forecaster is corrected, got " + period + " (corrected=" + corrected + ")");
        }
        Objects.requireNonNull(level, "level");
        if (level != Level.LAST_READING && !corrected) {
            throw new IllegalArgumentException("the seq2seq base's smoothed level needs the corrected forecaster, got "
                    + "corrected=false");
        }
        Objects.requireNonNull(gainRule, "gainRule");
        Objects.requireNonNull(combination, "combination");
        if ((gainRule != GainRule.FITTED || combination != Combination.ERROR_POWER) && !corrected) {
            throw new IllegalArgumentException("the seq2seq base's gain rule and combination need the "
                    + "corrected forecaster, got gainRule=" + gainRule
                    + ", combination=" + combination + " (corrected=false)");
        }
        if (corrected && !learner.residual()) {
            throw new IllegalArgumentException("the corrected seq2seq forecaster needs residual mode (its base "
                    + "generalises the residual's last reading), got residual=false");
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

    /**
     * Window steps before the first that can carry a loss: the readings the decoders and bases of the supervised
     * steps read before them: {@code N - 1} with {@link #lagInputs}, {@code m - 1} for a seasonal base,
     * {@value HorizonCorrection#LEVEL_READINGS}{@code  - 1} for a smoothed level, else 0 (the largest).
     */
    public int lead() {
        return Math.max(Math.max(lagInputs ? horizon - 1 : 0, period > 0 ? period - 1 : 0),
                smoothedLevel() ? HorizonCorrection.LEVEL_READINGS - 1 : 0);
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
        return learner + " seq2seq(N=" + horizon + (lagInputs ? ", decoder reads x(t+h-N)" : "")
                + (corrected ? ", corrects " + levelName()
                + (period > 0 ? " and seasonal persistence (m=" + period + ")" : "")
                + (combination == Combination.MIN_VARIANCE ? ", members combined at minimum error variance" : "")
                + " with a " + gainName() : "") + ")";
    }

    private String gainName() {
        return switch (gainRule) {
            case FITTED -> "fitted gain";
            case CHOSEN -> "fitted gain weighted against the uncorrected base";
        };
    }

    private String levelName() {
        return switch (level) {
            case LAST_READING -> "persistence";
            case SMOOTHED -> "a smoothed level";
            case BOTH -> period > 0 ? "persistence, a smoothed level" : "persistence and a smoothed level";
        };
    }
}
