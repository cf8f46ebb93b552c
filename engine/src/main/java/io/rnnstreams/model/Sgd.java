package io.rnnstreams.model;

import java.util.List;

/** {@code w -= lr * g}. No state. */
final class Sgd extends Optimizer {
    private final double learningRate;

    Sgd(List<Parameter> parameters, double learningRate) {
        super(parameters);
        this.learningRate = learningRate;
    }

    @Override
    protected void update() {
        for (Parameter p : parameters) {
            for (int j = 0; j < p.cols(); j++) {
                Kernels.axpy(-learningRate, p.grad[j], p.value[j]);
            }
        }
    }

    @Override
    public int stateSize() {
        return 0;
    }

    @Override
    public void writeState(double[] dst) {
        Network.requireLength(dst, 0, "SGD state");
    }

    @Override
    public void readState(double[] src, long steps) {
        Network.requireLength(src, 0, "SGD state");
        this.steps = steps;
    }
}
