package io.rnnstreams.stream;

import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.model.ModelSnapshot;

/**
 * The hybrid learner that {@code rnn.learner=hybrid} and the stream settings describe: the one the processor runs
 * and the one the query views read stored key states with, so both agree on the state's layout.
 */
final class HybridLearners {
    private HybridLearners() {
    }

    /**
     * The learner of a stream task: its shape ({@code rnn.model.*}, {@code rnn.hybrid.*}, {@code rnn.model.scope}),
     * the recurrent part on, trainings anchored ({@link HybridForecaster#ANCHORED}).
     *
     * @param repository where its trained models are stored
     * @param budget     key scope: the bytes of cached models the process may hold
     * @param initial    the seeded initialisation of {@code settings.modelConfig()}, made when the topology was
     *                   built, or null to make it at the first model
     */
    static HybridForecaster of(StreamSettings settings, ModelRepository repository, ModelCacheBudget budget,
                               ModelSnapshot initial) {
        return new HybridForecaster(settings.scope(), settings.modelConfig(), settings.learnerChoice().period(),
                settings.learnerChoice().arOrder(), true, HybridForecaster.ANCHORED, HybridForecaster.Tuning.DEFAULTS,
                repository, settings.modelCacheSize(), budget, initial);
    }

    /**
     * A learner that only reads stored key states ({@link HybridForecaster#restore}): it never asks for a model
     * (its repository is an empty one in memory). Its {@code restore} keeps no state between calls, so query
     * threads may share it.
     */
    static HybridForecaster reader(StreamSettings settings) {
        return of(settings, ModelRepository.inMemory(), ModelCacheBudget.unbounded(), null);
    }
}
