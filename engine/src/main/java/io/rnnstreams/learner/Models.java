package io.rnnstreams.learner;

import io.rnnstreams.model.EncoderDecoderModel;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Model;
import io.rnnstreams.model.ModelSnapshot;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.SmootherConfig;
import io.rnnstreams.model.SmootherModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a key's model comes from and goes to. The store is the truth (changelogged, restored after a
 * crash); deserialised models are kept in memory so that weights are read from the store only when a task
 * starts or a key's model was evicted, never per reading. A model is written back after every training,
 * the only time its weights change (the shared model as it is when the store next makes its content durable:
 * {@link ModelRepository#putLatest}). Knows nothing of Kafka: the store is a {@link ModelRepository}.
 *
 * @param <M> the kind of model: the plain RNN's {@link Model}, the encoder-decoder's {@link EncoderDecoderModel}
 *            or the fixed-lag smoother's {@link SmootherModel} ({@link Kind} says how to build, export and count one)
 */
abstract class Models<M> {
    protected final Kind<M> kind;
    protected final ModelRepository store;
    /** Where a model without a stored state starts (warm start), or null for the seeded initialisation. */
    private final ModelSnapshot initial;
    /** The seeded initialisation, made at the first model without a stored state or warm start, then copied. */
    private ModelSnapshot seeded;

    /**
     * How {@link Models} builds, exports and measures one kind of model.
     *
     * @param <M> the model class
     */
    interface Kind<M> {
        /** A model holding {@code state}, or the seeded initialisation when it is null. */
        M create(ModelSnapshot state);

        /** The model's whole state, as the repository stores it. */
        ModelSnapshot export(M model);

        /** Trainings (applied or refused) the model has been through: changes whenever its stored form does. */
        long version(M model);

        /** Parameters {@code P} of the model. */
        long parameterCount(M model);
    }

    /**
     * The plain RNN's models ({@link Model}); models of one kind share one training scratch (they are used from
     * one stream thread).
     */
    static Kind<Model> plain(LearnerConfig config) {
        return new Kind<>() {
            private Model.TrainingScratch scratch;

            @Override
            public Model create(ModelSnapshot state) {
                Model model = new Model(config, scratch, state);
                scratch = model.scratch();
                return model;
            }

            @Override
            public ModelSnapshot export(Model model) {
                return model.exportState();
            }

            @Override
            public long version(Model model) {
                return Models.version(model);
            }

            @Override
            public long parameterCount(Model model) {
                return model.network().parameterCount();
            }
        };
    }

    /** The encoder-decoder's models ({@link EncoderDecoderModel}). */
    static Kind<EncoderDecoderModel> seq2seq(Seq2SeqConfig config) {
        return new Kind<>() {
            @Override
            public EncoderDecoderModel create(ModelSnapshot state) {
                return new EncoderDecoderModel(config, state);
            }

            @Override
            public ModelSnapshot export(EncoderDecoderModel model) {
                return model.exportState();
            }

            @Override
            public long version(EncoderDecoderModel model) {
                return model.updates() + model.restores();
            }

            @Override
            public long parameterCount(EncoderDecoderModel model) {
                return model.network().parameterCount();
            }
        };
    }

    /** The fixed-lag smoother's models ({@link SmootherModel}). */
    static Kind<SmootherModel> smoother(SmootherConfig config) {
        return new Kind<>() {
            @Override
            public SmootherModel create(ModelSnapshot state) {
                return new SmootherModel(config, state);
            }

            @Override
            public ModelSnapshot export(SmootherModel model) {
                return model.exportState();
            }

            @Override
            public long version(SmootherModel model) {
                return model.updates() + model.restores();
            }

            @Override
            public long parameterCount(SmootherModel model) {
                return model.network().parameterCount();
            }
        };
    }

    Models(Kind<M> kind, ModelRepository store, ModelSnapshot initial) {
        this.kind = kind;
        this.store = store;
        this.initial = initial;
    }

    static Models<Model> of(ModelScope scope, LearnerConfig config, ModelRepository store, int cacheSize,
                            ModelCacheBudget budget, ModelSnapshot initial) {
        return of(scope, plain(config), store, cacheSize, budget, initial);
    }

    static <M> Models<M> of(ModelScope scope, Kind<M> kind, ModelRepository store, int cacheSize,
                            ModelCacheBudget budget, ModelSnapshot initial) {
        return scope == ModelScope.KEY ? new PerKey<>(kind, store, cacheSize, budget, initial)
                : new Shared<>(kind, store, initial);
    }

    /** Bytes of memory one deserialised model holds: ~4P doubles (weights, moments, gradients). */
    long modelBytes(M model) {
        return 4L * 8 * kind.parameterCount(model);
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
    abstract M forKey(String key, long expectedVersion);

    /** Persists {@code model} after a training on one of {@code key}'s windows. */
    abstract void trained(String key, M model);

    /** Forgets {@code key}'s model, if it has its own. */
    abstract void remove(String key);

    /** Drops every cached model (returning its bytes to the budget): the task closes. */
    void close() {
    }

    /**
     * The model stored under {@code storeKey}, else the warm start, else the seeded initialisation; the last is
     * computed once per instance (a plain RNN's orthogonal blocks cost O(G H^3)) and copied into later models.
     */
    protected M load(String storeKey) {
        ModelSnapshot stored = store.get(storeKey);
        ModelSnapshot start = stored != null ? stored : initial != null ? initial : seeded();
        return kind.create(start);
    }

    private ModelSnapshot seeded() {
        if (seeded == null) {
            seeded = kind.export(kind.create(null));
        }
        return seeded;
    }

    protected void save(String storeKey, M model) {
        store.put(storeKey, kind.export(model));
    }

    /**
     * {@link ModelScope#KEY}: one model per key, stored under the key, most recently used ones cached: at most
     * {@code cacheSize} of them, and fewer while the process is over its {@link ModelCacheBudget}.
     */
    static final class PerKey<M> extends Models<M> {
        private final Map<String, M> cache;
        private final int cacheSize;
        private final ModelCacheBudget budget;
        private long bytes;

        PerKey(Kind<M> kind, ModelRepository store, int cacheSize, ModelCacheBudget budget,
               ModelSnapshot initial) {
            super(kind, store, initial);
            this.cache = new LinkedHashMap<>(16, 0.75f, true);
            this.cacheSize = cacheSize;
            this.budget = budget;
        }

        @Override
        M forKey(String key, long expectedVersion) {
            M cached = cache.get(key);
            if (cached != null && kind.version(cached) == expectedVersion) {
                return cached;
            }
            M model = load(key);
            forget(cache.put(key, model));
            long size = modelBytes(model);
            bytes += size;
            budget.add(size);
            var eldest = cache.entrySet().iterator();
            while (cache.size() > 1 && (cache.size() > cacheSize || budget.over())) {
                M evicted = eldest.next().getValue();
                eldest.remove();
                forget(evicted);
            }
            return model;
        }

        private void forget(M evicted) {
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
        void trained(String key, M model) {
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
    static final class Shared<M> extends Models<M> {
        private M model;

        Shared(Kind<M> kind, ModelRepository store, ModelSnapshot initial) {
            super(kind, store, initial);
        }

        /** Loaded on first use, once the task's stores are restored. */
        @Override
        M forKey(String key, long expectedVersion) {
            if (model == null) {
                model = load(ModelScope.SHARED_STORE_KEY);
            }
            return model;
        }

        /**
         * The model is stored as it is when the repository next makes its content durable
         * ({@link ModelRepository#putLatest}): the topology's store exports and encodes it once per commit, not after
         * every training.
         */
        @Override
        void trained(String key, M trainedModel) {
            store.putLatest(ModelScope.SHARED_STORE_KEY, () -> kind.export(trainedModel));
        }

        @Override
        void remove(String key) {
            // the shared model belongs to every key
        }
    }
}
