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
 * from a zero state) and {@code loss=squared|huber} (the network's loss on its standardised target: squared
 * error, or {@link Loss#HUBER}) and {@code slow=on|off} (the network also reads the linear path's error
 * smoothed at two rates, {@code HybridForecaster.networkConfig}) and {@code gain=squares|absolute} (how the
 * correction's gain is fitted, {@link GainFit}) and {@code mix=on|off} (the network also chooses softmax weights
 * over the linear path's members, {@link Loss#MIXTURE_HUBER}) and {@code combine=squares|absolute} (the linear path
 * weights its members by recent squared or absolute errors) and {@code recurrent=on|off} (off: the variant's
 * ablation, the linear path alone) and {@code snap=on|off} (forecasts move to a quantised channel's lattice while that
 * helps, {@code LatticeSnap}), separated by {@code ;}, e.g. {@code k1=1;lr-scale=3}.
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
 */
public record LearnerVariant(ModelScope scope, int k1, double learningRateScale, int hidden, int k2,
                             boolean anchored, Loss loss, boolean slowInputs,
                             GainFit gainFit, boolean mixture, boolean absoluteWeights, boolean recurrent,
                             boolean snapping) {
    /** The learner's defaults. */
    public static final LearnerVariant DEFAULTS = new LearnerVariant(ModelScope.SHARED, 0, 1.0, 0, 0,
            HybridForecaster.ANCHORED, null, false, HybridForecaster.GAIN_FIT, false, false, true,
            HybridForecaster.SNAPPING);

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
                    case "loss" -> loss = choice(value, spec, part, "squared", Loss.SQUARED_ERROR, "huber", Loss.HUBER);
                    case "slow" -> slow = choice(value, spec, part, "on", true, "off", false);
                    case "gain" -> gainFit = choice(value, spec, part, "squares", GainFit.LEAST_SQUARES, "absolute",
                            GainFit.ABSOLUTE);
                    case "mix" -> mixture = choice(value, spec, part, "on", true, "off", false);
                    case "combine" -> absoluteWeights = choice(value, spec, part, "squares", false, "absolute", true);
                    case "recurrent" -> recurrent = choice(value, spec, part, "on", true, "off", false);
                    case "snap" -> snapping = choice(value, spec, part, "on", true, "off", false);
                    default -> throw invalid(spec, part);
                }
            } catch (IllegalArgumentException e) {
                throw invalid(spec, part);
            }
        }
        return new LearnerVariant(scope, k1, lr, hidden, k2, anchored, loss, slow, gainFit, mixture, absoluteWeights,
                recurrent, snapping);
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

    private static int positive(int v, String spec, String part) {
        if (v < 1) {
            throw invalid(spec, part);
        }
        return v;
    }

    private static IllegalArgumentException invalid(String spec, String part) {
        return new IllegalArgumentException("--learner-variant '" + spec + "': cannot use '" + part + "'; allowed: "
                + "scope=key|shared, k1=N (1..k2), lr-scale=X (> 0), hidden=H (>= 1), k2=N (>= k1), anchor=kept|zero, "
                + "loss=squared|huber, slow=on|off, gain=squares|absolute, mix=on|off, "
                + "combine=squares|absolute, recurrent=on|off, snap=on|off, separated by ';'");
    }
}
