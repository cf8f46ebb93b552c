package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.LabelledWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded generated corpus in the style of the Numenta Anomaly Benchmark (A. Lavin and S. Ahmad, "Evaluating
 * Real-time Anomaly Detection Algorithms: the Numenta Anomaly Benchmark", IEEE ICMLA 2015), labelled with NAB's
 * window rule. NAB's own files are an independent check of this project and are not used here: this corpus only
 * imitates the kinds of series and anomalies that paper describes.
 *
 * <p><b>Series</b> (one channel, {@code readings} each, unit noise): one of three bases, drawn per series: a
 * server metric with a daily cycle ({@value #DAY} readings, 5-minute steps: a sinusoid with its second harmonic, 3
 * to 10 noise standard deviations high) plus noise; a slowly wandering sensor (an AR(1) component with
 * coefficient 0.95-0.99 and unit innovations) plus noise; a flat noisy metric. A third of the series are quantised
 * (rounded to a step of 0.5-1.5 noise standard deviations), as many real metrics are.
 *
 * <p><b>Anomalies</b>: 1 to 3 per series, starts drawn at random after the probationary period, far enough apart
 * that their windows do not overlap; kinds, each with probability 1/6: a spike or a dip (1-3 readings, 6-12 noise
 * standard deviations); a level shift that persists to the series' end (4-8); a change of variance that persists
 * (noise times 3-5); a change of the seasonal pattern that persists (the daily cycle's amplitude doubled or
 * gone, or its phase shifted by a quarter day; on a series without a daily cycle a level shift instead); a slow
 * drift that ends in a failure (a ramp of 4-8 noise standard deviations over 60-150 readings, then the reading
 * falls by 10-15 for 20-50 readings, then back to the series' normal).
 *
 * <p><b>Labels</b> ({@link #windows}): NAB's rule: each window is {@value #WINDOW_FRACTION} of the series' length
 * divided by its number of anomalies, centred on the anomaly's start; the first {@value #PROBATION_FRACTION} of
 * each series is NAB's probationary period (seen, not scored). NAB has no per-row labels; here the rows from an
 * anomaly's start to its window's end are labelled anomalous (per-row figures, and events whose onset is the
 * anomaly's start). Deterministic for a seed.
 */
public final class NabStyleData {
    /** Readings per day (5-minute steps). */
    public static final int DAY = 288;
    /** NAB: the windows together cover this fraction of a series' length. */
    public static final double WINDOW_FRACTION = 0.10;
    /** NAB: the probationary period, this fraction of a series' length from its start. */
    public static final double PROBATION_FRACTION = 0.15;

    /** The anomaly kinds. */
    public enum Kind { SPIKE, DIP, LEVEL_SHIFT, VARIANCE, SEASONAL, DRIFT_TO_FAILURE }

    /** One injected anomaly: its kind and start row. */
    public record Anomaly(Kind kind, int start) {
    }

    /** One generated series: its readings and anomalies (by start). */
    public record Series(String name, double[] values, List<Anomaly> anomalies) {
    }

    private NabStyleData() {
    }

    /** NAB's probationary rows of a series of {@code length} readings: the first {@code floor(0.15 length)}. */
    public static int probation(int length) {
        return (int) Math.floor(PROBATION_FRACTION * length);
    }

    /** NAB's window length for {@code count} anomalies in a series of {@code length}: {@code floor(0.1 length / count)}. */
    public static int windowLength(int length, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        return (int) Math.floor(WINDOW_FRACTION * length / count);
    }

    /**
     * NAB's windows for anomalies starting at {@code starts} (ascending) in a series of {@code length}: each of
     * {@link #windowLength} rows {@code w}, from {@code start - w / 2} to {@code start - w / 2 + w - 1}, cut to the
     * series.
     *
     * @throws IllegalArgumentException if the starts are not ascending inside the series or two windows overlap
     */
    public static List<LabelledWindow> windows(int length, int[] starts) {
        int w = windowLength(length, starts.length);
        List<LabelledWindow> out = new ArrayList<>();
        int previousLast = -1;
        for (int start : starts) {
            if (start < 0 || start >= length) {
                throw new IllegalArgumentException("anomaly start " + start + " outside 0.." + (length - 1));
            }
            int first = Math.max(0, start - w / 2);
            int last = Math.min(length - 1, start - w / 2 + w - 1);
            if (first <= previousLast) {
                throw new IllegalArgumentException("windows overlap at start " + start + ": starts "
                        + Arrays.toString(starts) + ", window length " + w);
            }
            out.add(new LabelledWindow(first, last));
            previousLast = last;
        }
        return out;
    }

    /**
     * Per-row labels: the rows from each anomaly's start to the end of its window ({@code windows} as
     * {@link #windows} made them for {@code starts}).
     */
    public static boolean[] rowLabels(int length, int[] starts, List<LabelledWindow> windows) {
        boolean[] anomalous = new boolean[length];
        for (int i = 0; i < starts.length; i++) {
            Arrays.fill(anomalous, starts[i], windows.get(i).last() + 1, true);
        }
        return anomalous;
    }

    /** {@code count} series of {@code readings} readings, seeded. */
    public static List<Series> generate(int count, int readings, long seed) {
        if (count < 1 || readings < 1000) {
            throw new IllegalArgumentException("need count >= 1 and readings >= 1000, got " + count + ", " + readings);
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(series(String.format(Locale.ROOT, "nab-style-%02d", i), readings, root.split()));
        }
        return out;
    }

    private static Series series(String name, int n, SplittableRandom r) {
        int base = r.nextInt(3); // 0 daily cycle, 1 wandering sensor, 2 flat
        double level = 20 + 80 * r.nextDouble();
        double amplitude = base == 0 ? 3 + 7 * r.nextDouble() : 0.0;
        double phase = 2 * Math.PI * r.nextDouble();
        double phi = 0.95 + 0.04 * r.nextDouble();
        double step = r.nextInt(3) == 0 ? 0.5 + r.nextDouble() : 0.0;
        int count = 1 + r.nextInt(3);
        int[] starts = starts(n, count, r);
        Kind[] kinds = new Kind[count];
        for (int i = 0; i < count; i++) {
            kinds[i] = Kind.values()[r.nextInt(Kind.values().length)];
            if (kinds[i] == Kind.SEASONAL && amplitude == 0) {
                kinds[i] = Kind.LEVEL_SHIFT;
            }
        }
        // the series' parts, per row: offset added, noise scale, cycle amplitude factor and phase shift
        double[] offset = new double[n];
        double[] noiseScale = new double[n];
        double[] cycleFactor = new double[n];
        double[] cycleShift = new double[n];
        Arrays.fill(noiseScale, 1.0);
        Arrays.fill(cycleFactor, 1.0);
        for (int i = 0; i < count; i++) {
            int s = starts[i];
            double sign = r.nextBoolean() ? 1 : -1;
            switch (kinds[i]) {
                case SPIKE, DIP -> {
                    double size = (kinds[i] == Kind.SPIKE ? 1 : -1) * (6 + 6 * r.nextDouble());
                    int len = 1 + r.nextInt(3);
                    for (int t = s; t < Math.min(n, s + len); t++) {
                        offset[t] += size;
                    }
                }
                case LEVEL_SHIFT -> {
                    double size = sign * (4 + 4 * r.nextDouble());
                    for (int t = s; t < n; t++) {
                        offset[t] += size;
                    }
                }
                case VARIANCE -> {
                    double factor = 3 + 2 * r.nextDouble();
                    for (int t = s; t < n; t++) {
                        noiseScale[t] *= factor;
                    }
                }
                case SEASONAL -> {
                    int how = r.nextInt(3);
                    for (int t = s; t < n; t++) {
                        if (how == 0) {
                            cycleFactor[t] *= 2;
                        } else if (how == 1) {
                            cycleFactor[t] = 0;
                        } else {
                            cycleShift[t] += Math.PI / 2;
                        }
                    }
                }
                case DRIFT_TO_FAILURE -> {
                    double size = sign * (4 + 4 * r.nextDouble());
                    int ramp = 60 + r.nextInt(91);
                    int fail = 20 + r.nextInt(31);
                    double drop = -(10 + 5 * r.nextDouble());
                    for (int t = s; t < Math.min(n, s + ramp); t++) {
                        offset[t] += size * (t - s + 1) / ramp;
                    }
                    for (int t = s + ramp; t < Math.min(n, s + ramp + fail); t++) {
                        offset[t] += drop;
                    }
                }
            }
        }
        double[] values = new double[n];
        double wander = 0;
        for (int t = 0; t < n; t++) {
            double angle = 2 * Math.PI * t / DAY + phase + cycleShift[t];
            double cycle = amplitude * cycleFactor[t] * (Math.sin(angle) + 0.3 * Math.sin(2 * angle));
            if (base == 1) {
                wander = phi * wander + gaussian(r);
            }
            double v = level + cycle + wander + offset[t] + noiseScale[t] * gaussian(r);
            values[t] = step > 0 ? step * Math.rint(v / step) : v;
        }
        List<Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            anomalies.add(new Anomaly(kinds[i], starts[i]));
        }
        return new Series(name, values, anomalies);
    }

    /**
     * {@code count} ascending anomaly starts whose windows lie after the probationary period, inside the series
     * and apart from each other: the scored part after the probation is cut into {@code count} equal slots and
     * each start is drawn in the middle of its slot, a window's half from the slot's edges.
     */
    private static int[] starts(int n, int count, SplittableRandom r) {
        int w = windowLength(n, count);
        int from = probation(n);
        int slot = (n - from) / count;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            int lo = from + i * slot + w / 2 + 1;
            int hi = from + (i + 1) * slot - w / 2 - 1;
            starts[i] = lo + r.nextInt(Math.max(1, hi - lo));
        }
        return starts;
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }
}
