package io.rnnstreams.model;

/**
 * The learnable part of the fixed-lag smoother: the {@link FixedLagSmoother}'s weights, the optimizer, and the
 * truncated-BPTT training step under the numerical-health guard ({@link GuardedUpdate}). Not thread-safe.
 */
public final class SmootherModel {
    private final SmootherConfig config;
    private final FixedLagSmoother network;
    private final FixedLagSmootherBptt bptt;
    private final GuardedUpdate update;
    private double lastLoss = Double.NaN;

    public SmootherModel(SmootherConfig config) {
        this.config = config;
        this.network = new FixedLagSmoother(config);
        this.update = new GuardedUpdate(network.parameters(), config.learner().optimizer(), config.learner().clipping());
        this.bptt = new FixedLagSmootherBptt(network);
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
        return lastLoss;
    }

    /**
     * One truncated-BPTT update on {@code window} (normalised readings, {@link SmootherConfig#windowCapacity()} of
     * them): loss positions by {@link FixedLagSmootherBptt#lossPositions}; then the anchor moves and the push count
     * restarts. A window with no supervised step ({@code count <= L}) only restarts the push count.
     *
     * @return whether an update was applied
     */
    public boolean train(TbpttWindow window) {
        int positions = bptt.lossPositions(window.count(), window.pushesSinceUpdate());
        if (positions == 0) {
            window.trained();
            return false;
        }
        network.zeroGradients();
        lastLoss = bptt.lossAndGradient(window.anchor, window.inputs, window.head(), window.count(), positions, null);
        window.advanceAnchor(bptt::stateAfter);
        return update.apply(lastLoss);
    }
}
