package io.rnnstreams.learner;

/**
 * Forecasts on a quantised channel's lattice, when that has recently helped: a channel whose readings move in
 * steps of a quantum {@code q} (SKAB's pressure takes 7 values, 0.328 apart, and repeats its last value at ~45 %
 * of readings) is best forecast, for absolute error, on its lattice ({@code x(t) + n q}): a forecast between two
 * levels pays the gap on every reading that repeats. The snapped forecast is {@code x(t) + q rint((f - x(t)) / q)}
 * (the nearest level) or, with a threshold {@code t} ({@link HybridForecaster#SNAP_THRESHOLD}, 0.4, measured better
 * than 0.5 on SKAB), {@code x(t) + q sign(d) floor(|d| + 1 - t)}
 * with {@code d = (f - x(t)) / q},
 * {@code q} the smallest step the channel has made (steps below {@value #RELATIVE_TOLERANCE} of the readings'
 * magnitude are rounding, not a quantum); it is used while it has recently been the better forecast: while the
 * exponentially weighted mean (rate {@link HybridForecaster#GAIN_RATE}) of {@code |x - f| - |x - snap(f)|} is
 * positive, and only on a channel that has repeated a reading exactly (a quantised one does it often: SKAB's
 * pressure at ~45 % of readings, its flow rate and thermocouple at ~13 %; a continuous one never), so a
 * continuous channel is never snapped, however its early errors fall.
 *
 * <p>Per channel {@code c} of {@code D} a key keeps {@value #PER_CHANNEL} numbers: the quantum at {@code c}, negative
 * until the channel has repeated a reading after its first step, and the snap's recent advantage at {@code D + c}. The raw forecast it scores is the forecaster's own, recomputed from
 * what the key keeps anyway (the last base forecast, gain and correction).
 */
final class LatticeSnap {
    /** Numbers kept per channel. */
    static final int PER_CHANNEL = 2;
    /** Steps smaller than this times {@code |x(t)| + |x(t-1)|} are rounding, not a quantum. */
    static final double RELATIVE_TOLERANCE = 1e-6;

    private LatticeSnap() {
    }

    /** {@code f} moved to the lattice {@code last + n q}; {@code f} itself while there is no quantum. */
    static double snap(double f, double last, double q) {
        return snap(f, last, q, 0.5);
    }

    /**
     * {@code f} moved to the lattice {@code last + n q}, to the level {@code last} unless {@code f} is at least
     * {@code threshold} quanta away (0.5: the nearest level; above 0.5 the repeated reading is favoured,
     * {@code |n| = floor(|f - last| / q + 1 - threshold)}).
     */
    static double snap(double f, double last, double q, double threshold) {
        if (!(q > 0)) {
            return f;
        }
        double steps = (f - last) / q;
        double n = threshold == 0.5 ? Math.rint(steps) : Math.signum(steps) * Math.floor(Math.abs(steps) + 1 - threshold);
        double snapped = last + q * n;
        return Double.isFinite(snapped) ? snapped : f;
    }

    /**
     * Scores channel {@code c}'s last raw forecast {@code raw} and its snap (through {@code previous}, the reading
     * it was made at) against {@code reading}, then takes the step from {@code previous} into the quantum.
     */
    static void update(double[] s, int channels, int c, double reading, double previous, double raw) {
        update(s, channels, c, reading, previous, raw, HybridForecaster.GAIN_RATE, 0.5);
    }

    /** As {@link #update(double[], int, int, double, double, double)} at {@code rate} with a snap's threshold. */
    static void update(double[] s, int channels, int c, double reading, double previous, double raw, double rate,
                       double threshold) {
        double q = Math.abs(s[c]);
        double advantage = Math.abs(reading - raw) - Math.abs(reading - snap(raw, previous, q, threshold));
        s[channels + c] += rate * (advantage - s[channels + c]);
        double step = Math.abs(reading - previous);
        if (step > RELATIVE_TOLERANCE * (Math.abs(reading) + Math.abs(previous))) {
            double quantum = q > 0 ? Math.min(q, step) : step;
            s[c] = s[c] > 0 ? quantum : -quantum;
        } else {
            s[c] = q;
        }
    }

    /**
     * Channel {@code c}'s forecast: {@code f}, or its snap through {@code last} while that has recently helped on a
     * channel that repeats readings.
     */
    static double forecast(double[] s, int channels, int c, double f, double last) {
        return forecast(s, channels, c, f, last, 0.5);
    }

    /** As {@link #forecast(double[], int, int, double, double)} with a snap's threshold. */
    static double forecast(double[] s, int channels, int c, double f, double last, double threshold) {
        return s[c] > 0 && s[channels + c] > 0 ? snap(f, last, s[c], threshold) : f;
    }
}
