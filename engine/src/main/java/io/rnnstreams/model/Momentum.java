package io.rnnstreams.model;

import java.util.List;

/** Heavy-ball momentum: {@code v = mu v + g; w -= lr * v}. State: the velocity {@code v} (P). */
final class Momentum extends Optimizer {
    private final double learningRate;
    private final double momentum;
    private final double[][][] velocity;

    Momentum(List<Parameter> parameters, double learningRate, double momentum) {
        super(parameters);
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.velocity = shapedLike(parameters);
    }

    @Override
    protected void update() {
        for (int p = 0; p < parameters.size(); p++) {
            Parameter param = parameters.get(p);
            for (int j = 0; j < param.cols(); j++) {
                double[] v = velocity[p][j];
                double[] g = param.grad[j];
                double[] w = param.value[j];
                for (int i = 0; i < v.length; i++) {
                    v[i] = momentum * v[i] + g[i];
                    w[i] -= learningRate * v[i];
                }
            }
        }
    }

    @Override
    public int stateSize() {
        return parameterCount();
    }

    @Override
    public void writeState(double[] dst) {
        Network.requireLength(dst, stateSize(), "momentum state");
        write(velocity, dst, 0);
    }

    @Override
    public void readState(double[] src, long steps) {
        Network.requireLength(src, stateSize(), "momentum state");
        read(velocity, src, 0);
        this.steps = steps;
    }
}
