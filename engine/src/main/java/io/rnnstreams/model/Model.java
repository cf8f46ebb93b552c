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
    private final TrainingScratch scratch;
    private final GuardedUpdate update;
    private double lastLoss = Double.NaN;

    /** A model with its own training scratch. */
    public Model(LearnerConfig config) {
        this(config, null);
    }

    /**
     * A model that trains in {@code scratch}, shared with other models of the same configuration that are
     * used from the same thread (null: its own). Sharing matters when a task holds one model per key: the
     * scratch is {@code O(k2 * L * G * H + 3P)} doubles, as much as the model's own state.
     */
    public Model(LearnerConfig config, TrainingScratch scratch) {
        this(config, scratch, null);
    }

    /**
     * A model holding {@code state}, or the seeded initialisation when it is null. With a state the seeded
     * initialisation is skipped: its orthogonal recurrent blocks cost O(G H^3) (minutes at H = 4,096), which a
     * caller that builds many models of one configuration pays once, for the snapshot it passes
     * ({@code new Model(config).exportState()}), instead of at every model.
     *
     * @throws IllegalArgumentException as {@link #importState} does
     */
    public Model(LearnerConfig config, TrainingScratch scratch, ModelSnapshot state) {
        this.config = config;
        this.network = new Network(config.network(), state == null);
        if (state == null && config.residual()) {
            network.zeroHead(); // a fresh residual model forecasts persistence
        }
        List<Parameter> parameters = network.parameters();
        Optimizer optimizer = Optimizer.create(config.optimizer(), parameters);
        this.scratch = scratch != null ? scratch.checkFits(config) : new TrainingScratch(config, network, optimizer);
        this.update = new GuardedUpdate(parameters, optimizer, config.clipping(), this.scratch.backupParameters,
                this.scratch.backupOptimizer);
        if (state != null) {
            importState(state);
        }
    }

    /** The training scratch of this model, to share with further models of the same configuration. */
    public TrainingScratch scratch() {
        return scratch;
    }

    /**
     * Working memory of a training step, independent of the weights: the BPTT workspace and the copies of
     * weights and moments the health guard restores from.
     */
    public static final class TrainingScratch {
        private final LearnerConfig config;
        final Bptt bptt;
        final double[] backupParameters;
        final double[] backupOptimizer;

        private TrainingScratch(LearnerConfig config, Network network, Optimizer optimizer) {
            this.config = config;
            this.bptt = new Bptt(network);
            this.backupParameters = new double[network.parameterCount()];
            this.backupOptimizer = new double[optimizer.stateSize()];
        }

        private TrainingScratch checkFits(LearnerConfig other) {
            if (!other.equals(config)) {
                throw new IllegalArgumentException("training scratch for " + config + " cannot serve " + other);
            }
            return this;
        }
    }

    public LearnerConfig config() {
        return config;
    }

    public Network network() {
        return network;
    }

    /** Weight updates applied. */
    public long updates() {
        return update.updates();
    }

    /** Updates refused or undone by the numerical-health guard. */
    public long restores() {
        return update.restores();
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
        Bptt bptt = scratch.bptt;
        bptt.bind(network);
        network.zeroGradients();
        int lossSteps = network.config().lossSteps().positions(window.count(), window.pushesSinceUpdate());
        lastLoss = bptt.lossAndGradient(window.anchor, window.inputs, window.targets, window.head(),
                window.count(), lossSteps, null);
        window.advanceAnchor(bptt::stateAfter);
        return update.apply(lastLoss);
    }

    /** Whether every entry of {@code a} is finite (neither NaN nor infinite). */
    static boolean allFinite(double[] a) {
        // a[i] * 0.0 is +-0 for a finite entry, NaN otherwise; a sum of them is NaN iff one is, in any grouping,
        // so four independent sums (four times the speed of one chain of additions) give the same answer
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        for (; i + 4 <= a.length; i += 4) {
            s0 += a[i] * 0.0;
            s1 += a[i + 1] * 0.0;
            s2 += a[i + 2] * 0.0;
            s3 += a[i + 3] * 0.0;
        }
        for (; i < a.length; i++) {
            s0 += a[i] * 0.0;
        }
        return ((s0 + s1) + (s2 + s3)) == 0.0;
    }

    /** The whole model state as flat arrays. */
    public ModelSnapshot exportState() {
        return update.exportState();
    }

    /**
     * Replaces this model's state with {@code snapshot}'s.
     *
     * @throws IllegalArgumentException if the snapshot's version or array lengths do not fit this
     *                                  model's configuration
     */
    public void importState(ModelSnapshot snapshot) {
        update.importState(snapshot);
    }
}
