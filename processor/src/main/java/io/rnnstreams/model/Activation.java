package io.rnnstreams.model;

/** Element-wise activation of an Elman cell, with its derivative expressed through the output. */
public enum Activation {
    TANH {
        @Override
        double apply(double z) {
            return Math.tanh(z);
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

    /** The logistic function, written so that it never overflows. */
    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}
