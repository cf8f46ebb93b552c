package io.rnnstreams.model;

import java.util.List;

/**
 * The optimizer step of a trained window under {@link Model}'s numerical-health guard, for the models that own
 * their parameter list ({@link EncoderDecoderModel}, {@link SmootherModel}): clip the accumulated gradients; a
 * loss or gradient that is not finite is refused; an update that leaves a non-finite weight is undone (weights
 * and moments restored from just before it). Not thread-safe.
 */
final class GuardedUpdate {
    private final List<Parameter> parameters;
    private final Optimizer optimizer;
    private final GradientClipping clipping;
    private final double[] backupParameters;
    private final double[] backupOptimizer;

    GuardedUpdate(List<Parameter> parameters, OptimizerConfig optimizer, GradientClipping clipping) {
        this.parameters = parameters;
        this.optimizer = Optimizer.create(optimizer, parameters);
        this.clipping = clipping;
        this.backupParameters = new double[parameters.stream().mapToInt(Parameter::size).sum()];
        this.backupOptimizer = new double[this.optimizer.stateSize()];
    }

    /** Applies the accumulated gradients of a window whose loss was {@code loss}; false if refused or undone. */
    boolean apply(double loss) {
        double norm = clipping.apply(parameters);
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            return false;
        }
        int offset = 0;
        for (Parameter p : parameters) {
            offset = p.writeValues(backupParameters, offset);
        }
        optimizer.writeState(backupOptimizer);
        long stepsBefore = optimizer.steps();
        optimizer.step();
        for (Parameter p : parameters) {
            for (double[] column : p.value) {
                if (!Model.allFinite(column)) {
                    offset = 0;
                    for (Parameter q : parameters) {
                        offset = q.readValues(backupParameters, offset);
                    }
                    optimizer.readState(backupOptimizer, stepsBefore);
                    return false;
                }
            }
        }
        return true;
    }

    /** The optimizer's moments, as {@link Optimizer#writeState}; {@link #optimizerStateSize()} doubles. */
    void writeOptimizerState(double[] dst) {
        optimizer.writeState(dst);
    }

    int optimizerStateSize() {
        return optimizer.stateSize();
    }

    long optimizerSteps() {
        return optimizer.steps();
    }

    void readOptimizerState(double[] src, long steps) {
        optimizer.readState(src, steps);
    }
}
