package io.rnnstreams.eval;

import java.util.Objects;

/**
 * One sensor's whole series: {@code values[t]} is its reading at step {@code t}, one value per channel.
 *
 * @param key    the sensor id (the record key in the topology)
 * @param values readings in time order, each of the same length, all finite
 */
public record KeySeries(String key, double[][] values) {
    public KeySeries {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(values, "values");
        for (int t = 0; t < values.length; t++) {
            if (values[t].length != values[0].length) {
                throw new IllegalArgumentException(key + ": reading " + t + " has " + values[t].length
                        + " channels, the first has " + values[0].length);
            }
            for (double v : values[t]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(key + ": reading " + t + " is not finite: " + v);
                }
            }
        }
    }

    /** Readings in the series. */
    public int length() {
        return values.length;
    }

    /** Channel {@code c} of every reading, a copy. */
    public double[] channel(int c) {
        double[] out = new double[values.length];
        for (int t = 0; t < values.length; t++) {
            out[t] = values[t][c];
        }
        return out;
    }
}
