package io.rnnstreams.model;

import java.util.Arrays;

/** Immutable optimizer settings. Validated on construction; a bad value names itself. */
public final class OptimizerConfig {
    /** The update rules. */
    public enum Kind { SGD, MOMENTUM, ADAM }

    private final Kind kind;
    private final double learningRate;
    private final double momentum;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private OptimizerConfig(Kind kind, double learningRate, double momentum, double beta1, double beta2,
                            double epsilon) {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer must be one of " + Arrays.toString(Kind.values()));
        }
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        require(epsilon > 0, "epsilon must be > 0, got " + epsilon);
        this.kind = kind;
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Plain gradient descent: {@code w -= lr * g}. */
    public static OptimizerConfig sgd(double learningRate) {
        return new OptimizerConfig(Kind.SGD, learningRate, 0, 0.9, 0.999, 1e-8);
    }

    /** Heavy ball: {@code v = mu v + g; w -= lr * v}. */
    public static OptimizerConfig momentum(double learningRate, double momentum) {
        return new OptimizerConfig(Kind.MOMENTUM, learningRate, momentum, 0.9, 0.999, 1e-8);
    }

    /** Adam (Kingma and Ba) with bias correction. */
    public static OptimizerConfig adam(double learningRate, double beta1, double beta2, double epsilon) {
        return new OptimizerConfig(Kind.ADAM, learningRate, 0, beta1, beta2, epsilon);
    }

    /** Adam with the usual betas 0.9, 0.999 and epsilon 1e-8. */
    public static OptimizerConfig adam(double learningRate) {
        return adam(learningRate, 0.9, 0.999, 1e-8);
    }

    public Kind kind() {
        return kind;
    }

    public double learningRate() {
        return learningRate;
    }

    public double momentum() {
        return momentum;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public String toString() {
        switch (kind) {
            case SGD:
                return "SGD(lr=" + learningRate + ")";
            case MOMENTUM:
                return "MOMENTUM(lr=" + learningRate + ", mu=" + momentum + ")";
            default:
                return "ADAM(lr=" + learningRate + ", b1=" + beta1 + ", b2=" + beta2 + ", eps=" + epsilon + ")";
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OptimizerConfig && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
