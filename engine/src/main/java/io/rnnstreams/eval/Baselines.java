package io.rnnstreams.eval;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The baseline {@link StreamMethod}s: each key on its own, no learning across keys. */
public final class Baselines {
    private Baselines() {
    }

    /** Persistence (naive): the next reading is forecast to equal this one. MASE's yardstick. */
    public static StreamMethod persistence() {
        return new StreamMethod() {
            @Override
            public String name() {
                return "persistence";
            }

            @Override
            public double[] observe(String key, double[] reading) {
                return reading.clone();
            }
        };
    }

    /**
     * Seasonal persistence with period {@code m}: reading {@code t + 1} is forecast to equal reading
     * {@code t + 1 - m}; until the key has {@code m} readings it falls back to persistence.
     */
    public static StreamMethod seasonalPersistence(int period) {
        if (period < 1) {
            throw new IllegalArgumentException("period must be >= 1, got " + period);
        }
        return new StreamMethod() {
            /** Per key, the last {@code m} readings, oldest first. */
            private final Map<String, ArrayDeque<double[]>> history = new HashMap<>();

            @Override
            public String name() {
                return "seasonal persistence (m=" + period + ")";
            }

            @Override
            public double[] observe(String key, double[] reading) {
                ArrayDeque<double[]> h = history.computeIfAbsent(key, k -> new ArrayDeque<>(period + 1));
                h.addLast(reading.clone());
                if (h.size() > period) {
                    h.removeFirst();
                }
                // h now holds readings t-m+1 .. t; reading t+1-m is the oldest once m are there
                return (h.size() == period ? h.peekFirst() : reading).clone();
            }
        };
    }

    /**
     * Online AR(p) per key and channel by recursive least squares ({@link OnlineAr}: intercept, forgetting
     * factor {@code lambda}, prior centred on persistence).
     */
    public static StreamMethod onlineAr(int channels, int order, double lambda, double delta) {
        new OnlineAr(channels, order, lambda, delta); // validates the parameters now
        return new StreamMethod() {
            private final Map<String, OnlineAr> models = new HashMap<>();

            @Override
            public String name() {
                return "AR(" + order + ") by RLS (lambda=" + lambda + ")";
            }

            @Override
            public double[] observe(String key, double[] reading) {
                return models.computeIfAbsent(key, k -> new OnlineAr(channels, order, lambda, delta)).next(reading);
            }
        };
    }

    /** Online Holt-Winters per key ({@link OnlineHoltWinters}: additive, damped trend, parameters chosen online). */
    public static StreamMethod holtWinters(int channels, int period) {
        return perSensor("Holt-Winters" + (period > 0 ? " (m=" + period + ")" : " (no season)")
                + ", parameters chosen online", () -> new OnlineHoltWinters(channels, period));
    }

    /**
     * The classical combination per key ({@link ClassicalForecasters#combination}: persistence, seasonal
     * persistence, AR(p), Holt-Winters weighted by their recent errors).
     */
    public static StreamMethod classicalCombination(int channels, int period, int arOrder) {
        return perSensor("classical combination", () -> ClassicalForecasters.combination(channels, period, arOrder));
    }

    /** One {@link SensorForecaster} per key, each made by {@code factory} when its key first appears. */
    public static StreamMethod perSensor(String name, Supplier<SensorForecaster> factory) {
        return new StreamMethod() {
            private final Map<String, SensorForecaster> sensors = new HashMap<>();

            @Override
            public String name() {
                return name;
            }

            @Override
            public double[] observe(String key, double[] reading) {
                return sensors.computeIfAbsent(key, k -> factory.get()).next(reading);
            }
        };
    }
}
