package io.rnnstreams.learner;

import io.rnnstreams.eval.ClassicalForecasters;
import io.rnnstreams.eval.ErrorWeightedCombination;
import io.rnnstreams.eval.StateSize;
import io.rnnstreams.model.CompactState;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Loss;
import io.rnnstreams.model.LossSteps;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Normaliser;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.ResidualCorrector;
import io.rnnstreams.model.SequenceSnapshot;
import io.rnnstreams.model.SequenceState;

/**
 * The hybrid learner's per-reading core, without Kafka: a fast per-key linear path (the classical
 * combination: persistence, seasonal persistence, AR(p) by RLS, Holt-Winters, weighted by their recent
 * errors) plus a recurrent network that learns the linear path's error ({@link ResidualCorrector}), its
 * weights per key or shared by the task's keys ({@link ModelScope}), the per-key parts (normalisers,
 * recurrent state, TBPTT window, linear path) kept in a {@link KeyState}.
 *
 * <p>The network reads, per step and channel, the standardised reading {@code x(t)}, the linear path's error
 * on it {@code r(t) = x(t) - base(t-1)}, and each member's disagreement with the combination about the next
 * reading {@code f_k(t) - base(t)}: so it can learn a nonlinear map of the signal (the logistic map), the
 * structure left in the linear path's errors, and when to trust which member more than their recent errors
 * say. Measured on the accuracy suite, the last two inputs took the learner's gain over its ablation on ETTh1
 * from ~1% to ~4%.
 *
 * <p>The network learns its target, the linear path's next error in units of the residual normaliser, with
 * Huber's loss of width one half ({@link #LOSS}: squared within half a spread, absolute beyond), so the rare large
 * errors of jumpy or quantised channels do not steer it toward a mean the MAE does not reward (measured: width 1
 * against squared error ETTh1 seven channels 0.804 -> 0.797, SKAB -0.1..-0.3 %, with the gain below; width 1/2
 * against 1, SKAB -0.1..-0.4 %).
 *
 * <p>The forecast of {@code x(t+1)} is {@code base(t) + g c(t)}: the linear path's forecast plus the
 * network's correction scaled by a gain {@code g} in [0, 1] fitted online per key and channel on recent errors
 * ({@link GainFit}; by default {@link #GAIN_FIT}: of five candidates 0, 1/4, .., 1 the one of least recent
 * absolute error, rate {@value #GAIN_RATE}; or by least squares, {@code g = clamp(E[r c] / E[c^2], 0, 1)} with
 * {@code r} the linear path's error and {@code c} the correction that was made for the same reading): a
 * correction that does not help is switched off, one that does is used in full.
 *
 * <p>The linear path is the classical combination with Holt-Winters on its compact grid (with a period: 3 of
 * the 27 candidates, one array of seasons per channel; {@link ClassicalForecasters#compactCombination}), so that
 * a key's stored state stays within 1.5 KB. With the recurrent part removed ({@code recurrent = false}: the
 * ablation) the forecast is the linear path's: without a period the classical combination's, with one that of its
 * compact relative (up to the float rounding of the stored state).
 *
 * <p>Deterministic; one instance per stream task (or in-process run). Not thread-safe.
 */
public final class HybridForecaster {
    /** Rate of the exponentially weighted moments that fit the correction's gain. */
    public static final double GAIN_RATE = 0.01;
    /** The learner's Adam learning rate (the plain RNN's default is 0.001). */
    public static final double LEARNING_RATE = 0.003;
    /** How the learner fits its correction's gain ({@link GainFit}). */
    public static final GainFit GAIN_FIT = GainFit.ABSOLUTE;
    /**
     * Whether forecasts move to a quantised channel's lattice while that has recently helped ({@link LatticeSnap};
     * the learner and its ablation alike).
     */
    public static final boolean SNAPPING = true;
    /**
     * The network's loss on its standardised target: Huber's of width 1/2 ({@link Loss#HUBER_HALF}; branch acc18b,
     * measured against width 1: SKAB -0.1 to -0.4 %, the demo data +0.2 %).
     */
    public static final Loss LOSS = Loss.HUBER_HALF;
    /**
     * {@link LatticeSnap}'s threshold: a forecast snaps away from the last reading once it is this many quanta from
     * it (0.5 would be the nearest level; branch acc18b, measured: SKAB -0.05 to -0.15 % at 0.4, +0.2 to +0.5 % at 0.6).
     */
    public static final double SNAP_THRESHOLD = 0.4;
    /** Whether the learner's trainings start from the window's anchor (kept in the key's state). */
    public static final boolean ANCHORED = true;

    private final LearnerConfig config;
    private final int period;
    private final int arOrder;
    private final boolean recurrent;
    private final boolean anchored;
    private final int members;
    private final boolean slowInputs;
    private final GainFit gainFit;
    private final boolean snapping;
    private final Tuning tuning;
    private final Models<Model> models;
    private final ResidualCorrector corrector;
    /** Collects each export ({@link #write}), reset each time: its arrays are reused, each export's copied. */
    private final CompactState.Writer writer = new CompactState.Writer();

    /**
     * @param scope      which keys share the network's weights
     * @param config     the network's configuration ({@code D} inputs and outputs, residual = true)
     * @param period     the seasonal period of the linear path, 0 for none
     * @param arOrder    the order of the linear path's AR
     * @param recurrent  false: the ablation, the linear path alone
     * @param repository where trained models are stored
     * @param cacheSize  key scope: models kept deserialised in memory
     */
    public HybridForecaster(ModelScope scope, LearnerConfig config, int period, int arOrder, boolean recurrent,
                            ModelRepository repository, int cacheSize) {
        this(scope, config, period, arOrder, recurrent, ANCHORED, repository, cacheSize);
    }

    /**
     * @param anchored false: every training starts from a zero recurrent state and the key's state keeps no
     *                 anchor ({@link ResidualCorrector#ResidualCorrector(LearnerConfig, boolean)})
     */
    public HybridForecaster(ModelScope scope, LearnerConfig config, int period, int arOrder, boolean recurrent,
                            boolean anchored, ModelRepository repository, int cacheSize) {
        this(scope, config, period, arOrder, recurrent, anchored, repository, cacheSize, ModelCacheBudget.unbounded());
    }

    /**
     * @param budget key scope: the bytes of cached models the whole process may hold, shared by every task's
     *               forecaster (as {@link KeyedForecaster}'s)
     */
    public HybridForecaster(ModelScope scope, LearnerConfig config, int period, int arOrder, boolean recurrent,
                            boolean anchored, ModelRepository repository, int cacheSize, ModelCacheBudget budget) {
        this(scope, config, period, arOrder, recurrent, anchored, Tuning.DEFAULTS, repository, cacheSize, budget,
                null);
    }

    /**
     * @param tuning  the linear path's weighting, the gain's fit and the snap ({@link Tuning}; {@link Tuning#DEFAULTS}
     *                the learner's own)
     * @param initial where a model without a stored state starts: the seeded initialisation of {@code config}
     *                made beforehand ({@code new Model(config).exportState()}: the stream makes it once, off its
     *                threads, as for the plain RNN), or null to make it here at the first model
     */
    public HybridForecaster(ModelScope scope, LearnerConfig config, int period, int arOrder, boolean recurrent,
                            boolean anchored, Tuning tuning, ModelRepository repository, int cacheSize,
                            ModelCacheBudget budget, ModelSnapshot initial) {
        this.config = config;
        this.tuning = tuning;
        this.snapping = tuning.snapping();
        this.gainFit = tuning.gainFit();
        this.anchored = anchored;
        this.period = period;
        this.arOrder = arOrder;
        this.recurrent = recurrent;
        this.members = ClassicalForecasters.members(1, period, 1).size();
        this.slowInputs = config.auxiliaryInputs() == 1 + members + SlowErrors.count();
        this.models = recurrent ? Models.of(scope, config, repository, cacheSize, budget, initial) : null;
        this.corrector = recurrent ? new ResidualCorrector(config, anchored) : null;
    }

    /**
     * The choices of the learner that are not the network's: how the correction's gain is fitted and its largest
     * value, how the linear path weights its members (by squared or absolute errors, the errors' rate and the
     * weights' power), and whether forecasts snap to a quantised channel's lattice.
     *
     * @param gainFit          how the correction's gain is fitted per key and channel ({@link GainFit})
     * @param absoluteWeights  the linear path weights its members by recent absolute errors instead of squared ones
     * @param snapping         forecasts move to a quantised channel's lattice while that has recently helped
     *                         ({@link LatticeSnap})
     * @param gainCeiling      {@link GainFit#ABSOLUTE}'s largest candidate gain (the candidates are
     *                         {@code 0, 1/4, .., 1} times it), in (0, 4]
     * @param combinationRate  rate of the linear path's members' recent errors, in (0, 1]
     * @param combinationPower the linear path's weights are {@code mse^-power}, {@code > 0}
     * @param gainRate         rate of the candidate gains' recent errors, in (0, 1]
     * @param snapRate         rate of the snap's recent advantage, in (0, 1]
     * @param snapThreshold    how far, in quanta, a forecast must be from the last reading to snap away from it, in
     *                         (0, 1): 0.5 is the nearest level, below it a move is favoured
     *                         ({@link LatticeSnap#snap(double, double, double, double)})
     */
    public record Tuning(GainFit gainFit, boolean absoluteWeights, boolean snapping, double gainCeiling,
                         double combinationRate, double combinationPower, double gainRate, double snapRate,
                         double snapThreshold) {
        /** The learner's defaults. */
        public static final Tuning DEFAULTS = new Tuning(GAIN_FIT, false, SNAPPING, 1.0,
                ErrorWeightedCombination.ERROR_RATE, ErrorWeightedCombination.POWER, GAIN_RATE, GAIN_RATE,
                SNAP_THRESHOLD);

        /** @throws IllegalArgumentException naming the value out of range */
        public Tuning {
            if (gainFit == null) {
                throw new IllegalArgumentException("gainFit must be given");
            }
            if (!(gainCeiling > 0 && gainCeiling <= 4)) {
                throw new IllegalArgumentException("gain ceiling must be in (0, 4], got " + gainCeiling);
            }
            if (!(combinationRate > 0 && combinationRate <= 1)) {
                throw new IllegalArgumentException("combination rate must be in (0, 1], got " + combinationRate);
            }
            if (!(combinationPower > 0 && Double.isFinite(combinationPower))) {
                throw new IllegalArgumentException("combination power must be positive, got " + combinationPower);
            }
            if (!(gainRate > 0 && gainRate <= 1) || !(snapRate > 0 && snapRate <= 1)) {
                throw new IllegalArgumentException("gain and snap rates must be in (0, 1], got " + gainRate + " and "
                        + snapRate);
            }
            if (!(snapThreshold > 0 && snapThreshold < 1)) {
                throw new IllegalArgumentException("snap threshold must be in (0, 1), got " + snapThreshold);
            }
        }

        /** These choices with the gain fitted by {@code v}. */
        public Tuning withGainFit(GainFit v) {
            return new Tuning(v, absoluteWeights, snapping, gainCeiling, combinationRate, combinationPower, gainRate,
                    snapRate, snapThreshold);
        }

        /** These choices with the linear path weighting by recent absolute errors or not. */
        public Tuning withAbsoluteWeights(boolean v) {
            return new Tuning(gainFit, v, snapping, gainCeiling, combinationRate, combinationPower, gainRate,
                    snapRate, snapThreshold);
        }

        /** These choices with the snap on or off. */
        public Tuning withSnapping(boolean v) {
            return new Tuning(gainFit, absoluteWeights, v, gainCeiling, combinationRate, combinationPower, gainRate,
                    snapRate, snapThreshold);
        }
    }

    /** One key's state: the linear path, the network's per-sequence state, the gain's moments. */
    public static final class KeyState {
        final ErrorWeightedCombination linear;
        final SequenceState sequence;
        final Normaliser residuals;
        final double[] lastBase;
        final double[] lastCorrection;
        final double[] residualTimesCorrection;
        final double[] correctionSquared;
        final double[] lastForecast;
        /** The linear path's error smoothed at {@link SlowErrors#RATES}, or empty without slow inputs. */
        final double[] slowErrors;
        /** {@link GainFit#ABSOLUTE}: each candidate gain's recent absolute error per channel, else empty. */
        final double[] gainErrors;
        /** {@link LatticeSnap}'s numbers, or empty without snapping. */
        final double[] snap;
        final GainFit gainFit;
        final double gainCeiling;
        final Tuning tuning;
        boolean hasBase;
        long modelVersion;
        /**
         * The stored form of this state as {@link #exportState} last made it, or null if the state changed since (or
         * it was not made): {@link #exportState} then writes it afresh. Not part of the stored state.
         */
        CompactState stored;
        /** What the last {@link #observe} trained: not part of the stored state. */
        Training lastTraining = Training.NONE;

        KeyState(LearnerConfig config, int period, int arOrder, boolean slowInputs, GainFit gainFit, Tuning tuning) {
            int d = config.forecastChannels();
            this.linear = ClassicalForecasters.compactCombination(d, period, arOrder, tuning.absoluteWeights(),
                    tuning.combinationRate(), tuning.combinationPower());
            this.gainCeiling = tuning.gainCeiling();
            this.tuning = tuning;
            boolean snapping = tuning.snapping();
            this.sequence = new SequenceState(config);
            this.residuals = new Normaliser(d);
            this.lastBase = new double[d];
            this.lastCorrection = new double[d];
            int moments = gainFit == GainFit.LEAST_SQUARES ? d : 0;
            this.residualTimesCorrection = new double[moments];
            this.correctionSquared = new double[moments];
            this.lastForecast = new double[d];
            this.slowErrors = new double[slowInputs ? SlowErrors.count() * d : 0];
            this.gainFit = gainFit;
            this.gainErrors = new double[gainFit.errorsPerChannel() * d];
            this.snap = new double[snapping ? LatticeSnap.PER_CHANNEL * d : 0];
        }

        /** The forecast made at the key's last reading (a copy), or null before its first reading. */
        public double[] lastForecast() {
            return hasBase ? lastForecast.clone() : null;
        }

        /**
         * The key's last reading (a copy), as its linear path's first member, persistence, forecasts it (stored in
         * float), or null before its first reading.
         */
        public double[] lastReading() {
            return hasBase ? linear.memberForecast(0).clone() : null;
        }

        /** The model version (update count) the key last used: its next reading expects it (key scope). */
        public long modelVersion() {
            return modelVersion;
        }

        /** Readings of this key the learner has seen (0 for the ablation, which keeps no count). */
        public long readings() {
            return sequence.readings();
        }

        /**
         * Forgets the recurrent state and the TBPTT window (after a gap in the key's readings); the linear path,
         * the normalisers and the gain are kept.
         */
        public void resetRecurrentState() {
            sequence.resetRecurrentState();
            stored = null;
        }

        /** What the key's last reading trained (nothing before its first reading or after a restore). */
        public Training lastTraining() {
            return lastTraining;
        }

        /**
         * The network's per-sequence state (recurrent state, TBPTT window, input normaliser over the network's
         * {@code D (1 + a)} inputs, the first {@code D} being the reading): a copy, for views of the state.
         */
        public SequenceSnapshot sequence() {
            return sequence.exportState();
        }

        /** The gain of channel {@code c}'s correction, in [0, 1]. */
        public double gain(int channel) {
            if (gainFit == GainFit.ABSOLUTE) {
                return GainFit.best(gainErrors, lastBase.length, channel, gainCeiling);
            }
            double cc = correctionSquared[channel];
            if (!(cc > 0)) {
                return 0.0;
            }
            return Math.max(0.0, Math.min(1.0, residualTimesCorrection[channel] / cc));
        }
    }

    /**
     * What one reading did to the network's weights.
     *
     * @param trained  whether the reading completed a TBPTT window and the network trained on it
     * @param updates  weight updates applied (0 or 1)
     * @param restores updates refused or undone by the numerical-health guard (0 or 1)
     */
    public record Training(boolean trained, long updates, long restores) {
        /** Nothing trained. */
        public static final Training NONE = new Training(false, 0, 0);
    }

    /**
     * The learner's network configuration for {@code D}-channel readings and the given period:
     * {@code base}'s cell, hidden sizes, TBPTT window, clipping and seed, with {@code D} outputs and
     * {@code D (1 + a)} inputs, {@code a = 1 + K} for the linear path's {@code K} members (see
     * {@link #observe}); residual (zero head); loss on the newest pairs ({@link LossSteps#NEWEST}, so every
     * reading is learned once whatever {@code k1}); Adam at {@code learningRateScale} times
     * {@link #LEARNING_RATE}.
     */
    public static LearnerConfig networkConfig(LearnerConfig base, int channels, int period,
                                              double learningRateScale) {
        return networkConfig(base, channels, period, learningRateScale, false);
    }

    /**
     * As {@link #networkConfig(LearnerConfig, int, int, double)}; with {@code slowInputs} the network also reads
     * the linear path's error smoothed at two rates ({@link SlowErrors}): {@code a = 3 + K}.
     */
    public static LearnerConfig networkConfig(LearnerConfig base, int channels, int period,
                                              double learningRateScale, boolean slowInputs) {
        return networkConfig(base, channels, period, learningRateScale, slowInputs, false);
    }

    /**
     * As {@link #networkConfig(LearnerConfig, int, int, double, boolean)}; with {@code mixture} the network also
     * chooses, per channel, softmax weights over the linear path's forecast and its {@code K} members' (FFORMA's
     * weighting of a pool of forecasters, Montero-Manso et al. 2020, learned here online by TBPTT): {@code D (2 + K)}
     * outputs, loss {@link Loss#MIXTURE_HUBER}, and the mix's departure from the linear path is part of the
     * correction that the gain scales.
     */
    public static LearnerConfig networkConfig(LearnerConfig base, int channels, int period,
                                              double learningRateScale, boolean slowInputs, boolean mixture) {
        int members = ClassicalForecasters.members(1, period, 1).size();
        int aux = 1 + members + (slowInputs ? SlowErrors.count() : 0);
        return base.toBuilder().residual(true).auxiliaryInputs(aux).mixtureMembers(mixture ? members : 0)
                .optimizer(OptimizerConfig.adam(LEARNING_RATE * learningRateScale))
                .network(base.network().toBuilder().inputSize(channels * (1 + aux))
                        .outputSize(channels * (mixture ? 2 + members : 1))
                        .loss(mixture ? Loss.MIXTURE_HUBER : LOSS).lossSteps(LossSteps.NEWEST).build())
                .build();
    }

    /**
     * What one key's state holds between readings: the numbers of its stored form ({@link #exportState}), the
     * exact ones as doubles, the recurrent part's as halves, the others as floats, and its counters. The weights are the model's (per task in
     * scope {@code shared}), not the key's. Independent of the key and of what it has seen.
     */
    public StateSize keyStateSize() {
        CompactState state = exportState(newKey());
        return new StateSize(state.exact().length, state.values().length, state.halves().length,
                state.counters().length);
    }

    /**
     * One key's state in its stored form ({@link CompactState}: numbers as floats but the last forecast and
     * RLS's {@code P} in double, see {@link io.rnnstreams.eval.RecursiveLeastSquares#writeState}, and the recurrent
     * part's in half): the has-base flag and model version; the last forecast ({@code D} doubles, scored against
     * the next reading); the last base forecast, the last correction and the gain's two moments ({@code 4 D}),
     * the residual normaliser; the linear path ({@link ErrorWeightedCombination#writeState}, its Holt-Winters on
     * the {@linkplain io.rnnstreams.eval.OnlineHoltWinters#compactGrid compact grid}); with the recurrent part, the
     * network's per-sequence state ({@link SequenceState#writeState}: recurrent state, anchor (only if trainings
     * start from it), window and last input in half, normaliser in float). {@link #observe} keeps the state in
     * this form (it ends by reading back what this export would hold), so {@link #importState} of it continues
     * bit for bit. Made when asked, from the state's numbers as they are then (kept until the state changes).
     */
    public CompactState exportState(KeyState state) {
        if (state.stored == null) {
            state.stored = write(state).build();
        }
        return state.stored;
    }

    /** {@link #exportState}'s layout, written from the state's current numbers into the reused {@link #writer}. */
    private CompactState.Writer write(KeyState state) {
        CompactState.Writer out = writer.reset();
        writeHead(state, out);
        if (recurrent) {
            state.sequence.writeState(out, anchored);
        }
        writeTail(state, out);
        return out;
    }

    /** The export's part before the recurrent part's: flags, forecasts, gain moments, residual normaliser, linear path. */
    private static void writeHead(KeyState state, CompactState.Writer out) {
        out.flag(state.hasBase).counter(state.modelVersion);
        out.exact(state.lastForecast);
        out.values(state.lastBase).values(state.lastCorrection).values(state.residualTimesCorrection)
                .values(state.correctionSquared);
        state.residuals.writeState(out);
        state.linear.writeState(out);
    }

    /** The export's part after the recurrent part's: the slow errors, the candidate gains' errors, the snap. */
    private static void writeTail(KeyState state, CompactState.Writer out) {
        out.values(state.slowErrors).values(state.gainErrors).values(state.snap);
    }

    /**
     * Leaves {@code state} as {@code importState(state, write(state))} would (its stored form's numbers), in place,
     * part by part, without a write and a read: the head's and tail's numbers that {@link #writeHead} and
     * {@link #writeTail} write as values rounded to float ({@link CompactState#roundValues}), the residual
     * normaliser's and the linear path's by their own {@code roundToStored}, the recurrent part's halves by
     * {@link SequenceState#roundToStored}; the flag, the counter and the last forecast (exact) are kept. The same
     * numbers bit for bit (each part's reading back depends only on what that part wrote; guarded against the
     * export's round trip on random states by {@code HybridForecasterRoundingTest}).
     */
    void roundToStored(KeyState state) {
        state.stored = null;
        CompactState.roundValues(state.lastBase);
        CompactState.roundValues(state.lastCorrection);
        CompactState.roundValues(state.residualTimesCorrection);
        CompactState.roundValues(state.correctionSquared);
        state.residuals.roundToStored();
        state.linear.roundToStored();
        if (recurrent) {
            state.sequence.roundToStored(anchored);
        }
        CompactState.roundValues(state.slowErrors);
        CompactState.roundValues(state.gainErrors);
        CompactState.roundValues(state.snap);
    }

    /**
     * Replaces {@code state} with an export of a forecaster of the same configuration. An export of the layout
     * before the halves (the recurrent part in float, Holt-Winters on its full grid of 27 candidates) is read too:
     * the recurrent part as stored, the linear path's Holt-Winters as the candidates of the compact grid
     * ({@link io.rnnstreams.eval.OnlineHoltWinters#adopt}).
     *
     * @throws IllegalArgumentException if the export does not fit this configuration
     */
    public void importState(KeyState state, CompactState stored) {
        importState(state, new CompactState.Reader(stored));
    }

    /** {@link #importState(KeyState, CompactState)} from {@code in}, a reader of an export. */
    private void importState(KeyState state, CompactState.Reader in) {
        state.stored = null;
        // the layout before the halves also kept the least-squares gain's two moments per channel and nothing
        // after the recurrent part (no slow errors, no candidate gains' errors: those start afresh)
        boolean beforeHalves = recurrent && !in.hasHalves();
        readHead(state, in, beforeHalves);
        if (recurrent) {
            state.sequence.readState(in, anchored);
        }
        readTail(state, in, beforeHalves);
        in.finish();
    }

    /** Reads what {@link #writeHead} wrote ({@code beforeHalves}: in the layout before the halves). */
    private void readHead(KeyState state, CompactState.Reader in, boolean beforeHalves) {
        state.hasBase = in.flag();
        state.modelVersion = in.counter();
        in.exact(state.lastForecast);
        in.values(state.lastBase);
        in.values(state.lastCorrection);
        in.values(state.residualTimesCorrection);
        in.values(state.correctionSquared);
        if (beforeHalves && state.residualTimesCorrection.length == 0) {
            in.values(new double[2 * state.lastBase.length]);
        }
        state.residuals.readState(in);
        if (beforeHalves) {
            // written before the recurrent part moved to halves, when Holt-Winters ran on its full grid
            int channels = state.lastBase.length;
            ErrorWeightedCombination written = ClassicalForecasters.combination(channels, period, arOrder);
            written.readState(in);
            state.linear.adopt(written);
        } else {
            state.linear.readState(in);
        }
    }

    /** Reads what {@link #writeTail} wrote ({@code beforeHalves}: in the layout before the halves, which had none). */
    private static void readTail(KeyState state, CompactState.Reader in, boolean beforeHalves) {
        if (beforeHalves) {
            java.util.Arrays.fill(state.slowErrors, 0.0);
            java.util.Arrays.fill(state.gainErrors, 0.0);
            java.util.Arrays.fill(state.snap, 0.0);
        } else {
            in.values(state.slowErrors);
            in.values(state.gainErrors);
            if (in.valuesLeft() == 0) {
                // written before the snap (branch skab18): it starts afresh
                java.util.Arrays.fill(state.snap, 0.0);
            } else {
                in.values(state.snap);
            }
        }
    }

    /** A key's state read from its stored form ({@link #importState} into {@link #newKey}). */
    public KeyState restore(CompactState stored) {
        KeyState state = newKey();
        importState(state, stored);
        return state;
    }

    /**
     * A key's state read from its stored form into {@code reuse}, a state of this forecaster that is no longer
     * needed (the previous key's, in a stream task): what {@link #restore} returns, without allocating a new
     * state. {@link #importState} sets every number the state holds, so nothing of the previous key's remains.
     *
     * @return {@code reuse}
     * @throws IllegalArgumentException if the export does not fit this configuration ({@code reuse} is then
     *                                  partly overwritten: do not use it)
     */
    public KeyState restore(CompactState stored, KeyState reuse) {
        importState(reuse, stored);
        reuse.lastTraining = Training.NONE;
        return reuse;
    }

    /** Forgets {@code key}'s own model (key scope), in memory and in the repository. */
    public void remove(String key) {
        if (models != null) {
            models.remove(key);
        }
    }

    /** Drops the cached models, returning their bytes to the budget; call when the task closes. */
    public void close() {
        if (models != null) {
            models.close();
        }
    }

    /**
     * The spread of channel {@code c}'s readings as the network's input normaliser has seen them (1 before two
     * readings): the scale of its forecast errors.
     */
    public static double spread(KeyState state, int channel) {
        return state.sequence.normaliser().std(channel);
    }

    /** A fresh key's state. */
    public KeyState newKey() {
        return new KeyState(config, period, arOrder, recurrent && slowInputs, recurrent ? gainFit
                : GainFit.LEAST_SQUARES, tuning);
    }

    /**
     * The linear path's members' forecasts of the coming reading less {@code base}, the combination's: {@code D K}
     * numbers, channel by channel ({@link Loss#MIXTURE_HUBER}'s layout).
     */
    private double[] disagreements(ErrorWeightedCombination linear, double[] base) {
        int d = base.length;
        double[] out = new double[d * members];
        for (int k = 0; k < members; k++) {
            double[] member = linear.memberForecast(k);
            for (int i = 0; i < d; i++) {
                out[i * members + k] = member[i] - base[i];
            }
        }
        return out;
    }

    /**
     * Observes one valid reading of {@code key} and forecasts the next.
     *
     * @param state   the key's state, updated in place
     * @param reading {@code D} finite values
     * @return the forecast of the key's next reading
     */
    public double[] observe(String key, KeyState state, double[] reading) {
        int d = reading.length;
        state.stored = null;
        state.lastTraining = Training.NONE;
        double[] residual = null;
        if (state.hasBase) {
            residual = new double[d];
            for (int i = 0; i < d; i++) {
                residual[i] = reading[i] - state.lastBase[i];
                double c = state.lastCorrection[i];
                if (state.gainFit == GainFit.ABSOLUTE) {
                    GainFit.update(state.gainErrors, d, i, residual[i], c, state.gainCeiling, tuning.gainRate());
                } else {
                    state.residualTimesCorrection[i] += GAIN_RATE * (residual[i] * c - state.residualTimesCorrection[i]);
                    state.correctionSquared[i] += GAIN_RATE * (c * c - state.correctionSquared[i]);
                }
            }
        }
        if (snapping && state.hasBase) {
            // the last forecast before its snap, as made (from the numbers kept), before the gain moves
            double[] previous = state.linear.memberForecast(0);
            for (int i = 0; i < d; i++) {
                double raw = state.lastBase[i] + (recurrent ? state.gain(i) * state.lastCorrection[i] : 0.0);
                LatticeSnap.update(state.snap, d, i, reading[i], previous[i],
                        Double.isFinite(raw) ? raw : state.lastBase[i], tuning.snapRate(), tuning.snapThreshold());
            }
        }
        boolean mixture = recurrent && config.mixtureMembers() > 0;
        double[] lastDisagreements = mixture && residual != null ? disagreements(state.linear, state.lastBase) : null;
        double[] base = state.linear.next(reading);
        double[] forecast = base.clone();
        if (recurrent) {
            Model model = models.forKey(key, state.modelVersion);
            long updatesBefore = model.updates();
            long restoresBefore = model.restores();
            double[] inputs = new double[config.channels()];
            System.arraycopy(reading, 0, inputs, 0, d);
            if (config.auxiliaryInputs() > 0 && residual != null) {
                System.arraycopy(residual, 0, inputs, d, d);
            }
            for (int k = 0; k < members; k++) {
                double[] member = state.linear.memberForecast(k);
                for (int i = 0; i < d; i++) {
                    inputs[(2 + k) * d + i] = member[i] - base[i];
                }
            }
            if (slowInputs) {
                if (residual != null) {
                    SlowErrors.update(state.slowErrors, residual);
                }
                System.arraycopy(state.slowErrors, 0, inputs, (2 + members) * d, state.slowErrors.length);
            }
            ResidualCorrector.Step step = mixture
                    ? corrector.observe(model, state.sequence, state.residuals, inputs, residual, lastDisagreements,
                            disagreements(state.linear, base))
                    : corrector.observe(model, state.sequence, state.residuals, inputs, residual);
            if (step.trained()) {
                models.trained(key, model);
                state.lastTraining = new Training(true, model.updates() - updatesBefore,
                        model.restores() - restoresBefore);
            }
            state.modelVersion = Models.version(model);
            for (int i = 0; i < d; i++) {
                state.lastCorrection[i] = step.correction()[i];
                double f = base[i] + state.gain(i) * step.correction()[i];
                forecast[i] = Double.isFinite(f) ? f : base[i];
            }
        }
        if (snapping) {
            for (int i = 0; i < d; i++) {
                forecast[i] = LatticeSnap.forecast(state.snap, d, i, forecast[i], reading[i], tuning.snapThreshold());
            }
        }
        System.arraycopy(base, 0, state.lastBase, 0, d);
        System.arraycopy(forecast, 0, state.lastForecast, 0, d);
        state.hasBase = true;
        // keep the state in its stored form (floats, halves): a run that stores and reloads it between readings forecasts
        // the same numbers. Read back from the writer in place; the export itself (a copy) is made only when asked
        // (exportState: the stream asks when it writes the key's state, once per commit), from these rounded numbers,
        // which write the same export again (every rounding is idempotent: HybridForecasterTest)
        roundToStored(state);
        return forecast;
    }
}
