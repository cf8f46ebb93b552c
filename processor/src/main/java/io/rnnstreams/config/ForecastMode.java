package io.rnnstreams.config;

/**
 * How the stream forecasts {@code rnn.forecast.horizon} readings ahead ({@code rnn.forecast.mode}).
 */
public enum ForecastMode {
    /** The one-step model rolled forward on its own outputs (errors compound with the step). */
    RECURSIVE,
    /**
     * The encoder-decoder ({@link io.rnnstreams.model.EncoderDecoder}): a decoder trained directly on the next
     * {@code N} readings generates all {@code N} forecasts from the encoder's state.
     */
    SEQ2SEQ
}
