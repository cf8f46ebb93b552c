package io.rnnstreams.model;

/**
 * The learnable part of the seq2seq forecaster: the {@link EncoderDecoder}'s weights, the optimizer with its
 * moments, and the truncated-BPTT training step, with the numerical-health guard of {@link Model} ({@link GuardedUpdate};
 * refusals and undos counted in {@link #restores()}).
 *
 * <p>Not thread-safe.
 */
public final class EncoderDecoderModel {
    private final Seq2SeqConfig config;
    private final EncoderDecoder network;
    private final EncoderDecoderBptt bptt;
    private final ReadingWindowTrainer trainer;
    private final GuardedUpdate update;

    /** The seeded initialisation of {@code config}. */
    public EncoderDecoderModel(Seq2SeqConfig config) {
        this(config, null);
    }

    /**
     * A model holding {@code state}, or the seeded initialisation when it is null. With a state the seeded
     * initialisation is skipped (its orthogonal recurrent blocks cost O(G H^3) per network): a caller that builds
     * many models of one configuration makes it once ({@code new EncoderDecoderModel(config).exportState()}) and
     * passes that snapshot, as {@link Model#Model(LearnerConfig, Model.TrainingScratch, ModelSnapshot)} does.
     *
     * @throws IllegalArgumentException as {@link #importState} does
     */
    public EncoderDecoderModel(Seq2SeqConfig config, ModelSnapshot state) {
        this.config = config;
        this.network = new EncoderDecoder(config, state == null);
        this.bptt = new EncoderDecoderBptt(network);
        this.trainer = new ReadingWindowTrainer(bptt, network.parameters(), config.learner());
        this.update = trainer.update();
        if (state != null) {
            importState(state);
        }
    }

    public Seq2SeqConfig config() {
        return config;
    }

    public EncoderDecoder network() {
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
        return trainer.lastLoss();
    }

    /**
     * One truncated-BPTT update on {@code window} (its inputs are the normalised readings; it holds
     * {@link Seq2SeqConfig#windowCapacity()} of them): forward from its anchor over all of them, decoder chains
     * from the loss positions ({@link EncoderDecoderBptt#lossPositions}), back-propagate, clip, step the
     * optimizer; then move the anchor and restart the window's push count. A window with no supervised step
     * yet ({@code count <= N + lead}) only restarts the push count.
     *
     * @return whether an update was applied
     */
    public boolean train(TbpttWindow window) {
        return trainer.train(window);
    }

    /**
     * {@link #train(TbpttWindow)} for the corrected forecaster: the decoders' targets are relative to
     * {@code correction}'s base ({@link HorizonCorrection#base}, with its member weights of now). With
     * {@code correction == null} it is {@link #train(TbpttWindow)}.
     *
     * @return whether an update was applied
     */
    public boolean train(TbpttWindow window, HorizonCorrection correction) {
        bptt.base(correction);
        try {
            return trainer.train(window);
        } finally {
            bptt.base(null);
        }
    }

    /** The whole model state as flat arrays (weights in {@link EncoderDecoder#parameters()} order, moments, counters). */
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
