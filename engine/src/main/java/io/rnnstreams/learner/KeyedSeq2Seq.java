package io.rnnstreams.learner;

import io.rnnstreams.model.EncoderDecoderModel;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.Seq2SeqForecaster;
import io.rnnstreams.model.Seq2SeqState;

/**
 * {@link KeyedForecaster}'s counterpart for the encoder-decoder ({@code rnn.forecast.mode=seq2seq}): one accepted
 * reading of one key goes to the {@link EncoderDecoderModel} its {@link ModelScope} gives that key (its own, or the
 * one shared by the task's keys), through {@link Seq2SeqForecaster#observe} (test, remember, train every
 * {@code k1}, encode, decode {@code N} steps), and a trained model goes back to the {@link ModelRepository}. The
 * caller keeps each key's {@link Seq2SeqState}. With one key in key scope this is
 * {@link io.rnnstreams.model.Seq2SeqLearner} bit for bit (a model read back from the repository continues exactly).
 *
 * <p>Deterministic; one instance per stream task (or in-process run). Not thread-safe.
 */
public final class KeyedSeq2Seq {
    private final Models<EncoderDecoderModel> models;
    private final Models.Kind<EncoderDecoderModel> kind;
    private final Seq2SeqForecaster forecaster;

    /**
     * @param scope      which keys share weights
     * @param config     the encoder-decoder's configuration
     * @param repository where trained models are stored and (after an eviction or a restart) read back
     * @param cacheSize  key scope: models kept deserialised in memory
     * @param budget     key scope: the bytes of cached models the whole process may hold
     */
    public KeyedSeq2Seq(ModelScope scope, Seq2SeqConfig config, ModelRepository repository, int cacheSize,
                        ModelCacheBudget budget) {
        this(scope, config, repository, cacheSize, budget, null);
    }

    /**
     * @param initial where a model without a stored state starts: the seeded initialisation of {@code config}
     *                ({@code new EncoderDecoderModel(config).exportState()}) made once, e.g. when the topology is
     *                built, so that no stream thread pays for it; null to make it at the first such model
     */
    public KeyedSeq2Seq(ModelScope scope, Seq2SeqConfig config, ModelRepository repository, int cacheSize,
                        ModelCacheBudget budget, ModelSnapshot initial) {
        this.kind = Models.seq2seq(config);
        this.models = Models.of(scope, kind, repository, cacheSize, budget, initial);
        this.forecaster = new Seq2SeqForecaster(config);
    }

    public Seq2SeqConfig config() {
        return forecaster.config();
    }

    /** Bytes of models this learner keeps in memory now (key scope; 0 in shared scope). */
    public long cachedModelBytes() {
        return models.cachedBytes();
    }

    /** Drops the cached models, returning their bytes to the budget; call when the task closes. */
    public void close() {
        models.close();
    }

    /**
     * What one reading did.
     *
     * @param observation  the forecaster's result: the one-step forecast, previous error, trained, health reset
     * @param modelVersion the model's version after this reading: store it with the key's state, pass it to the
     *                     next call
     * @param updates      weight updates applied by this reading's training (0 or 1)
     * @param restores     updates refused or undone by this reading's training (0 or 1)
     */
    public record Step(Observation observation, long modelVersion, long updates, long restores) {
    }

    /**
     * Observes one valid reading of {@code key}.
     *
     * @param modelVersion the model version stored with the key's state after its previous reading (0 for a new
     *                     key); in key scope a cached model of another version is read back from the repository
     * @param sequence     the key's state, updated in place
     * @param reading      one finite value per channel
     */
    public Step observe(String key, long modelVersion, Seq2SeqState sequence, double[] reading) {
        EncoderDecoderModel model = models.forKey(key, modelVersion);
        long updatesBefore = model.updates();
        long restoresBefore = model.restores();
        Observation observation = forecaster.observe(model, sequence, reading);
        if (observation.trained()) {
            models.trained(key, model);
        }
        return new Step(observation, kind.version(model), model.updates() - updatesBefore,
                model.restores() - restoresBefore);
    }

    /** The forecasts of the next {@code steps <= N} readings made at the key's last reading; see {@link Seq2SeqForecaster#forecast}. */
    public double[][] forecast(Seq2SeqState sequence, int steps) {
        return forecaster.forecast(sequence, steps);
    }

    /** Forgets {@code key}'s own model (key scope), in memory and in the repository. */
    public void remove(String key) {
        models.remove(key);
    }
}
