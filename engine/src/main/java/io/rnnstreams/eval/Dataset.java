package io.rnnstreams.eval;

import java.util.List;

/**
 * A set of sensors scored together: every method sees their readings interleaved in time order (step 0 of
 * every key, then step 1, ...), as a stream would deliver them, so that a shared model learns from all keys.
 *
 * @param name     short name (table heading)
 * @param caption  what the data is and how it is modelled (printed under the heading)
 * @param channels channels per reading {@code D}, the same for every key
 * @param period   the seasonal period in steps, or 0 if the data has none (no seasonal-persistence row)
 * @param keys     the sensors, at least one
 * @param real       whether the data was measured (real) rather than generated; the summary's geometric means
 *                   are given over the real datasets and over all
 * @param sequential how the keys are delivered: false, interleaved in time order (step 0 of every key, then
 *                   step 1, ...); true, one key after the other, each whole (a fleet whose sensors' records
 *                   follow each other in time, e.g. SKAB's runs in time order)
 */
public record Dataset(String name, String caption, int channels, int period, List<KeySeries> keys, boolean real,
                      boolean sequential) {
    /** Generated data, keys interleaved. */
    public Dataset(String name, String caption, int channels, int period, List<KeySeries> keys) {
        this(name, caption, channels, period, keys, false, false);
    }

    /** This dataset marked as measured data. */
    public Dataset asReal() {
        return new Dataset(name, caption, channels, period, keys, true, sequential);
    }

    /** This dataset delivered one key after the other, in key order. */
    public Dataset inSequence() {
        return new Dataset(name, caption, channels, period, keys, real, true);
    }

    public Dataset {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(name + ": no sensor");
        }
        if (period < 0) {
            throw new IllegalArgumentException(name + ": period must be >= 0, got " + period);
        }
        for (KeySeries k : keys) {
            if (k.length() > 0 && k.values()[0].length != channels) {
                throw new IllegalArgumentException(name + ": sensor " + k.key() + " has " + k.values()[0].length
                        + " channels, expected " + channels);
            }
        }
    }

    /** Readings over all keys. */
    public long readings() {
        long n = 0;
        for (KeySeries k : keys) {
            n += k.length();
        }
        return n;
    }

    /** The longest key's length. */
    public int maxLength() {
        int n = 0;
        for (KeySeries k : keys) {
            n = Math.max(n, k.length());
        }
        return n;
    }
}
