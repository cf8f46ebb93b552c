package io.rnnstreams.learner;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Observation;
import io.rnnstreams.model.OnlineForecaster;
import io.rnnstreams.model.SequenceState;

/**
 * The per-reading core of the topology without Kafka: one accepted reading of one key goes to the model its
 * {@link ModelScope} gives that key (its own, or the one shared by every key), through
 * {@link OnlineForecaster#observe} (test, remember, train every {@code k1}, advance, forecast), and a trained
 * model goes back to the {@link ModelRepository}. The stream processor ({@code io.rnnstreams.stream.ForecastProcessor}) runs every
 * reading through this class (validation, key-state storage, anomaly score and output around it); an in-process caller (the
 * accuracy command) runs the same code with {@link ModelRepository#inMemory()} and keeps each key's
 * {@link SequenceState} itself.
 *
 * <p>Deterministic; one instance per stream task (or in-process run). Not thread-safe.
 */
public final class KeyedForecaster {
    private final Models<Model> models;
    private final OnlineForecaster forecaster;

    /**
     * @param scope      which keys share weights
     * @param config     the engine's configuration
     * @param repository where trained models are stored and (after an eviction or a restart) read back
     * @param cacheSize  key scope: models kept deserialised in memory
     * @param initial    where a key without a stored model starts (warm start), or null for the seeded
     *                   initialisation
     */
    public KeyedForecaster(ModelScope scope, LearnerConfig config, ModelRepository repository, int cacheSize,
                           ModelSnapshot initial) {
        this(scope, config, repository, cacheSize, ModelCacheBudget.unbounded(), initial);
    }

    /**
     * @param budget key scope: the bytes of cached models the whole process may hold, shared by every task's
     *               forecaster
     */
    public KeyedForecaster(ModelScope scope, LearnerConfig config, ModelRepository repository, int cacheSize,
                           ModelCacheBudget budget, ModelSnapshot initial) {
        this.models = Models.of(scope, config, repository, cacheSize, budget, initial);
        this.forecaster = new OnlineForecaster(config);
    }

    /** Bytes of models this forecaster keeps in memory now (key scope; 0 in shared scope). */
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
     * @param model       the model that saw it (use it for {@link #forecast})
     * @param observation the forecaster's result: forecast, previous error, trained, health reset
     * @param updates     weight updates applied by this reading's training (0 or 1)
     * @param restores    last-good-weights restores caused by this reading's training (0 or 1)
     */
    public record Step(Model model, Observation observation, long updates, long restores) {
        /** The model's version after this reading: store it with the key's state, pass it to the next call. */
        public long modelVersion() {
            return Models.version(model);
        }
    }

    /**
     * Observes one valid reading of {@code key}.
     *
     * @param key          the sensor
     * @param modelVersion the model version stored with the key's state after its previous reading (0 for a
     *                     new key); in key scope a cached model of another version is reloaded from the
     *                     repository
     * @param sequence     the key's sequence state, updated in place
     * @param reading      one finite value per channel
     */
    public Step observe(String key, long modelVersion, SequenceState sequence, double[] reading) {
        Model model = models.forKey(key, modelVersion);
        long updatesBefore = model.updates();
        long restoresBefore = model.restores();
        Observation observation = forecaster.observe(model, sequence, reading);
        if (observation.trained()) {
            models.trained(key, model);
        }
        return new Step(model, observation, model.updates() - updatesBefore, model.restores() - restoresBefore);
    }

    /** The {@code steps}-step rollout from the key's current state; see {@link OnlineForecaster#forecast}. */
    public double[][] forecast(Step step, SequenceState sequence, int steps) {
        return forecaster.forecast(step.model(), sequence, steps);
    }

    /** Forgets {@code key}'s own model (key scope), in memory and in the repository. */
    public void remove(String key) {
        models.remove(key);
    }
}
