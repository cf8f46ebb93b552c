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
 * @param gainPrior with {@code corrected}, the starting value {@code tau >= 0} of the gain's {@code E[o^2]} moment
 *                  (its {@code E[r o]} starts at 0): a prior of zero gain that decays with the moments' rate, so a
 *                  young key's correction is shrunk towards its base ({@link HorizonCorrection}); 0 for none, 0
 *                  unless corrected
 * @param horizonMemory with {@code corrected}, whether the base members' errors at horizon {@code h} are averaged at
 *                  the rate {@value HorizonCorrection#ERROR_RATE}{@code  / h} instead of {@value
 *                  HorizonCorrection#ERROR_RATE} at every horizon: {@code h}-step errors overlap over {@code h}
 *                  readings, so this keeps the number of independent errors each weight rests on the same at every
 *                  horizon ({@link HorizonCorrection}); false unless corrected
 * @param gainRule  with {@code corrected}, how the gain is set from its prequential pairs ({@link GainRule});
 *                  {@link GainRule#FITTED} unless corrected
 * @param combination with {@code corrected}, how the base's members are weighted by their recent errors
 *                  ({@link Combination}); {@link Combination#ERROR_POWER} unless corrected
 */
public record Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period,
                            Level level, double gainPrior, boolean horizonMemory, GainRule gainRule,
                            Combination combination) {
    /** The largest horizon accepted: the window and each training grow with it. */
    public static final int MAX_HORIZON = 1000;
    /** The largest {@link #gainPrior}: far beyond any squared correction in normalised units. */
    public static final double MAX_GAIN_PRIOR = 1e6;

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
         * The least-squares weight shrunk by its own estimated variance (positive-part James-Stein:
         * {@code g (1 - se^2 / g^2)}, {@code se^2} the residual variance over the effective pairs times
         * {@code E[o^2]}), so a gain not distinguishable from 0 on the pairs seen is (nearly) 0.
         */
        SHRUNK,
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

    /** The members' weights by their own errors ({@link Combination#ERROR_POWER}). */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period,
                         Level level, double gainPrior, boolean horizonMemory, GainRule gainRule) {
        this(learner, horizon, lagInputs, corrected, period, level, gainPrior, horizonMemory, gainRule,
                Combination.ERROR_POWER);
    }

    /** The members' errors at one rate at every horizon, the fitted gain. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period,
                         Level level, double gainPrior) {
        this(learner, horizon, lagInputs, corrected, period, level, gainPrior, false, GainRule.FITTED);
    }

    /** The decoder reads the last reading alone. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon) {
        this(learner, horizon, false);
    }

    /** Not corrected: the decoder's outputs are the forecasts (plus {@code x_t} in residual mode). */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs) {
        this(learner, horizon, lagInputs, false, 0);
    }

    /** Its base's first member, if corrected, is persistence {@code x_t}. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period) {
        this(learner, horizon, lagInputs, corrected, period, false);
    }

    /** Its base's level, if corrected, is the smoothed level or persistence; no gain prior. */
    public Seq2SeqConfig(LearnerConfig learner, int horizon, boolean lagInputs, boolean corrected, int period,
                         boolean smoothedLevel) {
        this(learner, horizon, lagInputs, corrected, period, smoothedLevel ? Level.SMOOTHED : Level.LAST_READING, 0.0);
    }

    /** This corrected configuration with a smoothed level for persistence in its base ({@link #smoothedLevel()}). */
    public Seq2SeqConfig withSmoothedLevel() {
        return withLevel(Level.SMOOTHED);
    }

    /** This configuration with the base's level members {@code newLevel} ({@link #level()}). */
    public Seq2SeqConfig withLevel(Level newLevel) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, newLevel, gainPrior, horizonMemory,
                gainRule, combination);
    }

    /** This configuration with the members' errors averaged at a rate per horizon ({@link #horizonMemory()}). */
    public Seq2SeqConfig withHorizonMemory() {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, level, gainPrior, true, gainRule,
                combination);
    }

    /** This configuration with the gain set by {@code rule} ({@link #gainRule()}). */
    public Seq2SeqConfig withGainRule(GainRule rule) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, level, gainPrior, horizonMemory, rule,
                combination);
    }

    /** This configuration with the gain's prior {@code tau} ({@link #gainPrior()}). */
    public Seq2SeqConfig withGainPrior(double tau) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, level, tau, horizonMemory, gainRule,
                combination);
    }

    /** This configuration with the base's members combined by {@code newCombination} ({@link #combination()}). */
    public Seq2SeqConfig withCombination(Combination newCombination) {
        return new Seq2SeqConfig(learner, horizon, lagInputs, corrected, period, level, gainPrior, horizonMemory,
                gainRule, newCombination);
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
        if (!(gainPrior >= 0 && gainPrior <= MAX_GAIN_PRIOR) || (gainPrior > 0 && !corrected)) {
            throw new IllegalArgumentException("the seq2seq gain's prior must be in [0, " + MAX_GAIN_PRIOR
                    + "], and 0 unless the forecaster is corrected, got " + gainPrior + " (corrected=" + corrected + ")");
        }
        Objects.requireNonNull(gainRule, "gainRule");
        Objects.requireNonNull(combination, "combination");
        if ((horizonMemory || gainRule != GainRule.FITTED || combination != Combination.ERROR_POWER) && !corrected) {
            throw new IllegalArgumentException("the seq2seq base's horizon memory, gain rule and combination need the "
                    + "corrected forecaster, got horizonMemory=" + horizonMemory + ", gainRule=" + gainRule
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
                + (horizonMemory ? ", member errors averaged over a memory growing with h" : "")
                + " with a " + gainName() + (gainPrior > 0 ? " (prior " + gainPrior + ")" : "") : "") + ")";
    }

    private String gainName() {
        return switch (gainRule) {
            case FITTED -> "fitted gain";
            case SHRUNK -> "fitted gain shrunk by its variance";
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
