package io.rnnstreams.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated multi-sensor data set with known structure and a few injected anomalies, for the demo.
 *
 * <p>Sensor {@code k} reads every 5 minutes: a daily cycle (period 288 readings) of its own amplitude
 * and phase, a weekly-scale drift, and AR(1) noise; every third sensor also switches regime (its level
 * jumps) half way. Anomalies are injected at known readings: spikes (one reading, +8 noise sigmas of the
 * daily amplitude) and level shifts (the next 24 readings offset). Generated from a seed: the same on
 * every run.
 */
public final class DemoData {
    /** Milliseconds between two readings of a sensor. */
    public static final long STEP_MS = 5 * 60_000L;
    /** Event time of the first reading. */
    public static final long START_MS = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    /** One injected anomaly: its sensor, the event time of its first reading, and its kind. */
    public record Anomaly(String sensor, long eventTime, String kind) {
    }

    private final int sensors;
    private final int readings;
    private final double[][] values;
    private final List<Anomaly> anomalies = new ArrayList<>();

    public DemoData(int sensors, int readings, long seed) {
        if (sensors < 1 || readings < 600) {
            throw new IllegalArgumentException("need >= 1 sensor and >= 600 readings, got " + sensors + ", " + readings);
        }
        this.sensors = sensors;
        this.readings = readings;
        this.values = new double[sensors][readings];
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < sensors; k++) {
            double amplitude = 2 + 3 * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            double level = 20 + 10 * k;
            double noise = 0.05 * amplitude;
            double ar = 0;
            for (int t = 0; t < readings; t++) {
                ar = 0.7 * ar + noise * gaussian(random);
                double drift = 0.5 * amplitude * Math.sin(2 * Math.PI * t / (288 * 7.0) + k);
                double regime = (k % 3 == 2 && t >= readings / 2) ? 1.5 * amplitude : 0;
                values[k][t] = level + amplitude * Math.sin(2 * Math.PI * t / 288 + phase) + drift + regime + ar;
            }
        }
        // anomalies in the second half, after the models have had time to learn
        for (int a = 0; a < Math.max(2, sensors / 2); a++) {
            int k = (a * 5 + 1) % sensors;
            int t = readings / 2 + 100 + (int) ((readings / 2 - 200) * random.nextDouble());
            double amplitude = spread(values[k]);
            if (a % 2 == 0) {
                values[k][t] += 8 * amplitude;
                anomalies.add(new Anomaly(sensorId(k), time(t), "spike"));
            } else {
                for (int s = t; s < Math.min(readings, t + 24); s++) {
                    values[k][s] -= 8 * amplitude;
                }
                anomalies.add(new Anomaly(sensorId(k), time(t), "level shift (24 readings)"));
            }
        }
    }

    public static String sensorId(int k) {
        return String.format("sensor-%02d", k);
    }

    public static long time(int t) {
        return START_MS + t * STEP_MS;
    }

    public int sensors() {
        return sensors;
    }

    public int readings() {
        return readings;
    }

    public double value(int sensor, int t) {
        return values[sensor][t];
    }

    public List<Anomaly> anomalies() {
        return List.copyOf(anomalies);
    }

    /**
     * Writes the data set as the replay command's CSV ({@code timestamp,sensor,value}: ISO-8601 UTC, sensor
     * id, one channel), ordered by time, then sensor.
     */
    public void writeCsv(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("timestamp,sensor,value\n");
            for (int t = 0; t < readings; t++) {
                String ts = Instant.ofEpochMilli(time(t)).toString();
                for (int k = 0; k < sensors; k++) {
                    w.write(ts);
                    w.write(',');
                    w.write(sensorId(k));
                    w.write(',');
                    w.write(Double.toString(values[k][t]));
                    w.write('\n');
                }
            }
        }
    }

    /** Standard deviation of the one-step differences: the scale of a sensor's short-term change. */
    private static double spread(double[] x) {
        double sum = 0;
        double sumSq = 0;
        for (int t = 1; t < x.length; t++) {
            double d = x[t] - x[t - 1];
            sum += d;
            sumSq += d * d;
        }
        int n = x.length - 1;
        double mean = sum / n;
        return Math.sqrt(Math.max(sumSq / n - mean * mean, 1e-12));
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
