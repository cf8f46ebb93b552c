package io.rnnstreams.learner;

import io.rnnstreams.model.ModelSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where {@link KeyedForecaster} keeps the models it trains, by store key (a sensor id in key scope,
 * {@code "shared"} in shared scope). The topology backs it with its changelogged Kafka store; an in-process
 * run (e.g. the accuracy command) with {@link #inMemory()}. Knows nothing of Kafka.
 */
public interface ModelRepository {
    /** The model stored under {@code key}, or null if there is none. */
    ModelSnapshot get(String key);

    /** Stores {@code model} under {@code key}, replacing what was there. */
    void put(String key, ModelSnapshot model);

    /**
     * Stores under {@code key} the model that {@code latest} exports, at the latest when the repository's content is
     * next made durable: a repository whose writes become durable in batches (the topology's, at each Kafka commit)
     * may call {@code latest} then, once, instead of at every call, so {@code latest} must export the model as it is
     * when called. A later {@link #put} or {@link #delete} of the key replaces it. By default it stores it now.
     */
    default void putLatest(String key, Supplier<ModelSnapshot> latest) {
        put(key, latest.get());
    }

    /** Removes what is stored under {@code key}, if anything. */
    void delete(String key);

    /** A repository in a {@link HashMap}: nothing persists beyond the object. Not thread-safe. */
    static ModelRepository inMemory() {
        Map<String, ModelSnapshot> map = new HashMap<>();
        return new ModelRepository() {
            @Override
            public ModelSnapshot get(String key) {
                return map.get(key);
            }

            @Override
            public void put(String key, ModelSnapshot model) {
                map.put(key, model);
            }

            @Override
            public void delete(String key) {
                map.remove(key);
            }
        };
    }
}
