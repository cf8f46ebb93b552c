package io.rnnstreams.learner;

import io.rnnstreams.eval.ClassicalForecasters;
import io.rnnstreams.eval.ErrorWeightedCombination;
import io.rnnstreams.eval.StateSize;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.LossSteps;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.Normaliser;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.ResidualCorrector;
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
 * <p>The forecast of {@code x(t+1)} is {@code base(t) + g c(t)}: the linear path's forecast plus the
 * network's correction scaled by a gain {@code g} in [0, 1] fitted online per key and channel by least squares
 * on recent errors: {@code g = clamp(E[r c] / E[c^2], 0, 1)} with {@code r} the linear path's error and
 * {@code c} the correction that was made for the same reading, both expectations exponentially weighted
 * (rate {@value #GAIN_RATE}). It is the weight of the corrected forecast in the combination of
 * {@code base} and {@code base + c} that minimises the recent squared error: a correction that does not help
 * is switched off, one that does is used in full.
 *
 * <p>With the recurrent part removed ({@code recurrent = false}: the ablation) the forecast is the linear
 * path's, the classical combination's bit for bit.
 *
 * <p>Deterministic; one instance per stream task (or in-process run). Not thread-safe.
 */
public final class HybridForecaster {
    /** Rate of the exponentially weighted moments that fit the correction's gain. */
    public static final double GAIN_RATE = 0.01;
    /** The learner's Adam learning rate (the plain RNN's default is 0.001). */
    public static final double LEARNING_RATE = 0.003;

    private final LearnerConfig config;
    private final int period;
    private final int arOrder;
    private final boolean recurrent;
    private final Models models;
    private final ResidualCorrector corrector;

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
        this.config = config;
        this.period = period;
        this.arOrder = arOrder;
        this.recurrent = recurrent;
        this.models = recurrent ? Models.of(scope, config, repository, cacheSize, ModelCacheBudget.unbounded(), null) : null;
        this.corrector = recurrent ? new ResidualCorrector(config) : null;
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
        boolean hasBase;
        long modelVersion;

        KeyState(LearnerConfig config, int period, int arOrder) {
            int d = config.network().outputSize();
            this.linear = ClassicalForecasters.combination(d, period, arOrder);
            this.sequence = new SequenceState(config);
            this.residuals = new Normaliser(d);
            this.lastBase = new double[d];
            this.lastCorrection = new double[d];
            this.residualTimesCorrection = new double[d];
            this.correctionSquared = new double[d];
        }

        /** The gain of channel {@code c}'s correction, in [0, 1]. */
        public double gain(int channel) {
            double cc = correctionSquared[channel];
            if (!(cc > 0)) {
                return 0.0;
            }
            return Math.max(0.0, Math.min(1.0, residualTimesCorrection[channel] / cc));
        }
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
        int aux = 1 + ClassicalForecasters.members(1, period, 1).size();
        return base.toBuilder().residual(true).auxiliaryInputs(aux)
                .optimizer(OptimizerConfig.adam(LEARNING_RATE * learningRateScale))
                .network(base.network().toBuilder().inputSize(channels * (1 + aux)).outputSize(channels)
                        .lossSteps(LossSteps.NEWEST).build())
                .build();
    }

    /**
     * What one key's state holds between readings ({@link KeyState}): the linear path's state
     * ({@link ErrorWeightedCombination#stateSize}); with the recurrent part, also the network's per-sequence
     * state ({@link SequenceState#storedDoubles}: recurrent state, TBPTT window and anchor, input normaliser,
     * last input and forecast), the residual normaliser ({@code 2 D} doubles and a count), the last base
     * forecast, the last correction and the gain's two moments ({@code 4 D} doubles), and the has-base flag
     * and model version. The weights are the model's (per task in scope {@code shared}), not the key's. The
     * ablation keeps the linear path alone. Independent of the key and of what it has seen.
     */
    public StateSize keyStateSize() {
        KeyState state = newKey();
        StateSize size = state.linear.stateSize();
        if (!recurrent) {
            return size;
        }
        int d = state.lastBase.length;
        return size.plus(new StateSize(state.sequence.storedDoubles(), 0, state.sequence.storedCounters()))
                .plus(new StateSize(2L * d + 4L * d, 0, 1 + 2));
    }

    /** A fresh key's state. */
    public KeyState newKey() {
        return new KeyState(config, period, arOrder);
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
        double[] residual = null;
        if (state.hasBase) {
            residual = new double[d];
            for (int i = 0; i < d; i++) {
                residual[i] = reading[i] - state.lastBase[i];
                double c = state.lastCorrection[i];
                state.residualTimesCorrection[i] += GAIN_RATE * (residual[i] * c - state.residualTimesCorrection[i]);
                state.correctionSquared[i] += GAIN_RATE * (c * c - state.correctionSquared[i]);
            }
        }
        double[] base = state.linear.next(reading);
        double[] forecast = base.clone();
        if (recurrent) {
            Model model = models.forKey(key, state.modelVersion);
            double[] inputs = new double[config.channels()];
            System.arraycopy(reading, 0, inputs, 0, d);
            if (config.auxiliaryInputs() > 0 && residual != null) {
                System.arraycopy(residual, 0, inputs, d, d);
            }
            for (int k = 0; k + 1 < config.auxiliaryInputs(); k++) {
                double[] member = state.linear.memberForecast(k);
                for (int i = 0; i < d; i++) {
                    inputs[(2 + k) * d + i] = member[i] - base[i];
                }
            }
            ResidualCorrector.Step step = corrector.observe(model, state.sequence, state.residuals, inputs, residual);
            if (step.trained()) {
                models.trained(key, model);
            }
            state.modelVersion = Models.version(model);
            for (int i = 0; i < d; i++) {
                state.lastCorrection[i] = step.correction()[i];
                double f = base[i] + state.gain(i) * step.correction()[i];
                forecast[i] = Double.isFinite(f) ? f : base[i];
            }
        }
        System.arraycopy(base, 0, state.lastBase, 0, d);
        state.hasBase = true;
        return forecast;
    }
}
