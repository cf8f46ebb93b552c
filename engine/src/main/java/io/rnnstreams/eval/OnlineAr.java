package io.rnnstreams.eval;

/**
 * A linear autoregressive baseline, AR(p) with an intercept, learned online and separately per channel:
 * channel {@code c}'s next value is forecast as {@code a0 + a1 x_c(t) + ... + ap x_c(t-p+1)} from its own
 * last {@code p} values only, the coefficients fitted by {@link RecursiveLeastSquares} (forgetting factor
 * {@code lambda}, {@code P} initialised to {@code delta I}).
 *
 * <p>The coefficients start at the persistence model ({@code a1 = 1}, all others 0), so RLS's decaying prior
 * pulls towards persistence rather than towards 0: a constant series is forecast exactly from the start, and
 * a model that has learned little forecasts about what persistence would.
 *
 * <p>Prequential ("test, then train"), like the recurrent model: {@link #observe} first learns from the
 * reading (the target of the lags kept since the previous reading, once there are {@code p} of them), then
 * shifts it into the lags; {@link #forecast} then forecasts the next reading, before it is seen. Until
 * {@code p} readings have been seen the forecast is the last value (persistence); so is a forecast that
 * would not be finite.
 *
 * <p>Deterministic, no Kafka. Not thread-safe: one instance per sensor.
 */
public final class OnlineAr {
    /** Default order {@code p}. */
    public static final int DEFAULT_ORDER = 8;
    /** Default forgetting factor. */
    public static final double DEFAULT_LAMBDA = 0.999;
    /** Default initial {@code P = delta I}. */
    public static final double DEFAULT_DELTA = 100.0;

    private final int channels;
    private final int order;
    private final RecursiveLeastSquares[] models;
    /** Per channel, the regressors of the next forecast: {@code [1, x(t), x(t-1), ..., x(t-p+1)]}. */
    private final double[][] lags;
    private final double[] phi;
    private long readings;

    /** AR(p) per channel with the given {@code p}, {@code lambda}, {@code delta}. */
    public OnlineAr(int channels, int order, double lambda, double delta) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (order < 1) {
            throw new IllegalArgumentException("order must be >= 1, got " + order);
        }
        this.channels = channels;
        this.order = order;
        this.models = new RecursiveLeastSquares[channels];
        this.lags = new double[channels][order + 1];
        this.phi = new double[order + 1];
        double[] persistence = new double[order + 1];
        persistence[1] = 1.0;
        for (int c = 0; c < channels; c++) {
            models[c] = new RecursiveLeastSquares(order + 1, lambda, delta, persistence);
            lags[c][0] = 1.0;
        }
    }

    /** AR(8), {@code lambda = 0.999}, {@code delta = 100}. */
    public static OnlineAr defaults(int channels) {
        return new OnlineAr(channels, DEFAULT_ORDER, DEFAULT_LAMBDA, DEFAULT_DELTA);
    }

    /**
     * Takes in one reading: once {@code p} values precede it, every channel's model learns it as the target
     * of those lags; then the reading becomes the newest lag.
     *
     * @param reading one value per channel, finite
     */
    public void observe(double[] reading) {
        if (reading.length != channels) {
            throw new IllegalArgumentException("reading has " + reading.length + " channels, expected " + channels);
        }
        boolean learn = readings >= order;
        for (int c = 0; c < channels; c++) {
            double[] l = lags[c];
            if (learn) {
                models[c].update(l, reading[c]);
            }
            System.arraycopy(l, 1, l, 2, order - 1);
            l[1] = reading[c];
        }
        readings++;
    }

    /**
     * The forecast of the next reading from the readings observed so far (persistence before {@code p}).
     *
     * @throws IllegalStateException before the first reading
     */
    public double[] forecast() {
        if (readings == 0) {
            throw new IllegalStateException("no reading observed yet");
        }
        double[] f = new double[channels];
        boolean warm = readings >= order;
        for (int c = 0; c < channels; c++) {
            if (warm) {
                System.arraycopy(lags[c], 0, phi, 0, order + 1);
                f[c] = models[c].predict(phi);
            }
            if (!warm || !Double.isFinite(f[c])) {
                f[c] = lags[c][1];
            }
        }
        return f;
    }

    /** {@link #observe} then {@link #forecast}. */
    public double[] next(double[] reading) {
        observe(reading);
        return forecast();
    }

    /** Channel {@code c}'s coefficients {@code [a0 (intercept), a1, ..., ap]}, a copy. */
    public double[] coefficients(int channel) {
        return models[channel].coefficients();
    }

    /** The order {@code p}. */
    public int order() {
        return order;
    }

    /** Readings observed. */
    public long readings() {
        return readings;
    }
}
