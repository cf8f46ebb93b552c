package io.rnnstreams.accuracy;

import io.rnnstreams.eval.StreamMethod;
import io.rnnstreams.learner.KeyedForecaster;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.SequenceState;
import java.util.HashMap;
import java.util.Map;

/**
 * The recurrent model, run through the topology's own per-reading code ({@link KeyedForecaster}: the scope's
 * per-key or shared model, {@link io.rnnstreams.model.OnlineForecaster}, a trained model written back after
 * every training) with the models in memory ({@link ModelRepository#inMemory()}) instead of a Kafka store,
 * and each key's sequence state and model version kept here instead of in the key-state store. Given the
 * same readings in the same order, its forecasts are the topology's, bit for bit.
 *
 * <p>Everything the topology does around that core is left out because it cannot change a forecast on this
 * data: validation (the readings are finite and in order) and the gap reset (readings are consecutive steps).
 */
public final class RnnMethod implements StreamMethod {
    private final String name;
    private final LearnerConfig config;
    private final KeyedForecaster forecaster;
    private final Map<String, SequenceState> sequences = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();

    /**
     * @param name      the row name
     * @param scope     which keys share weights
     * @param config    the engine's configuration, its channel count that of the data
     * @param cacheSize key scope: models kept deserialised (as {@code rnn.model.cache-size})
     */
    public RnnMethod(String name, ModelScope scope, LearnerConfig config, int cacheSize) {
        this.name = name;
        this.config = config;
        this.forecaster = new KeyedForecaster(scope, config, ModelRepository.inMemory(), cacheSize, null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] observe(String key, double[] reading) {
        SequenceState sequence = sequences.computeIfAbsent(key, k -> new SequenceState(config));
        KeyedForecaster.Step step = forecaster.observe(key, versions.getOrDefault(key, 0L), sequence, reading);
        versions.put(key, step.modelVersion());
        return step.observation().forecast();
    }
}
