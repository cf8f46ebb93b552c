package io.rnnstreams.accuracy;

import io.rnnstreams.eval.StreamMethod;
import io.rnnstreams.learner.GainFit;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.LearnerConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The hybrid learner ({@link HybridForecaster}: the classical combination plus a recurrent network learning
 * its error) or its ablation (the recurrent part removed), run through its per-reading code with the models
 * in memory and each key's state kept here.
 */
public final class HybridMethod implements StreamMethod {
    private final String name;
    private final HybridForecaster forecaster;
    private final Map<String, HybridForecaster.KeyState> states = new HashMap<>();

    public HybridMethod(String name, ModelScope scope, LearnerConfig config, int period, int arOrder,
                        boolean recurrent, int cacheSize) {
        this(name, scope, config, period, arOrder, recurrent, HybridForecaster.ANCHORED, cacheSize);
    }

    /** @param anchored whether trainings start from the window's anchor ({@link HybridForecaster}) */
    public HybridMethod(String name, ModelScope scope, LearnerConfig config, int period, int arOrder,
                        boolean recurrent, boolean anchored, int cacheSize) {
        this(name, scope, config, period, arOrder, recurrent, anchored, HybridForecaster.GAIN_FIT, cacheSize);
    }

    /** @param gainFit how the correction's gain is fitted ({@link GainFit}) */
    public HybridMethod(String name, ModelScope scope, LearnerConfig config, int period, int arOrder,
                        boolean recurrent, boolean anchored, GainFit gainFit, int cacheSize) {
        this(name, scope, config, period, arOrder, recurrent, anchored, gainFit, false, cacheSize);
    }

    /** @param absoluteWeights whether the linear path weights its members by recent absolute errors */
    public HybridMethod(String name, ModelScope scope, LearnerConfig config, int period, int arOrder,
                        boolean recurrent, boolean anchored, GainFit gainFit, boolean absoluteWeights, int cacheSize) {
        this(name, scope, config, period, arOrder, recurrent, anchored, gainFit, absoluteWeights,
                HybridForecaster.SNAPPING, cacheSize);
    }

    /** @param snapping whether forecasts move to a quantised channel's lattice while that helps */
    public HybridMethod(String name, ModelScope scope, LearnerConfig config, int period, int arOrder,
                        boolean recurrent, boolean anchored, GainFit gainFit, boolean absoluteWeights,
                        boolean snapping, int cacheSize) {
        this(name, scope, config, period, arOrder, recurrent, anchored, HybridForecaster.Tuning.DEFAULTS
                .withGainFit(gainFit).withAbsoluteWeights(absoluteWeights).withSnapping(snapping), cacheSize);
    }

    /** @param tuning the learner's choices that are not the network's ({@link HybridForecaster.Tuning}) */
    public HybridMethod(String name, ModelScope scope, LearnerConfig config, int period, int arOrder,
                        boolean recurrent, boolean anchored, HybridForecaster.Tuning tuning, int cacheSize) {
        this.name = name;
        this.forecaster = new HybridForecaster(scope, config, period, arOrder, recurrent, anchored, tuning,
                ModelRepository.inMemory(), cacheSize, ModelCacheBudget.unbounded(), null);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double[] observe(String key, double[] reading) {
        HybridForecaster.KeyState state = states.computeIfAbsent(key, k -> forecaster.newKey());
        return forecaster.observe(key, state, reading);
    }
}
