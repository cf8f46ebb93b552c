package io.rnnstreams.accuracy;

import io.rnnstreams.eval.HorizonMethod;
import io.rnnstreams.eval.OnlineAr;
import io.rnnstreams.eval.OnlineHoltWinters;
import io.rnnstreams.model.Learner;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import io.rnnstreams.model.Seq2SeqLearner;
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
