package io.rnnstreams.model;

import java.util.List;

/**
 * Applies accumulated gradients to parameters. Its moments mirror the parameters' layout and are
 * part of the exported model state, so an imported optimizer continues bit-identically.
 */
public abstract class Optimizer {
    protected final List<Parameter> parameters;
    /** Updates applied so far (Adam's {@code t}). */
    protected long steps;

    protected Optimizer(List<Parameter> parameters) {
        this.parameters = parameters;
    }

    /** The optimizer for {@code config} over {@code parameters}. */
    public static Optimizer create(OptimizerConfig config, List<Parameter> parameters) {
        switch (config.kind()) {
            case SGD:
                return new Sgd(parameters, config.learningRate());
            case MOMENTUM:
                return new Momentum(parameters, config.learningRate(), config.momentum());
            case ADAM:
                return new Adam(parameters, config);
            default:
                throw new AssertionError(config.kind());
        }
    }

    /** One update from the parameters' current gradients. */
    public final void step() {
        steps++;
        update();
    }

    protected abstract void update();

    /** Updates applied so far. */
    public long steps() {
        return steps;
    }

    /** Number of doubles of moment state: 0 (SGD), P (momentum) or 2P (Adam). */
    public abstract int stateSize();

    /** Writes the moments, column by column in parameter order. */
    public abstract void writeState(double[] dst);

    /** Reads moments written by {@link #writeState} and the step count. */
    public abstract void readState(double[] src, long steps);

    /** {@code [column][row]} arrays shaped like each parameter. */
    protected static double[][][] shapedLike(List<Parameter> parameters) {
        double[][][] m = new double[parameters.size()][][];
        for (int p = 0; p < m.length; p++) {
            m[p] = new double[parameters.get(p).cols()][parameters.get(p).rows()];
        }
        return m;
    }

    protected static int write(double[][][] moments, double[] dst, int offset) {
        for (double[][] m : moments) {
            offset = Parameter.write(m, dst, offset);
        }
        return offset;
    }

    protected static int read(double[][][] moments, double[] src, int offset) {
        for (double[][] m : moments) {
            offset = Parameter.read(m, src, offset);
        }
        return offset;
    }

    protected int parameterCount() {
        return parameters.stream().mapToInt(Parameter::size).sum();
    }
}
