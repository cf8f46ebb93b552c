package io.rnnstreams.model;

/**
 * The learnable part of the fixed-lag smoother: the {@link FixedLagSmoother}'s weights, the optimizer, and the
 * truncated-BPTT training step under the numerical-health guard ({@link GuardedUpdate}). Not thread-safe.
 */
public final class SmootherModel {
    private final SmootherConfig config;
    private final FixedLagSmoother network;
    private final ReadingWindowTrainer trainer;
    private final GuardedUpdate update;

    /** The seeded initialisation of {@code config}. */
    public SmootherModel(SmootherConfig config) {
        this(config, null);
    }

    /**
     * A model holding {@code state}, or the seeded initialisation when it is null; with a state the seeded
     * initialisation (O(G H^3) per network) is skipped, as {@link EncoderDecoderModel#EncoderDecoderModel(Seq2SeqConfig,
     * ModelSnapshot)}'s.
     *
     * @throws IllegalArgumentException as {@link #importState} does
     */
    public SmootherModel(SmootherConfig config, ModelSnapshot state) {
        this.config = config;
        this.network = new FixedLagSmoother(config, state == null);
        this.trainer = new ReadingWindowTrainer(new FixedLagSmootherBptt(network), network.parameters(), config.learner());
        this.update = trainer.update();
        if (state != null) {
            importState(state);
        }
    }

    public SmootherConfig config() {
        return config;
    }

    public FixedLagSmoother network() {
        return network;
    }

    public long updates() {
        return update.updates();
    }

    public long restores() {
        return update.restores();
    }

    public double lastLoss() {
        return trainer.lastLoss();
    }

    /**
     * One truncated-BPTT update on {@code window} (normalised readings, {@link SmootherConfig#windowCapacity()} of
     * them): loss positions by {@link FixedLagSmootherBptt#lossPositions}; then the anchor moves and the push count
     * restarts. A window with no supervised step ({@code count <= L}) only restarts the push count.
     *
     * @return whether an update was applied
     */
    public boolean train(TbpttWindow window) {
        return trainer.train(window);
    }

    /** The whole model state as flat arrays (weights in {@link FixedLagSmoother#parameters()} order, moments, counters). */
    public ModelSnapshot exportState() {
        return update.exportState();
    }

    /**
     * Replaces this model's state with {@code snapshot}'s.
     *
     * @throws IllegalArgumentException if the version or an array length does not fit this configuration
     */
    public void importState(ModelSnapshot snapshot) {
        Network.requireLength(snapshot.optimizerState(), update.optimizerStateSize(), "optimizer state");
        update.importState(snapshot);
    }
}
