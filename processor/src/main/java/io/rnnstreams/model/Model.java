package io.rnnstreams.model;

import java.util.List;

/**
 * The learnable part shared by the sequences that use it: a {@link Network}'s weights, the optimizer
 * with its moments, and the training step of truncated BPTT with its numerical-health guard.
 *
 * <p>A model knows nothing of keys: a per-key deployment gives each key its own model; a shared one
 * trains one model on the windows of many keys, each key keeping its own {@link SequenceState}.
 *
 * <p><b>Numerical health.</b> An update whose loss or gradient is not finite is not applied; an update
 * that leaves a non-finite weight is undone (weights and moments restored from just before it). Both
 * are counted in {@link #restores()}. Weights are therefore always finite.
 *
 * <p>Not thread-safe.
 */
public final class Model {
    /** Layout version of {@link ModelSnapshot} and {@link SequenceSnapshot}. */
    public static final int STATE_VERSION = 1;

    private final LearnerConfig config;
    private final Network network;
    private final Bptt bptt;
    private final Optimizer optimizer;
    private final List<Parameter> parameters;
    private final double[] backupParameters;
    private final double[] backupOptimizer;
    private long updates;
    private long restores;
    private double lastLoss = Double.NaN;

    public Model(LearnerConfig config) {
        this.config = config;
        this.network = new Network(config.network());
        this.bptt = new Bptt(network);
        this.parameters = network.parameters();
        this.optimizer = Optimizer.create(config.optimizer(), parameters);
        this.backupParameters = new double[network.parameterCount()];
        this.backupOptimizer = new double[optimizer.stateSize()];
    }

    public LearnerConfig config() {
        return config;
    }

    public Network network() {
        return network;
    }

    /** Weight updates applied. */
    public long updates() {
        return updates;
    }

    /** Updates refused or undone by the numerical-health guard. */
    public long restores() {
        return restores;
    }

    /** Window loss of the last training (NaN before the first). */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * One truncated-BPTT update on {@code window}: forward over its pairs from its anchor with the current
     * weights, back-propagate through all of them, clip, step the optimizer; then move the window's anchor
     * (see {@link TbpttWindow}) and restart its push count.
     *
     * @return whether the update was applied (false: refused or undone for numerical health)
     */
    public boolean train(TbpttWindow window) {
        network.zeroGradients();
        lastLoss = bptt.lossAndGradient(window.anchor, window.inputs, window.targets, window.head(),
                window.count(), null);
        bptt.stateAfter(window.anchorAdvance(), window.anchor);
        if (!allFinite(window.anchor)) {
            java.util.Arrays.fill(window.anchor, 0.0);
        }
        window.trained();

        double norm = config.clipping().apply(parameters);
        if (!Double.isFinite(lastLoss) || !Double.isFinite(norm)) {
            restores++;
            return false;
        }
        network.writeParameters(backupParameters);
        optimizer.writeState(backupOptimizer);
        long stepsBefore = optimizer.steps();
        optimizer.step();
        if (!weightsFinite()) {
            network.readParameters(backupParameters);
            optimizer.readState(backupOptimizer, stepsBefore);
            restores++;
            return false;
        }
        updates++;
        return true;
    }

    private boolean weightsFinite() {
        for (Parameter p : parameters) {
            for (double[] column : p.value) {
                if (!allFinite(column)) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean allFinite(double[] a) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * 0.0; // NaN iff some entry is NaN or infinite
        }
        return sum == 0.0;
    }

    /** The whole model state as flat arrays. */
    public ModelSnapshot exportState() {
        double[] params = new double[network.parameterCount()];
        network.writeParameters(params);
        double[] moments = new double[optimizer.stateSize()];
        optimizer.writeState(moments);
        return new ModelSnapshot(STATE_VERSION, params, moments, updates, restores, optimizer.steps());
    }

    /**
     * Replaces this model's state with {@code snapshot}'s.
     *
     * @throws IllegalArgumentException if the snapshot's version or array lengths do not fit this
     *                                  model's configuration
     */
    public void importState(ModelSnapshot snapshot) {
        if (snapshot.version() != STATE_VERSION) {
            throw new IllegalArgumentException("model state version " + snapshot.version()
                    + " is not supported (this build reads version " + STATE_VERSION + ")");
        }
        network.readParameters(snapshot.parameters());
        optimizer.readState(snapshot.optimizerState(), snapshot.optimizerSteps());
        updates = snapshot.updates();
        restores = snapshot.restores();
    }
}
