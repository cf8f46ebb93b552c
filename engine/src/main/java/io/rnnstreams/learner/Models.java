package io.rnnstreams.learner;

import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a key's model comes from and goes to. The store is the truth (changelogged, restored after a
 * crash); deserialised models are kept in memory so that weights are read from the store only when a task
 * starts or a key's model was evicted, never per reading. A model is written back after every training,
 * the only time its weights change. Knows nothing of Kafka: the store is a {@link ModelRepository}.
 */
abstract class Models {
    protected final LearnerConfig config;
    protected final ModelRepository store;
    /** Where a model without a stored state starts (warm start), or null for the seeded initialisation. */
    private final ModelSnapshot initial;
    /** The seeded initialisation, made at the first model without a stored state or warm start, then copied. */
    private ModelSnapshot seeded;

    Models(LearnerConfig config, ModelRepository store, ModelSnapshot initial) {
        this.config = config;
        this.store = store;
        this.initial = initial;
    }

    static Models of(ModelScope scope, LearnerConfig config, ModelRepository store, int cacheSize,
                     ModelCacheBudget budget, ModelSnapshot initial) {
        return scope == ModelScope.KEY ? new PerKey(config, store, cacheSize, budget, initial)
                : new Shared(config, store, initial);
    }

    /** Bytes of memory one deserialised model of {@code config} holds: ~4P doubles (weights, moments, gradients). */
    static long modelBytes(Model model) {
        return 4L * 8 * model.network().parameterCount();
    }

    /** Bytes of models this instance keeps in memory now. */
    long cachedBytes() {
        return 0;
    }

    /** Trainings (applied or refused) the model has been through: changes whenever its stored form does. */
    static long version(Model model) {
        return model.updates() + model.restores();
    }

    /** The model for {@code key}; {@code expectedVersion} is the version the key last saw (key scope). */
    abstract Model forKey(String key, long expectedVersion);

    /** Persists {@code model} after a training on one of {@code key}'s windows. */
    abstract void trained(String key, Model model);

    /** Forgets {@code key}'s model, if it has its own. */
    abstract void remove(String key);

    /** Drops every cached model (returning its bytes to the budget): the task closes. */
    void close() {
    }

    /** Shared by every model this instance creates: they are used from one stream thread. */
    private Model.TrainingScratch scratch;

    /**
     * The model stored under {@code storeKey}, else the warm start, else the seeded initialisation; the last is
     * computed once per instance (its orthogonal blocks cost O(G H^3)) and copied into later models.
     */
    protected Model load(String storeKey) {
        ModelSnapshot stored = store.get(storeKey);
        ModelSnapshot start = stored != null ? stored : initial != null ? initial : seeded();
        Model model = new Model(config, scratch, start);
        scratch = model.scratch();
        return model;
    }

    private ModelSnapshot seeded() {
        if (seeded == null) {
            Model fresh = new Model(config, scratch);
            scratch = fresh.scratch();
            seeded = fresh.exportState();
        }
        return seeded;
    }

    protected void save(String storeKey, Model model) {
        store.put(storeKey, model.exportState());
    }

    /**
     * {@link ModelScope#KEY}: one model per key, stored under the key, most recently used ones cached: at most
     * {@code cacheSize} of them, and fewer while the process is over its {@link ModelCacheBudget}.
     */
    static final class PerKey extends Models {
        private final Map<String, Model> cache;
        private final int cacheSize;
        private final ModelCacheBudget budget;
        private long bytes;

        PerKey(LearnerConfig config, ModelRepository store, int cacheSize, ModelCacheBudget budget,
               ModelSnapshot initial) {
            super(config, store, initial);
            this.cache = new LinkedHashMap<>(16, 0.75f, true);
            this.cacheSize = cacheSize;
            this.budget = budget;
        }

        @Override
        Model forKey(String key, long expectedVersion) {
            Model cached = cache.get(key);
            if (cached != null && version(cached) == expectedVersion) {
                return cached;
            }
            Model model = load(key);
            forget(cache.put(key, model));
            long size = modelBytes(model);
            bytes += size;
            budget.add(size);
            var eldest = cache.entrySet().iterator();
            while (cache.size() > 1 && (cache.size() > cacheSize || budget.over())) {
                Model evicted = eldest.next().getValue();
                eldest.remove();
                forget(evicted);
            }
            return model;
        }

        private void forget(Model evicted) {
            if (evicted != null) {
                long size = modelBytes(evicted);
                bytes -= size;
                budget.release(size);
            }
        }

        @Override
        long cachedBytes() {
            return bytes;
        }

        @Override
        void trained(String key, Model model) {
            save(key, model);
        }

        @Override
        void remove(String key) {
            forget(cache.remove(key));
            store.delete(key);
        }

        @Override
        void close() {
            cache.values().forEach(this::forget);
            cache.clear();
        }
    }

    /**
     * {@link ModelScope#SHARED}: one model for every key of the task, stored under
     * {@link ModelScope#SHARED_STORE_KEY}.
     */
    static final class Shared extends Models {
        private Model model;

        Shared(LearnerConfig config, ModelRepository store, ModelSnapshot initial) {
            super(config, store, initial);
        }

        /** Loaded on first use, once the task's stores are restored. */
        @Override
        Model forKey(String key, long expectedVersion) {
            if (model == null) {
                model = load(ModelScope.SHARED_STORE_KEY);
            }
            return model;
        }

        @Override
        void trained(String key, Model trainedModel) {
            save(ModelScope.SHARED_STORE_KEY, trainedModel);
        }

        @Override
        void remove(String key) {
            // the shared model belongs to every key
        }
    }
}
