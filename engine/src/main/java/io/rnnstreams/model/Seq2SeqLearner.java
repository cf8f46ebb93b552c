package io.rnnstreams.model;

/**
 * One sequence learned by its own seq2seq model ({@link EncoderDecoderModel}, {@link Seq2SeqState},
 * {@link Seq2SeqForecaster} together), for a single stream, the accuracy suite, tests and benchmarks.
 */
public final class Seq2SeqLearner {
    private final EncoderDecoderModel model;
    private final Seq2SeqState sequence;
    private final Seq2SeqForecaster forecaster;

    public Seq2SeqLearner(Seq2SeqConfig config) {
        this.model = new EncoderDecoderModel(config);
        this.sequence = new Seq2SeqState(config);
        this.forecaster = new Seq2SeqForecaster(config);
    }

    public Observation observe(double[] reading) {
        return forecaster.observe(model, sequence, reading);
    }

    /** The forecasts of the next {@code steps <= N} readings made at the last one. */
    public double[][] forecast(int steps) {
        return forecaster.forecast(sequence, steps);
    }

    public EncoderDecoderModel model() {
        return model;
    }

    public Seq2SeqState sequence() {
        return sequence;
    }
}
