package io.rnnstreams.http;

import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.stream.Instance;
import io.rnnstreams.stream.QueryUnavailableException;
import io.rnnstreams.stream.SensorQueries;
import io.rnnstreams.stream.SensorSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory {@link SensorQueries}: keys held here, keys held elsewhere, keys whose owner is unknown. */
final class FakeQueries implements SensorQueries {
    final Instance self;
    final TreeMap<String, SensorSummary> local = new TreeMap<>(SensorQueries::compareKeys);
    final Map<String, Instance> remote = new ConcurrentHashMap<>();
    final List<Instance> others = new ArrayList<>();
    volatile String state = "RUNNING";
    volatile boolean unavailable;
    volatile RuntimeException failure;
    /** Keys whose learner forecasts one step only (as the hybrid's): more steps are refused. */
    final java.util.Set<String> oneStep = ConcurrentHashMap.newKeySet();

    FakeQueries(Instance self) {
        this.self = self;
    }

    static SensorSummary summary(String key, long readings) {
        return new SensorSummary(key, readings, Instant.ofEpochMilli(1_700_000_000_000L + readings), readings - 1,
                new double[] {0.25}, new double[] {Double.NaN}, 0.5, true, new double[] {2.5}, new double[] {1.5}, 0.75, 3, ModelScope.KEY,
                7, 7, 1, true);
    }

    /** The forecast of a key: step k, channel c is {@code readings + k + c / 10}, and step 1 channel 1 is NaN. */
    static double[][] forecastOf(SensorSummary s, int steps) {
        double[][] f = new double[steps][2];
        for (int k = 0; k < steps; k++) {
            for (int c = 0; c < 2; c++) {
                f[k][c] = s.readings() + k + c / 10.0;
            }
        }
        if (steps > 1) {
            f[1][1] = Double.NaN;
        }
        return f;
    }

    @Override
    public Location locate(String key) {
        check();
        if (unavailable) {
            return new Unavailable("rebalancing (test)");
        }
        Instance r = remote.get(key);
        return r != null ? new Remote(r) : new Local(0);
    }

    @Override
    public Optional<SensorSummary> summary(String key) {
        check();
        return Optional.ofNullable(local.get(key));
    }

    @Override
    public Optional<double[][]> forecast(String key, int steps) {
        check();
        if (oneStep.contains(key) && steps > 1) {
            throw new IllegalArgumentException("the key's learner forecasts one step: steps must be 1, got " + steps);
        }
        return Optional.ofNullable(local.get(key)).map(s -> forecastOf(s, steps));
    }

    @Override
    public List<String> localKeys(String after, int limit) {
        check();
        List<String> keys = new ArrayList<>();
        for (String k : after == null ? local.keySet() : local.tailMap(after, false).keySet()) {
            if (keys.size() == limit) {
                break;
            }
            keys.add(k);
        }
        return keys;
    }

    @Override
    public List<Instance> otherInstances() {
        check();
        return others;
    }

    @Override
    public Instance self() {
        return self;
    }

    @Override
    public String state() {
        return state;
    }

    @Override
    public boolean running() {
        return state.equals("RUNNING");
    }

    @Override
    public List<Integer> localPartitions() {
        if (unavailable) {
            throw new QueryUnavailableException("rebalancing (test)");
        }
        return List.of(0, 2);
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }
}
