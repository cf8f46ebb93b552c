package io.rnnstreams.model;

/**
 * Online per-channel standardisation with Welford's running mean and variance:
 * {@code z = (x - mean) / std}, undone on forecasts with {@code x = mean + std * z}.
 *
 * <p>{@code std} is the sample standard deviation; it is 1 while fewer than two readings were seen or
 * while a channel is constant (its spread below {@code 1e-9 * (1 + |mean|)}), so a flat sensor is
 * never divided by zero. State: the count, {@code mean[D]} and {@code m2[D]} (sum of squared deviations).
 */
public final class Normaliser {
    private final double[] mean;
    private final double[] m2;
    private long count;

    public Normaliser(int channels) {
        this.mean = new double[channels];
        this.m2 = new double[channels];
    }

    /** Adds one reading of {@code D} channels. */
    public void update(double[] x) {
        count++;
        for (int i = 0; i < mean.length; i++) {
            double delta = x[i] - mean[i];
            mean[i] += delta / count;
            m2[i] += delta * (x[i] - mean[i]);
        }
    }

    public double std(int channel) {
        if (count < 2) {
            return 1.0;
        }
        double s = Math.sqrt(m2[channel] / (count - 1));
        return s > 1e-9 * (1.0 + Math.abs(mean[channel])) ? s : 1.0;
    }

    public double mean(int channel) {
        return mean[channel];
    }

    public long count() {
        return count;
    }

    /** {@code out[i] = (x[i] - mean[i]) / std(i)}. */
    public void normalise(double[] x, double[] out) {
        for (int i = 0; i < mean.length; i++) {
            out[i] = (x[i] - mean[i]) / std(i);
        }
    }

    /** {@code out[i] = mean[i] + std(i) * z[i]}. */
    public void denormalise(double[] z, double[] out) {
        for (int i = 0; i < mean.length; i++) {
            out[i] = mean[i] + std(i) * z[i];
        }
    }

    /** The count, then the means and m2s ({@code 2 D} values). */
    public void writeState(CompactState.Writer out) {
        out.counter(count).values(mean).values(m2);
    }

    /** Reads what {@link #writeState} wrote. */
    public void readState(CompactState.Reader in) {
        count = in.counter();
        in.values(mean);
        in.values(m2);
    }

    /** Leaves the numbers {@link #writeState} then {@link #readState} leave (mean and m2 rounded to float), in place. */
    public void roundToStored() {
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) mean[i];
            m2[i] = (float) m2[i];
        }
    }

    void reset() {
        count = 0;
        java.util.Arrays.fill(mean, 0.0);
        java.util.Arrays.fill(m2, 0.0);
    }

    double[] meanArray() {
        return mean;
    }

    double[] m2Array() {
        return m2;
    }

    void setCount(long count) {
        this.count = count;
    }
}
