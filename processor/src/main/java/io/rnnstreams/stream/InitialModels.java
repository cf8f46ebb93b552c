package io.rnnstreams.stream;

import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.model.EncoderDecoderModel;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.SmootherModel;

/**
 * Where a stream task's models without a stored state start, made once when the topology is built, on the thread
 * that builds it, rather than per task or per key on a stream thread inside {@code max.poll.interval.ms} (a seeded
 * initialisation costs O(G H^3) per network for its orthogonal recurrent blocks), and copied into every new model.
 *
 * @param learner  the forecasting learner's: the warm-start model ({@code rnn.model.init}), read and checked here so
 *                 that a bad file fails at start, else the seeded initialisation of the network the learner runs
 *                 (the plain RNN's or the hybrid's, {@code settings.modelConfig()}; the encoder-decoder's with
 *                 {@code rnn.forecast.mode=seq2seq})
 * @param smoother the fixed-lag smoother's seeded initialisation with {@code rnn.smoothing.lag > 0}, else null
 */
record InitialModels(ModelSnapshot learner, ModelSnapshot smoother) {
    /** The initial models {@code settings} asks for. */
    static InitialModels of(StreamSettings settings) {
        ModelSnapshot learner;
        if (settings.modelInit() != null) {
            learner = ModelFile.load(settings.modelInit(), settings.learner());
        } else if (settings.seq2seq()) {
            learner = new EncoderDecoderModel(settings.seq2seqConfig()).exportState();
        } else {
            learner = new Model(settings.modelConfig()).exportState();
        }
        ModelSnapshot smoother = settings.smoothing().on()
                ? new SmootherModel(settings.smootherConfig()).exportState() : null;
        return new InitialModels(learner, smoother);
    }
}
