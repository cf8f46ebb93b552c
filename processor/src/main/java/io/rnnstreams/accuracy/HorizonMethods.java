package io.rnnstreams.accuracy;

import io.rnnstreams.eval.HorizonMethod;
import io.rnnstreams.eval.OnlineAr;
import io.rnnstreams.eval.OnlineHoltWinters;
import io.rnnstreams.learner.KeyedSeq2Seq;
import io.rnnstreams.learner.ModelCacheBudget;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.HorizonCorrection;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.Seq2SeqLearner;
import io.rnnstreams.model.Seq2SeqState;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The multi-step forecasters of the horizon-wise accuracy table, each per key (its own model or baseline per
 * sensor): persistence, the baselines iterated on their own forecasts (AR by RLS, Holt-Winters), the RNN's
 * recursive rollout ({@link Learner#forecast}: the one-step model fed its own outputs) and the encoder-decoder
 * trained on the next N readings ({@link Seq2SeqLearner}).
 */
public final class HorizonMethods {
    private HorizonMethods() {
    }

    /** Every horizon forecast to equal the last reading. */
    public static HorizonMethod persistence() {
        return perKey("persistence", k -> (reading, horizon) -> {
            double[][] f = new double[horizon][];
            for (int h = 0; h < horizon; h++) {
                f[h] = reading.clone();
            }
            return f;
        });
    }

    /**
     * The corrected encoder-decoder's smoothed-level base alone ({@link io.rnnstreams.model.Seq2SeqConfig#smoothedLevel}):
     * every horizon forecast to equal the mean of the key's last {@value HorizonCorrection#LEVEL_READINGS} readings
     * weighted by {@link HorizonCorrection#levelWeight} (simple exponential smoothing, rate
     * {@value HorizonCorrection#LEVEL_RATE}, cut to those readings; before them the first reading stands in).
     */
    public static HorizonMethod smoothedLevel() {
        return perKey("smoothed level (EWMA " + HorizonCorrection.LEVEL_RATE + " of the last "
                + HorizonCorrection.LEVEL_READINGS + " readings), every h", k -> {
            double[][] recent = new double[HorizonCorrection.LEVEL_READINGS][];
            long[] seen = new long[1];
            return (reading, horizon) -> {
                recent[(int) (seen[0] % recent.length)] = reading.clone();
                seen[0]++;
                double[] level = new double[reading.length];
                for (int j = 0; j < recent.length; j++) {
                    double[] x = recent[(int) (Math.max(0, seen[0] - 1 - j) % recent.length)];
                    for (int c = 0; c < level.length; c++) {
                        level[c] += HorizonCorrection.levelWeight(j) * x[c];
                    }
                }
                double[][] f = new double[horizon][];
                for (int h = 0; h < horizon; h++) {
                    f[h] = level.clone();
                }
                return f;
            };
        });
    }

    /** AR(p) by RLS per key and channel ({@link OnlineAr}), iterated on its own forecasts ({@link OnlineAr#forecast(int)}). */
    public static HorizonMethod iteratedAr(int channels, int order) {
        return perKey("AR(" + order + ") by RLS, iterated", k -> {
            OnlineAr ar = new OnlineAr(channels, order, OnlineAr.DEFAULT_LAMBDA, OnlineAr.DEFAULT_DELTA);
            return (reading, horizon) -> {
                ar.observe(reading);
                return ar.forecast(horizon);
            };
        });
    }

    /** Holt-Winters per key ({@link OnlineHoltWinters}), its damped-trend h-step forecast ({@link OnlineHoltWinters#forecast(int)}). */
    public static HorizonMethod holtWinters(int channels, int period) {
        return perKey("Holt-Winters" + (period > 0 ? " (m=" + period + ")" : " (no season)") + ", h-step", k -> {
            OnlineHoltWinters hw = new OnlineHoltWinters(channels, period);
            return (reading, horizon) -> {
                hw.next(reading);
                return hw.forecast(horizon);
            };
        });
    }

    /** The plain RNN per key, its one-step model rolled forward on its own outputs. */
    public static HorizonMethod recursive(String name, LearnerConfig config) {
        return perKey(name, k -> {
            Learner learner = new Learner(config);
            return (reading, horizon) -> {
                learner.observe(reading);
                return learner.forecast(horizon);
            };
        });
    }

    /** The encoder-decoder per key, trained on the next {@code N} readings; {@code horizon} must be its {@code N}. */
    public static HorizonMethod seq2seq(String name, Seq2SeqConfig config) {
        return perKey(name, k -> {
            Seq2SeqLearner learner = new Seq2SeqLearner(config);
            return (reading, horizon) -> {
                learner.observe(reading);
                return learner.forecast(horizon);
            };
        });
    }

    /**
     * The encoder-decoder with one model shared by every key of the run ({@code rnn.model.scope=shared}): the
     * weights and the optimizer are the run's, each key keeps its own {@link Seq2SeqState} (encoder state, window,
     * normaliser, forecasts and, corrected, the base's and gain's statistics), run through the stream's per-reading
     * code ({@link KeyedSeq2Seq}) with the model in memory. So a new key starts from what the earlier keys taught
     * the model, where the per-key rows start every key from the seeded initialisation.
     */
    public static HorizonMethod sharedSeq2seq(String name, Seq2SeqConfig config) {
        KeyedSeq2Seq keyed = new KeyedSeq2Seq(ModelScope.SHARED, config, ModelRepository.inMemory(), 1,
                ModelCacheBudget.unbounded());
        return perKey(name, k -> {
            Seq2SeqState sequence = new Seq2SeqState(config);
            return (reading, horizon) -> {
                keyed.observe(k, 0, sequence, reading);
                return keyed.forecast(sequence, horizon);
            };
        });
    }

    /** One sensor's forecaster: takes its next reading, returns the next {@code horizon} forecasts. */
    interface Sensor {
        double[][] next(double[] reading, int horizon);
    }

    private static HorizonMethod perKey(String name, Function<String, Sensor> factory) {
        return new HorizonMethod() {
            private final Map<String, Sensor> sensors = new HashMap<>();

            @Override
            public String name() {
                return name;
            }

            @Override
            public double[][] observe(String key, double[] reading, int horizon) {
                return sensors.computeIfAbsent(key, factory).next(reading, horizon);
            }
        };
    }
}
