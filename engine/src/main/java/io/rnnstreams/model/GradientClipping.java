package io.rnnstreams.model;

import java.util.List;

/**
 * Immutable gradient clipping: first each element to {@code [-maxValue, maxValue]}, then the whole
 * gradient to global L2 norm {@code maxNorm}. Either is off when its limit is {@code 0}.
 */
public final class GradientClipping {
    public static final GradientClipping NONE = new GradientClipping(0, 0);

    private final double maxNorm;
    private final double maxValue;

    private GradientClipping(double maxNorm, double maxValue) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("clip norm must be >= 0 (0 = off), got " + maxNorm);
        }
        if (!(maxValue >= 0) || Double.isInfinite(maxValue)) {
            throw new IllegalArgumentException("clip value must be >= 0 (0 = off), got " + maxValue);
        }
        this.maxNorm = maxNorm;
        this.maxValue = maxValue;
    }

    /** @param maxNorm global L2 norm limit, 0 = off; @param maxValue element limit, 0 = off */
    public static GradientClipping of(double maxNorm, double maxValue) {
        return new GradientClipping(maxNorm, maxValue);
    }

    public double maxNorm() {
        return maxNorm;
    }

    public double maxValue() {
        return maxValue;
    }

    /**
     * Clips the parameters' gradients in place and returns the global norm before clipping
     * (non-finite if any gradient is).
     */
    double apply(List<Parameter> parameters) {
        double norm = globalNorm(parameters); // before any clipping: an infinite gradient stays visible
        if (maxValue > 0) {
            for (Parameter p : parameters) {
                for (double[] g : p.grad) {
                    for (int i = 0; i < g.length; i++) {
                        g[i] = Math.max(-maxValue, Math.min(maxValue, g[i]));
                    }
                }
            }
        }
        if (maxNorm > 0 && Double.isFinite(norm)) {
            double clippedNorm = maxValue > 0 ? globalNorm(parameters) : norm;
            if (clippedNorm > maxNorm) {
                double scale = maxNorm / clippedNorm;
                for (Parameter p : parameters) {
                    for (double[] g : p.grad) {
                        for (int i = 0; i < g.length; i++) {
                            g[i] *= scale;
                        }
                    }
                }
            }
        }
        return norm;
    }

    private static double globalNorm(List<Parameter> parameters) {
        double sumSquares = 0.0;
        for (Parameter p : parameters) {
            sumSquares = Kernels.addSquaredNorms(p.grad, sumSquares);
        }
        return Math.sqrt(sumSquares);
    }

    @Override
    public String toString() {
        return "clip(norm=" + maxNorm + ", value=" + maxValue + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GradientClipping && ((GradientClipping) o).maxNorm == maxNorm
                && ((GradientClipping) o).maxValue == maxValue;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(maxNorm) * 31 + Double.hashCode(maxValue);
    }
}
