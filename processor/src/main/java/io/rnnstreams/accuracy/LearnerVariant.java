package io.rnnstreams.accuracy;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Loss;
import io.rnnstreams.learner.GainFit;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelScope;
import java.util.Locale;

/**
 * A variant of the learner for extra accuracy rows ({@code --learner-variant}): its defaults with some of
 * {@code scope=key|shared}, {@code k1=N} (readings between trainings, {@code 1 <= N <= k2}),
 * {@code lr-scale=X} (times the learner's learning rate, {@code X > 0}), {@code hidden=H}, {@code k2=N} (the
 * TBPTT window, {@code N >= k1}), {@code anchor=kept|zero} (trainings start from the window's anchor, or
 * from a zero state) and {@code loss=squared|huber|huber-half} (the network's loss on its standardised target: squared
 * error, {@link Loss#HUBER} or {@link Loss#HUBER_HALF}) and {@code slow=on|off} (the network also reads the linear path's error
 * smoothed at two rates, {@code HybridForecaster.networkConfig}) and {@code gain=squares|absolute} (how the
 * correction's gain is fitted, {@link GainFit}) and {@code mix=on|off} (the network also chooses softmax weights
 * over the linear path's members, {@link Loss#MIXTURE_HUBER}) and {@code combine=squares|absolute} (the linear path
 * weights its members by recent squared or absolute errors) and {@code recurrent=on|off} (off: the variant's
 * ablation, the linear path alone) and {@code snap=on|off} (forecasts move to a quantised channel's lattice while that
 * helps, {@code LatticeSnap}) and {@code gain-max=X} (the correction's largest candidate gain, {@code 0 < X <= 4})
 * and {@code combine-rate=X} (the rate of the linear path's members' recent errors, {@code 0 < X <= 1}) and
 * {@code combine-power=X} (the linear path's weights {@code mse^-X}, {@code X > 0}) and {@code gain-rate=X},
 * {@code snap-rate=X} (the rates of the gain's and the snap's recent errors) and {@code snap-threshold=X} (quanta a
 * forecast must be from the last reading to snap away from it, {@code 0 < X < 1}; {@code HybridForecaster.Tuning}),
 * separated by {@code ;}, e.g. {@code k1=1;lr-scale=3}.
 *
 * @param scope             which keys share the recurrent core
 * @param k1                readings between trainings, or 0 for the configured value
 * @param learningRateScale factor on the learner's learning rate
 * @param hidden            hidden units of the single layer, or 0 for the configured sizes
 * @param k2                the TBPTT window, or 0 for the configured one
 * @param anchored          whether trainings start from the window's anchor
 * @param loss              the network's loss, or null for the configured one
 * @param slowInputs        whether the network also reads the linear path's smoothed errors
 * @param gainFit           how the correction's gain is fitted
 * @param mixture           whether the network also mixes the linear path's members by softmax weights
 * @param absoluteWeights   whether the linear path weights its members by recent absolute errors
 * @param recurrent         false: the linear path alone (the variant's ablation)
 * @param snapping          whether forecasts move to a quantised channel's lattice while that helps
 * @param gainCeiling       the correction's largest candidate gain
 * @param combinationRate   the rate of the linear path's members' recent errors
 * @param combinationPower  the power of the linear path's weights
 * @param gainRate          the rate of the candidate gains' recent errors
 * @param snapRate          the rate of the snap's recent advantage
 * @param snapThreshold     quanta a forecast must be from the last reading to snap away from it
 */
public record LearnerVariant(ModelScope scope, int k1, double learningRateScale, int hidden, int k2,
                             boolean anchored, Loss loss, boolean slowInputs,
                             GainFit gainFit, boolean mixture, boolean absoluteWeights, boolean recurrent,
                             boolean snapping, double gainCeiling, double combinationRate, double combinationPower,
                             double gainRate, double snapRate, double snapThreshold) {
    /** The learner's defaults. */
    public static final LearnerVariant DEFAULTS = new LearnerVariant(ModelScope.SHARED, 0, 1.0, 0, 0,
            HybridForecaster.ANCHORED, null, false, HybridForecaster.GAIN_FIT, false, false, true,
            HybridForecaster.SNAPPING, HybridForecaster.Tuning.DEFAULTS.gainCeiling(),
            HybridForecaster.Tuning.DEFAULTS.combinationRate(), HybridForecaster.Tuning.DEFAULTS.combinationPower(),
            HybridForecaster.Tuning.DEFAULTS.gainRate(), HybridForecaster.Tuning.DEFAULTS.snapRate(),
            HybridForecaster.Tuning.DEFAULTS.snapThreshold());

    /**
     * Parses a specification.
     *
     * @throws IllegalArgumentException naming the option, the part and what is allowed
     */
    public static LearnerVariant parse(String spec) {
        ModelScope scope = ModelScope.SHARED;
        int k1 = 0;
        double lr = 1.0;
        int hidden = 0;
        int k2 = 0;
        boolean anchored = HybridForecaster.ANCHORED;
        Loss loss = null;
        boolean slow = false;
        GainFit gainFit = HybridForecaster.GAIN_FIT;
        boolean mixture = false;
        boolean absoluteWeights = false;
        boolean recurrent = true;
        boolean snapping = HybridForecaster.SNAPPING;
        double gainCeiling = DEFAULTS.gainCeiling();
        double combinationRate = DEFAULTS.combinationRate();
        double combinationPower = DEFAULTS.combinationPower();
        double gainRate = DEFAULTS.gainRate();
        double snapRate = DEFAULTS.snapRate();
        double snapThreshold = DEFAULTS.snapThreshold();
        for (String part : spec.split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw invalid(spec, part);
            }
            String value = kv[1].trim();
            try {
                switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                    case "scope" -> scope = ModelScope.valueOf(value.toUpperCase(Locale.ROOT));
                    case "k1" -> k1 = positive(Integer.parseInt(value), spec, part);
                    case "lr-scale" -> {
                        lr = Double.parseDouble(value);
                        if (!(lr > 0 && Double.isFinite(lr))) {
                            throw invalid(spec, part);
                        }
                    }
                    case "hidden" -> hidden = positive(Integer.parseInt(value), spec, part);
                    case "k2" -> k2 = positive(Integer.parseInt(value), spec, part);
                    case "anchor" -> anchored = choice(value, spec, part, "kept", true, "zero", false);
                    case "loss" -> loss = switch (value.toLowerCase(Locale.ROOT)) {
                        case "squared" -> Loss.SQUARED_ERROR;
                        case "huber" -> Loss.HUBER;
                        case "huber-half" -> Loss.HUBER_HALF;
                        default -> throw invalid(spec, part);
                    };
                    case "slow" -> slow = choice(value, spec, part, "on", true, "off", false);
                    case "gain" -> gainFit = choice(value, spec, part, "squares", GainFit.LEAST_SQUARES, "absolute",
                            GainFit.ABSOLUTE);
                    case "mix" -> mixture = choice(value, spec, part, "on", true, "off", false);
                    case "combine" -> absoluteWeights = choice(value, spec, part, "squares", false, "absolute", true);
                    case "recurrent" -> recurrent = choice(value, spec, part, "on", true, "off", false);
                    case "snap" -> snapping = choice(value, spec, part, "on", true, "off", false);
                    case "gain-max" -> gainCeiling = within(Double.parseDouble(value), 4, spec, part);
                    case "combine-rate" -> combinationRate = within(Double.parseDouble(value), 1, spec, part);
                    case "combine-power" -> combinationPower = within(Double.parseDouble(value), 16, spec, part);
                    case "gain-rate" -> gainRate = within(Double.parseDouble(value), 1, spec, part);
                    case "snap-rate" -> snapRate = within(Double.parseDouble(value), 1, spec, part);
                    case "snap-threshold" -> {
                        snapThreshold = Double.parseDouble(value);
                        if (!(snapThreshold > 0 && snapThreshold < 1)) {
                            throw invalid(spec, part);
                        }
                    }
                    default -> throw invalid(spec, part);
                }
            } catch (IllegalArgumentException e) {
                throw invalid(spec, part);
            }
        }
        return new LearnerVariant(scope, k1, lr, hidden, k2, anchored, loss, slow, gainFit, mixture, absoluteWeights,
                recurrent, snapping, gainCeiling, combinationRate, combinationPower, gainRate, snapRate, snapThreshold);
    }

    /** The learner's choices that are not the network's ({@link HybridForecaster.Tuning}). */
    public HybridForecaster.Tuning tuning() {
        return new HybridForecaster.Tuning(gainFit, absoluteWeights, snapping, gainCeiling, combinationRate,
                combinationPower, gainRate, snapRate, snapThreshold);
    }

    /**
     * {@code config} with this variant's {@code k1}, hidden size and loss (the learning rate is applied by the
     * caller).
     */
    public LearnerConfig apply(LearnerConfig config) {
        LearnerConfig.Builder b = config.toBuilder();
        int window = k2 > 0 ? k2 : config.k2();
        int every = k1 > 0 ? k1 : Math.min(config.k1(), window);
        if (every > window) {
            throw new IllegalArgumentException("--learner-variant: k1=" + every + " exceeds k2=" + window);
        }
        b.k1(every).k2(window);
        if (hidden > 0 || loss != null) {
            var network = config.network().toBuilder();
            if (hidden > 0) {
                network.hiddenSizes(new int[] {hidden});
            }
            if (loss != null) {
                network.loss(loss);
            }
            b.network(network.build());
        }
        return b.build();
    }

    /** {@code ifFirst} for {@code first}, {@code ifSecond} for {@code second} (either case), else invalid. */
    private static <T> T choice(String value, String spec, String part, String first, T ifFirst, String second,
                                T ifSecond) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals(first)) {
            return ifFirst;
        }
        if (v.equals(second)) {
            return ifSecond;
        }
        throw invalid(spec, part);
    }

    /** {@code v} if in {@code (0, max]}, else invalid. */
    private static double within(double v, double max, String spec, String part) {
        if (!(v > 0 && v <= max)) {
            throw invalid(spec, part);
        }
        return v;
    }

    private static int positive(int v, String spec, String part) {
        if (v < 1) {
            throw invalid(spec, part);
        }
        return v;
    }

    private static IllegalArgumentException invalid(String spec, String part) {
        return new IllegalArgumentException("--learner-variant '" + spec + "': cannot use '" + part + "'; allowed: "
                + "scope=key|shared, k1=N (1..k2), lr-scale=X (> 0), hidden=H (>= 1), k2=N (>= k1), anchor=kept|zero, "
                + "loss=squared|huber|huber-half, slow=on|off, gain=squares|absolute, mix=on|off, "
                + "combine=squares|absolute, recurrent=on|off, snap=on|off, gain-max=X (0 < X <= 4), "
                + "combine-rate=X (0 < X <= 1), combine-power=X (0 < X <= 16), gain-rate=X (0 < X <= 1), "
                + "snap-rate=X (0 < X <= 1), snap-threshold=X (0 < X < 1), separated by ';'");
    }
}
