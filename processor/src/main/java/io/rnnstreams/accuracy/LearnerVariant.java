package io.rnnstreams.accuracy;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.learner.ModelScope;
import java.util.Locale;

/**
 * A variant of the learner for extra accuracy rows ({@code --learner-variant}): its defaults with some of
 * {@code scope=key|shared}, {@code k1=N} (readings between trainings, {@code 1 <= N <= k2}),
 * {@code lr-scale=X} (times the learner's learning rate, {@code X > 0}) and {@code hidden=H}, separated by
 * {@code ;}, e.g. {@code k1=1;lr-scale=3}.
 *
 * @param scope             which keys share the recurrent core
 * @param k1                readings between trainings, or 0 for the configured value
 * @param learningRateScale factor on the learner's learning rate
 * @param hidden            hidden units of the single layer, or 0 for the configured sizes
 */
public record LearnerVariant(ModelScope scope, int k1, double learningRateScale, int hidden) {
    /** The learner's defaults. */
    public static final LearnerVariant DEFAULTS = new LearnerVariant(ModelScope.SHARED, 0, 1.0, 0);

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
                    default -> throw invalid(spec, part);
                }
            } catch (IllegalArgumentException e) {
                throw invalid(spec, part);
            }
        }
        return new LearnerVariant(scope, k1, lr, hidden);
    }

    /** {@code config} with this variant's {@code k1} and hidden size (the learning rate is applied by the caller). */
    public LearnerConfig apply(LearnerConfig config) {
        LearnerConfig.Builder b = config.toBuilder();
        if (k1 > 0) {
            if (k1 > config.k2()) {
                throw new IllegalArgumentException("--learner-variant: k1=" + k1 + " exceeds k2=" + config.k2());
            }
            b.k1(k1);
        }
        if (hidden > 0) {
            b.network(config.network().toBuilder().hiddenSizes(new int[] {hidden}).build());
        }
        return b.build();
    }

    private static int positive(int v, String spec, String part) {
        if (v < 1) {
            throw invalid(spec, part);
        }
        return v;
    }

    private static IllegalArgumentException invalid(String spec, String part) {
        return new IllegalArgumentException("--learner-variant '" + spec + "': cannot use '" + part + "'; allowed: "
                + "scope=key|shared, k1=N (1..k2), lr-scale=X (> 0), hidden=H (>= 1), separated by ';'");
    }
}
