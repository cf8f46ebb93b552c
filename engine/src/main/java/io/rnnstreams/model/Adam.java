package io.rnnstreams.model;

import java.util.List;

/**
 * Adam with bias correction: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}. State: {@code m} then {@code v} (2P).
 */
final class Adam extends Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[][][] m;
    private final double[][][] v;

    Adam(List<Parameter> parameters, OptimizerConfig config) {
        super(parameters);
        this.learningRate = config.learningRate();
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.epsilon = config.epsilon();
        this.m = shapedLike(parameters);
        this.v = shapedLike(parameters);
    }

    @Override
    protected void update() {
        // StrictMath: the same bias corrections on every machine
        double c1 = 1.0 / (1.0 - StrictMath.pow(beta1, steps));
        double c2 = 1.0 / (1.0 - StrictMath.pow(beta2, steps));
        for (int p = 0; p < parameters.size(); p++) {
            Parameter param = parameters.get(p);
            for (int j = 0; j < param.cols(); j++) {
                double[] mj = m[p][j];
                double[] vj = v[p][j];
                double[] g = param.grad[j];
                double[] w = param.value[j];
                for (int i = 0; i < mj.length; i++) {
                    double gi = g[i];
                    mj[i] = beta1 * mj[i] + (1.0 - beta1) * gi;
                    vj[i] = beta2 * vj[i] + (1.0 - beta2) * gi * gi;
                    w[i] -= learningRate * (mj[i] * c1) / (Math.sqrt(vj[i] * c2) + epsilon);
                }
            }
        }
    }

    @Override
    public int stateSize() {
        return 2 * parameterCount();
    }

    @Override
    public void writeState(double[] dst) {
        Network.requireLength(dst, stateSize(), "Adam state");
        write(v, dst, write(m, dst, 0));
    }

    @Override
    public void readState(double[] src, long steps) {
        Network.requireLength(src, stateSize(), "Adam state");
        read(v, src, read(m, src, 0));
        this.steps = steps;
    }
}
