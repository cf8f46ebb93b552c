package io.rnnstreams.model;

/** Element-wise activation of an Elman cell, with its derivative expressed through the output. */
public enum Activation {
    TANH {
        @Override
        double apply(double z) {
            return tanh(z);
        }

        @Override
        double derivativeFromOutput(double y) {
            return 1.0 - y * y;
        }
    },
    SIGMOID {
        @Override
        double apply(double z) {
            return sigmoid(z);
        }

        @Override
        double derivativeFromOutput(double y) {
            return y * (1.0 - y);
        }
    },
    RELU {
        @Override
        double apply(double z) {
            return z > 0.0 ? z : 0.0;
        }

        @Override
        double derivativeFromOutput(double y) {
            return y > 0.0 ? 1.0 : 0.0;
        }
    };

    abstract double apply(double z);

    /** {@code act'(z)} written as a function of {@code y = act(z)}. */
    abstract double derivativeFromOutput(double y);

    /** Below this |z|, {@link #tanh} uses its odd Taylor polynomial instead of {@code exp}. */
    static final double TANH_SERIES_LIMIT = 0x1p-6;

    /**
     * The hyperbolic tangent through {@link Math#exp} (a JIT intrinsic), about 3x cheaper than
     * {@link Math#tanh} on JDK 17, which there calls the native fdlibm code of {@code StrictMath}.
     *
     * <p>Contract (checked by {@code TanhTest}): odd ({@code tanh(-z) == -tanh(z)} bit for bit, {@code -0.0}
     * kept); within 32 ulps of {@link StrictMath#tanh}, relative error below 4e-15 (the worst case, ~18 ulps,
     * is just above the series limit, where {@code 1 - exp(-2|z|)} cancels), within 4 ulps for
     * |z| &lt; 2^-6 and for |z| &ge; 0.1; exactly {@code ±1} from |z| = 20 (where the true value has long
     * rounded to ±1) and for {@code ±infinity}; NaN for NaN. Deterministic: the same input gives the same
     * bits on a given JVM and CPU, like {@link #sigmoid}.
     *
     * <p>For |z| &lt; 2^-6: {@code z (1 - z^2/3 + 2z^4/15 - 17z^6/315)} (a product, so {@code -0.0} stays
     * {@code -0.0}); the first omitted term,
     * {@code 62 z^9/2835}, is below 8e-17 of the result. Otherwise, with {@code t = exp(-2|z|)} in (0, 0.97]:
     * {@code tanh|z| = (1 - t) / (1 + t)}, sign copied from z.
     */
    static double tanh(double z) {
        double a = Math.abs(z);
        if (a < TANH_SERIES_LIMIT) {
            double z2 = z * z;
            return z * (1.0 + z2 * (-1.0 / 3.0 + z2 * (2.0 / 15.0 + z2 * (-17.0 / 315.0))));
        }
        double t = Math.exp(-2.0 * a);
        return Math.copySign((1.0 - t) / (1.0 + t), z);
    }

    /** The logistic function, written so that it never overflows. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}
