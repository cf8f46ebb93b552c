package io.rnnstreams.model;

/**
 * One sequence learned by its own model: the engine's whole state in one object, for a single stream
 * (and for tests and benchmarks). The stream layer composes {@link Model}, {@link SequenceState} and
 * {@link OnlineForecaster} itself, to share a model between keys.
 */
public final class Learner {
    private final Model model;
    private final SequenceState sequence;
    private final OnlineForecaster forecaster;

    public Learner(LearnerConfig config) {
        this.model = new Model(config);
        this.sequence = new SequenceState(config);
        this.forecaster = new OnlineForecaster(config);
    }

    /** A learner that continues exactly where {@code snapshot} was taken. */
    public static Learner restore(LearnerConfig config, LearnerSnapshot snapshot) {
        Learner learner = new Learner(config);
        learner.model.importState(snapshot.model());
        learner.sequence.importState(snapshot.sequence());
        return learner;
    }

    public Observation observe(double[] reading) {
        return forecaster.observe(model, sequence, reading);
    }

    public double[][] forecast(int steps) {
        return forecaster.forecast(model, sequence, steps);
    }

    public LearnerSnapshot exportState() {
        return new LearnerSnapshot(model.exportState(), sequence.exportState());
    }

    public Model model() {
        return model;
    }

    public SequenceState sequence() {
        return sequence;
    }

    /** The model's and the sequence's exported state together. */
    public record LearnerSnapshot(ModelSnapshot model, SequenceSnapshot sequence) {
    }
}
