package io.rnnstreams.model;

import java.util.List;

/**
 * The optimizer step of a trained window under the numerical-health guard, the one used by {@link Model},
 * {@link EncoderDecoderModel} and {@link SmootherModel}: clip the accumulated gradients; a loss or gradient that is
 * not finite is refused; an update that leaves a non-finite weight is undone (weights and moments restored from just
 * before it). Counts the updates applied and the ones refused or undone, and exports and imports the whole learnable
 * state (weights, moments, counters) as a {@link ModelSnapshot}. Not thread-safe.
 */
final class GuardedUpdate {
    private final List<Parameter> parameters;
    private final Optimizer optimizer;
    private final GradientClipping clipping;
    private final double[] backupParameters;
    private final double[] backupOptimizer;
    private long updates;
    private long restores;

    /** A guard with its own optimizer (of {@code optimizer}'s configuration) and its own backup arrays. */
    GuardedUpdate(List<Parameter> parameters, OptimizerConfig optimizer, GradientClipping clipping) {
        this(parameters, Optimizer.create(optimizer, parameters), clipping, null, null);
    }

    /**
     * A guard stepping {@code optimizer} (created over {@code parameters}), restoring from {@code backupParameters}
     * ({@link Parameters#count} entries) and {@code backupOptimizer} ({@link Optimizer#stateSize()} entries), scratch
     * that models of one configuration used from one thread may share; null: its own.
     */
    GuardedUpdate(List<Parameter> parameters, Optimizer optimizer, GradientClipping clipping,
                  double[] backupParameters, double[] backupOptimizer) {
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.clipping = clipping;
        this.backupParameters = backupParameters != null ? backupParameters
                : new double[Parameters.count(parameters)];
        this.backupOptimizer = backupOptimizer != null ? backupOptimizer : new double[optimizer.stateSize()];
    }

    /**
     * Applies the accumulated gradients of a window whose loss was {@code loss}; false if refused or undone.
     * Counts the outcome in {@link #updates()} or {@link #restores()}.
     */
    boolean apply(double loss) {
        if (step(loss)) {
            updates++;
            return true;
        }
        restores++;
        return false;
    }

    private boolean step(double loss) {
        double norm = clipping.apply(parameters);
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            return false;
        }
        Parameters.writeValues(parameters, backupParameters);
        optimizer.writeState(backupOptimizer);
        long stepsBefore = optimizer.steps();
        optimizer.step();
        if (!Parameters.valuesFinite(parameters)) {
            Parameters.readValues(parameters, backupParameters);
            optimizer.readState(backupOptimizer, stepsBefore);
            return false;
        }
        return true;
    }

    /** Weight updates applied. */
    long updates() {
        return updates;
    }

    /** Updates refused or undone. */
    long restores() {
        return restores;
    }

    /** The weights (in parameter order), the optimizer's moments and steps, and the counters. */
    ModelSnapshot exportState() {
        double[] params = new double[Parameters.count(parameters)];
        Parameters.writeValues(parameters, params);
        double[] moments = new double[optimizer.stateSize()];
        optimizer.writeState(moments);
        return new ModelSnapshot(Model.STATE_VERSION, params, moments, updates, restores, optimizer.steps());
    }

    /**
     * Replaces weights, moments and counters with {@code snapshot}'s.
     *
     * @throws IllegalArgumentException if the snapshot's version is not {@link Model#STATE_VERSION} or an array
     *                                  length does not fit
     */
    void importState(ModelSnapshot snapshot) {
        if (snapshot.version() != Model.STATE_VERSION) {
            throw new IllegalArgumentException("model state version " + snapshot.version()
                    + " is not supported (this build reads version " + Model.STATE_VERSION + ")");
        }
        Parameters.readValues(parameters, snapshot.parameters(), backupParameters.length, "parameter array");
        optimizer.readState(snapshot.optimizerState(), snapshot.optimizerSteps());
        updates = snapshot.updates();
        restores = snapshot.restores();
    }

    /** Doubles in the optimizer's moments. */
    int optimizerStateSize() {
        return optimizer.stateSize();
    }
}
