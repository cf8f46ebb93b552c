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
     * Huber's loss (as {@link #HUBER}) of a forecast that mixes members' forecasts by softmax weights the network
     * chooses, after the way FFORMA (Montero-Manso et al., 2020) weights a pool of forecasters, here learned online.
     * For {@code D} channels and {@code K} members: the output {@code o} has {@code D (2 + K)} numbers, per channel
     * {@code i} a correction {@code o_i} (the first {@code D}) and {@code K + 1} logits {@code l_ij} (then
     * {@code K + 1} per channel, channel by channel); the target {@code y} has {@code D (1 + K)}: the target
     * {@code u_i} (the first {@code D}), then per channel the members' disagreements {@code e_ij}, {@code j = 1..K},
     * with the base forecast in the target's units ({@code K} per channel, channel by channel); {@code e_i0 = 0} is
     * the base itself. {@code D = |o| - |y|}. Per channel, {@code w = softmax(l_i)},
     * {@code m_i = sum_j w_ij e_ij}, {@code e = o_i + m_i - u_i}, the loss is Huber's of {@code e};
     * {@code dl/do_i = h}, {@code dl/dl_ij = h w_ij (e_ij - m_i)} with {@code h = clamp(e, -1, 1)}. With zero
     * logits the mix is the members' and the base's plain mean.
     */
    MIXTURE_HUBER {
        @Override
        double lossAndGradient(double[] o, double[] y, double[] dOut, double scale) {
            int d = o.length - y.length;
            int k = y.length / d - 1;
            if (d < 1 || k < 1 || y.length != d * (1 + k)) {
                throw new IllegalArgumentException("a mixture needs an output of D (2 + K) and a target of D (1 + K) "
                        + "numbers, K >= 1, got " + o.length + " and " + y.length);
            }
            double[] w = new double[k + 1];
            double l = 0.0;
            for (int i = 0; i < d; i++) {
                int logits = d + i * (k + 1);
                int members = d + i * k;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= k; j++) {
                    max = Math.max(max, o[logits + j] + prior(j, k));
                }
                double sum = 0.0;
                for (int j = 0; j <= k; j++) {
                    w[j] = Math.exp(o[logits + j] + prior(j, k) - max);
                    sum += w[j];
                }
                double mix = 0.0;
                for (int j = 0; j <= k; j++) {
                    w[j] /= sum;
                    mix += w[j] * (j == 0 ? 0.0 : y[members + j - 1]);
                }
                double e = o[i] + mix - y[i];
                double a = Math.abs(e);
                double h;
                if (a <= 1.0) {
                    l += 0.5 * e * e;
                    h = e;
                } else {
                    l += a - 0.5;
                    h = Math.signum(e);
                }
                dOut[i] = scale * h;
                for (int j = 0; j <= k; j++) {
                    double member = j == 0 ? 0.0 : y[members + j - 1];
                    dOut[logits + j] = scale * h * w[j] * (member - mix);
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
    },
    /**
     * Huber's loss with {@code delta = 1/2}, scaled so its gradient is that of the absolute error in the tails:
     * {@code l = e^2 / (2 delta)} for {@code |e| <= delta}, else {@code |e| - delta / 2}; {@code dl/do = clamp(e / delta,
     * -1, 1)}. Nearer the absolute error than {@link #HUBER}: it seeks a target's median more than its mean (MAE).
     */
    HUBER_HALF {
        @Override
        double lossAndGradient(double[] o, double[] y, double[] dOut, double scale) {
            return narrowHuber(o, y, dOut, scale, 0.5);
        }
    };

    /** Huber's loss of width {@code delta}, scaled to the absolute error's slope in the tails. */
    private static double narrowHuber(double[] o, double[] y, double[] dOut, double scale, double delta) {
        double l = 0.0;
        for (int i = 0; i < o.length; i++) {
            double e = o[i] - y[i];
            double a = Math.abs(e);
            if (a <= delta) {
                l += 0.5 * e * e / delta;
                dOut[i] = scale * e / delta;
            } else {
                l += a - 0.5 * delta;
                dOut[i] = scale * Math.signum(e);
            }
        }
        return l;
    }

    /**
     * Returns the loss of one step and writes {@code scale * dl/do} into {@code dOut}.
     */
    abstract double lossAndGradient(double[] o, double[] y, double[] dOut, double scale);

    /** Whether the loss fits a forecast to a real-valued target (squared error, Huber or the mixture). */
    public boolean regression() {
        return this != SOFTMAX_CROSS_ENTROPY;
    }

    /**
     * {@link #MIXTURE_HUBER}'s forecast in the target's units, per channel {@code o_i + sum_j w_ij e_ij}, for an
     * output of {@code D (2 + K)} numbers and the members' disagreements {@code e} ({@code D K}, channel by channel,
     * in the target's units): written into {@code forecast} ({@code D}).
     */
    public static void mixture(double[] o, double[] members, double[] forecast) {
        int d = forecast.length;
        int k = members.length / d;
        for (int i = 0; i < d; i++) {
            int logits = d + i * (k + 1);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= k; j++) {
                max = Math.max(max, o[logits + j] + prior(j, k));
            }
            double sum = 0.0;
            double mix = 0.0;
            for (int j = 0; j <= k; j++) {
                double w = Math.exp(o[logits + j] + prior(j, k) - max);
                sum += w;
                mix += w * (j == 0 ? 0.0 : members[i * k + j - 1]);
            }
            forecast[i] = o[i] + mix / sum;
        }
    }

    /**
     * {@link #MIXTURE_HUBER}'s fixed offset of logit {@code j} of {@code K + 1}: {@code ln(9 K)} for the base
     * ({@code j = 0}), 0 for the members, so that zero logits (a fresh residual head) weight the base 0.9 and the
     * members 0.1 together. A constant: the gradient is the same as without it.
     */
    static double prior(int j, int k) {
        return j == 0 ? Math.log(9.0 * k) : 0.0;
    }

    /** The loss of one step, without a gradient. */
    public double loss(double[] o, double[] y) {
        return lossAndGradient(o, y, new double[o.length], 0.0);
    }
}
