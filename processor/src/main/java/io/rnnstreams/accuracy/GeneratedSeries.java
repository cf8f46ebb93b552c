package io.rnnstreams.accuracy;

import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.KeySeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic datasets of known structure, several keys each (so that a model shared by the keys has
 * something to share), one channel per key. The same arguments give the same numbers on every JVM
 * ({@link Random} with a seed derived from {@code seed} and the key's index).
 */
public final class GeneratedSeries {
    /** The seasonal dataset's period, in steps (a "day" of 24 "hours"). */
    public static final int SEASONAL_PERIOD = 24;

    private GeneratedSeries() {
    }

    /** The generated datasets in table order. */
    public static List<Dataset> all(int keys, int length, long seed) {
        return List.of(seasonal(keys, length, seed), regimes(keys, length, seed), mackeyGlass(keys, length, seed),
                logistic(keys, length, seed));
    }

    /**
     * Seasonal + trend + noise, period {@value #SEASONAL_PERIOD}: key {@code k} is
     * {@code 10 + 5k + s_k t + A_k (sin(2 pi t / 24 + phi_k) + 0.3 sin(4 pi t / 24 + 2 phi_k)) + 0.25 A_k e_t}
     * with {@code A_k = 2 + k}, {@code s_k = +-0.002 (k + 1)}, {@code phi_k = 2 pi k / keys}, {@code e_t}
     * standard normal.
     */
    public static Dataset seasonal(int keys, int length, long seed) {
        requireShape(keys, length);
        List<KeySeries> series = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            Random random = random(seed, 1, k);
            double level = 10 + 5 * k;
            double slope = (k % 2 == 0 ? 1 : -1) * 0.002 * (k + 1);
            double amplitude = 2 + k;
            double phase = 2 * Math.PI * k / keys;
            double[][] v = new double[length][1];
            for (int t = 0; t < length; t++) {
                double w = 2 * Math.PI * t / SEASONAL_PERIOD;
                v[t][0] = level + slope * t + amplitude * (Math.sin(w + phase) + 0.3 * Math.sin(2 * w + 2 * phase))
                        + 0.25 * amplitude * random.nextGaussian();
            }
            series.add(new KeySeries("seasonal-" + k, v));
        }
        return new Dataset("seasonal", keys + " keys x " + length + " readings, 1 channel: level + linear trend + "
                + "two harmonics of period " + SEASONAL_PERIOD + " + Gaussian noise (sd a quarter of the amplitude); "
                + "seed " + seed + ".", 1, SEASONAL_PERIOD, series);
    }

    /**
     * Markov regime switching among three AR(1) regimes {@code x_t = mu + phi (x_{t-1} - mu) + sigma e_t},
     * {@code (mu, phi, sigma)} = {@code (0, 0.9, 0.5)}, {@code (5, 0.5, 1)}, {@code (-3, 0.97, 0.3)}; each step
     * switches to one of the other two with probability 1/250. Same dynamics for every key, independent paths.
     * No period.
     */
    public static Dataset regimes(int keys, int length, long seed) {
        requireShape(keys, length);
        double[][] regimes = {{0, 0.9, 0.5}, {5, 0.5, 1.0}, {-3, 0.97, 0.3}};
        List<KeySeries> series = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            Random random = random(seed, 2, k);
            int r = k % regimes.length;
            double x = regimes[r][0];
            double[][] v = new double[length][1];
            for (int t = 0; t < length; t++) {
                if (random.nextDouble() < 1.0 / 250) {
                    r = (r + 1 + random.nextInt(regimes.length - 1)) % regimes.length;
                }
                double mu = regimes[r][0];
                x = mu + regimes[r][1] * (x - mu) + regimes[r][2] * random.nextGaussian();
                v[t][0] = x;
            }
            series.add(new KeySeries("regime-" + k, v));
        }
        return new Dataset("regime switch", keys + " keys x " + length + " readings, 1 channel: Markov switching "
                + "among three AR(1) regimes (mean 0 / 5 / -3, coefficient 0.9 / 0.5 / 0.97, noise sd 0.5 / 1 / 0.3), "
                + "switch probability 1/250 per step; seed " + seed + ". No period.", 1, 0, series);
    }

    /**
     * Mackey-Glass {@code dx/dt = 0.2 x(t - 17) / (1 + x(t - 17)^10) - 0.1 x(t)} (chaotic), Euler steps of 0.1,
     * sampled every time unit after a transient of 1000 units; key {@code k} starts from its own seeded
     * constant history in [1.0, 1.4]. No noise, no period.
     */
    public static Dataset mackeyGlass(int keys, int length, long seed) {
        requireShape(keys, length);
        int tau = 17;
        int perUnit = 10;
        double dt = 1.0 / perUnit;
        int warmUp = 1000;
        List<KeySeries> series = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            Random random = random(seed, 3, k);
            int lag = tau * perUnit;
            double[] ring = new double[lag]; // x over the last tau units, ring[i % lag]
            java.util.Arrays.fill(ring, 1.0 + 0.4 * random.nextDouble());
            double x = ring[0];
            double[][] v = new double[length][1];
            long steps = (long) (warmUp + length) * perUnit;
            for (long i = 0; i < steps; i++) {
                int slot = (int) (i % lag);
                double delayed = ring[slot];
                double next = x + dt * (0.2 * delayed / (1 + Math.pow(delayed, 10)) - 0.1 * x);
                ring[slot] = x;
                x = next;
                long unit = (i + 1) / perUnit - warmUp;
                if ((i + 1) % perUnit == 0 && unit >= 1) {
                    v[(int) unit - 1][0] = x;
                }
            }
            series.add(new KeySeries("mackey-glass-" + k, v));
        }
        return new Dataset("Mackey-Glass", keys + " keys x " + length + " readings, 1 channel: chaotic Mackey-Glass "
                + "delay equation (tau 17, beta 0.2, gamma 0.1, n 10), Euler step 0.1, sampled every time unit after "
                + "a transient of 1000, each key from its own seeded initial history; seed " + seed
                + ". No noise, no period.", 1, 0, series);
    }

    /**
     * The logistic map {@code x_{t+1} = 3.9 x_t (1 - x_t)} (chaotic) observed with Gaussian noise of sd 0.01,
     * key {@code k} from its own seeded start in (0.1, 0.9). No period.
     */
    public static Dataset logistic(int keys, int length, long seed) {
        requireShape(keys, length);
        List<KeySeries> series = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            Random random = random(seed, 4, k);
            double x = 0.1 + 0.8 * random.nextDouble();
            double[][] v = new double[length][1];
            for (int t = 0; t < length; t++) {
                x = 3.9 * x * (1 - x);
                v[t][0] = x + 0.01 * random.nextGaussian();
            }
            series.add(new KeySeries("logistic-" + k, v));
        }
        return new Dataset("logistic map", keys + " keys x " + length + " readings, 1 channel: chaotic logistic map "
                + "x(t+1) = 3.9 x(t) (1 - x(t)), observed with Gaussian noise of sd 0.01, each key from its own "
                + "seeded start; seed " + seed + ". No period.", 1, 0, series);
    }

    private static Random random(long seed, int dataset, int key) {
        return new Random(seed * 1_000_003L + dataset * 10_007L + key);
    }

    private static void requireShape(int keys, int length) {
        if (keys < 1) {
            throw new IllegalArgumentException("keys must be >= 1, got " + keys);
        }
        if (length < 2) {
            throw new IllegalArgumentException("length must be >= 2, got " + length);
        }
    }
}
