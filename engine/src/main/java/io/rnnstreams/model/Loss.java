package io.rnnstreams.model;

/** Per-step loss of the head output {@code o} against a target {@code y}, both of length {@code O}. */
public enum Loss {
    /** {@code l = 1/2 ||o - y||^2}; {@code dl/do = o - y}. For forecasting (identity output). */
    SQUARED_ERROR {
        @Override
        double lossAndGradient(double[] o, double[] y, double[] dOut, double scale) {
            double l = 0.0;
            for (int i = 0; i < o.length; i++) {
                double e = o[i] - y[i];
                l += e * e;
                dOut[i] = scale * e;
            }
            return 0.5 * l;
        }
    },
    /**
     * Huber's loss (1964) with {@code delta = 1}, per output: {@code l = 1/2 e^2} for {@code |e| <= 1}, else
     * {@code |e| - 1/2}, {@code e = o - y}; {@code dl/do = clamp(e, -1, 1)}. For forecasting targets in units of
     * their spread (the hybrid learner's standardised residuals): squared error near the target, absolute error
     * in the tails, so a few large errors do not dominate the window's gradient.
     */
    HUBER {
        @Override
        double lossAndGradient(double[] o, double[] y, double[] dOut, double scale) {
            double l = 0.0;
            for (int i = 0; i < o.length; i++) {
                double e = o[i] - y[i];
                double a = Math.abs(e);
                if (a <= 1.0) {
                    l += 0.5 * e * e;
                    dOut[i] = scale * e;
                } else {
                    l += a - 0.5;
                    dOut[i] = scale * Math.signum(e);
                }
            }
            return l;
        }
    },
    /**
     * {@code p = softmax(o)}, {@code l = -sum_i y_i log p_i} for a target distribution {@code y}
     * (one-hot for a class); {@code dl/do_i = p_i * sum(y) - y_i}. For per-step classification.
     */
    SOFTMAX_CROSS_ENTROPY {
        @Override
        double lossAndGradient(double[] o, double[] y, double[] dOut, double scale) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : o) {
                max = Math.max(max, v);
            }
            double sum = 0.0;
            for (int i = 0; i < o.length; i++) {
                sum += Math.exp(o[i] - max);
            }
            double logSum = max + Math.log(sum);
            double ySum = 0.0;
            double l = 0.0;
            for (int i = 0; i < o.length; i++) {
                ySum += y[i];
                if (y[i] != 0.0) {
                    l -= y[i] * (o[i] - logSum);
                }
            }
            for (int i = 0; i < o.length; i++) {
                dOut[i] = scale * (Math.exp(o[i] - logSum) * ySum - y[i]);
            }
            return l;
        }
    };

    /**
     * Returns the loss of one step and writes {@code scale * dl/do} into {@code dOut}.
     */
    abstract double lossAndGradient(double[] o, double[] y, double[] dOut, double scale);

    /** Whether the loss fits a forecast to a real-valued target (squared error or Huber). */
    public boolean regression() {
        return this != SOFTMAX_CROSS_ENTROPY;
    }

    /** The loss of one step, without a gradient. */
    public double loss(double[] o, double[] y) {
        return lossAndGradient(o, y, new double[o.length], 0.0);
    }
}
