package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;

/**
 * A linear autoregressive baseline, AR(p) with an intercept, learned online and separately per channel:
 * channel {@code c}'s next value is forecast as {@code a0 + a1 x_c(t) + ... + ap x_c(t-p+1)} from its own
 * last {@code p} values only, the coefficients fitted by {@link RecursiveLeastSquares} (forgetting factor
 * {@code lambda}, {@code P} initialised to {@code delta I}).
 *
 * <p><b>A prior scaled to the series.</b> RLS runs on standardised values {@code z = (x - centre) / scale},
 * the centre and scale of a channel fixed at its first update from the {@code p + 1} values it sees then
 * (the lags and the target: their mean and sample standard deviation). {@code delta} is therefore in units
 * of the series' own variance: the same prior pulls as hard on an accelerometer reading 0.027 +- 0.001 as on
 * a temperature of 30 +- 5 (with raw units, {@code P = 100 I} is negligible on the first and barely moves
 * on the second). Standardising is an affine change of variables, so the model class is unchanged. A channel
 * whose first {@code p + 1} values are (nearly) constant (spread at most {@code 1e-9 (1 + |mean|)}) waits:
 * it starts at the first later update whose values spread.
 *
 * <p>The coefficients start at the persistence model ({@code a1 = 1}, all others 0), so RLS's decaying prior
 * pulls towards persistence rather than towards 0: a constant series is forecast exactly from the start, and
 * a model that has learned little forecasts about what persistence would.
 *
 * <p><b>Guards</b> (deterministic), so that the baseline cannot diverge whatever the series:
 * <ul>
 *   <li>a forecast is clamped to {@code x(t) +- } {@value #MAX_STEPS} times the largest one-step change the
 *       channel has shown so far (a linear model extrapolating a step it has never seen is wrong);</li>
 *   <li>while the model's recent mean absolute error (exponentially weighted, rate {@value #ERROR_RATE})
 *       exceeds {@value #MAX_ERROR_RATIO} times persistence's on the same readings, the channel forecasts
 *       persistence; the model keeps learning and takes over again once its recent error falls;</li>
 *   <li>{@link RecursiveLeastSquares}'s own: bounded trace of {@code P}, reset on a non-finite update.</li>
 * </ul>
 *
 * <p>Prequential ("test, then train"), like the recurrent model: {@link #observe} first learns from the
 * reading (the target of the lags kept since the previous reading, once there are {@code p} of them), then
 * shifts it into the lags; {@link #forecast} then forecasts the next reading, before it is seen. Until
 * {@code p} readings have been seen the forecast is the last value (persistence); so is a forecast that
 * would not be finite.
 *
 * <p>Deterministic, no Kafka. Not thread-safe: one instance per sensor.
 */
public final class OnlineAr implements SensorForecaster {
    /** Default order {@code p}. */
    public static final int DEFAULT_ORDER = 8;
    /** Default forgetting factor. */
    public static final double DEFAULT_LAMBDA = 0.999;
    /** Default initial {@code P = delta I}, in units of the channel's variance (see the class comment). */
    public static final double DEFAULT_DELTA = 100.0;
    /** A forecast moves at most this many times the largest one-step change seen from the last value. */
    public static final double MAX_STEPS = 3.0;
    /** Rate of the exponentially weighted mean absolute errors of the model and of persistence. */
    public static final double ERROR_RATE = 0.01;
    /** The model forecasts only while its recent error is at most this many times persistence's. */
    public static final double MAX_ERROR_RATIO = 2.0;

    private final int channels;
    private final int order;
    private final RecursiveLeastSquares[] models;
    /** Per channel, the raw lags {@code [unused, x(t), x(t-1), ..., x(t-p+1)]}. */
    private final double[][] lags;
    /** Per channel, the standardisation; scale NaN until fixed. */
    private final double[] centre;
    private final double[] scale;
    /** Per channel, the largest |x(t) - x(t-1)| seen. */
    private final double[] maxStep;
    /** Per channel, the model's (guard-free) forecast of the next reading, NaN when it has none. */
    private final double[] modelForecast;
    private final double[] modelError;
    private final double[] naiveError;
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
        this.centre = new double[channels];
        this.scale = new double[channels];
        this.maxStep = new double[channels];
        this.modelForecast = new double[channels];
        this.modelError = new double[channels];
        this.naiveError = new double[channels];
        this.phi = new double[order + 1];
        double[] persistence = new double[order + 1];
        persistence[1] = 1.0;
        for (int c = 0; c < channels; c++) {
            models[c] = new RecursiveLeastSquares(order + 1, lambda, delta, persistence);
            scale[c] = Double.NaN;
            modelForecast[c] = Double.NaN;
        }
    }

    /** AR(8), {@code lambda = 0.999}, {@code delta = 100}. */
    public static OnlineAr defaults(int channels) {
        return new OnlineAr(channels, DEFAULT_ORDER, DEFAULT_LAMBDA, DEFAULT_DELTA);
    }

    @Override
    public int channels() {
        return channels;
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
            double y = reading[c];
            if (readings > 0) {
                double step = Math.abs(y - l[1]);
                maxStep[c] = Math.max(maxStep[c], step);
                if (!Double.isNaN(modelForecast[c])) {
                    modelError[c] += ERROR_RATE * (Math.abs(y - modelForecast[c]) - modelError[c]);
                    naiveError[c] += ERROR_RATE * (step - naiveError[c]);
                }
            }
            if (learn && (!Double.isNaN(scale[c]) || fixScale(c, y))) {
                standardisedLags(c);
                models[c].update(phi, (y - centre[c]) / scale[c]);
            }
            System.arraycopy(l, 1, l, 2, order - 1);
            l[1] = y;
        }
        readings++;
        for (int c = 0; c < channels; c++) {
            modelForecast[c] = Double.NaN;
            if (readings >= order && !Double.isNaN(scale[c])) {
                standardisedLags(c);
                double f = centre[c] + scale[c] * models[c].predict(phi);
                modelForecast[c] = Double.isFinite(f) ? f : Double.NaN;
            }
        }
    }

    /**
     * The forecast of the next reading from the readings observed so far (persistence before {@code p},
     * while a channel waits for spread, and while the error guard holds; see the class comment).
     *
     * @throws IllegalStateException before the first reading
     */
    public double[] forecast() {
        if (readings == 0) {
            throw new IllegalStateException("no reading observed yet");
        }
        double[] f = new double[channels];
        for (int c = 0; c < channels; c++) {
            double last = lags[c][1];
            double m = modelForecast[c];
            if (Double.isNaN(m) || modelError[c] > MAX_ERROR_RATIO * naiveError[c] && modelError[c] > 0) {
                f[c] = last;
            } else {
                double bound = MAX_STEPS * maxStep[c];
                f[c] = Math.max(last - bound, Math.min(last + bound, m));
            }
        }
        return f;
    }

    /**
     * The next {@code steps} readings, iterated: each channel's model is rolled forward on its own forecasts
     * (nothing is learned), every step under the guards of {@link #forecast()} (clamped to {@value #MAX_STEPS}
     * times the largest step seen around the previous value of the rollout; a channel whose error guard holds,
     * or that has no model yet, forecasts its last value at every horizon). {@code [0]} equals
     * {@link #forecast()}; {@code [h-1]} is the forecast {@code h} readings ahead.
     *
     * @throws IllegalArgumentException if {@code steps < 1}
     * @throws IllegalStateException    before the first reading
     */
    public double[][] forecast(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        double[] first = forecast();
        double[][] f = new double[steps][channels];
        double[] rolled = new double[order + 1];
        for (int c = 0; c < channels; c++) {
            f[0][c] = first[c];
            double last = lags[c][1];
            boolean persistence = Double.isNaN(modelForecast[c])
                    || modelError[c] > MAX_ERROR_RATIO * naiveError[c] && modelError[c] > 0;
            if (persistence) {
                for (int h = 1; h < steps; h++) {
                    f[h][c] = last;
                }
                continue;
            }
            System.arraycopy(lags[c], 1, rolled, 1, order);
            double bound = MAX_STEPS * maxStep[c];
            double previous = first[c];
            for (int h = 1; h < steps; h++) {
                System.arraycopy(rolled, 1, rolled, 2, order - 1);
                rolled[1] = previous;
                phi[0] = 1.0;
                for (int i = 1; i <= order; i++) {
                    phi[i] = (rolled[i] - centre[c]) / scale[c];
                }
                double m = centre[c] + scale[c] * models[c].predict(phi);
                double value = Double.isFinite(m) ? Math.max(previous - bound, Math.min(previous + bound, m)) : previous;
                f[h][c] = value;
                previous = value;
            }
        }
        return f;
    }

    /** {@link #observe} then {@link #forecast}. */
    @Override
    public double[] next(double[] reading) {
        observe(reading);
        return forecast();
    }

    /**
     * Channel {@code c}'s coefficients on the standardised values, {@code [a0 (intercept), a1, ..., ap]},
     * a copy.
     */
    public double[] coefficients(int channel) {
        return models[channel].coefficients();
    }

    /** Channel {@code c}'s standardisation {@code [centre, scale]}; scale NaN before it is fixed. */
    public double[] standardisation(int channel) {
        return new double[] {centre[channel], scale[channel]};
    }

    /**
     * Per channel: the RLS model ({@link RecursiveLeastSquares#stateSize}), the {@code p} lags, the centre
     * and scale, the largest step, the model's forecast and the two recent errors ({@code p + 6} doubles);
     * and the reading count.
     */
    @Override
    public StateSize stateSize() {
        StateSize size = new StateSize((long) channels * (order + 6), 0, 1);
        for (RecursiveLeastSquares model : models) {
            size = size.plus(model.stateSize());
        }
        return size;
    }

    /**
     * The reading count, then per channel: the RLS model, the lags {@code x(t) .. x(t-p+1)}, the centre and
     * scale, the largest step, the model's forecast and the two recent errors.
     */
    @Override
    public void writeState(CompactState.Writer out) {
        out.counter(readings);
        for (int c = 0; c < channels; c++) {
            models[c].writeState(out);
            for (int i = 1; i <= order; i++) {
                out.value(lags[c][i]);
            }
            out.value(centre[c]).value(scale[c]).value(maxStep[c]).value(modelForecast[c]).value(modelError[c])
                    .value(naiveError[c]);
        }
    }

    @Override
    public void readState(CompactState.Reader in) {
        readings = in.counter();
        for (int c = 0; c < channels; c++) {
            models[c].readState(in);
            for (int i = 1; i <= order; i++) {
                lags[c][i] = in.value();
            }
            centre[c] = in.value();
            scale[c] = in.value();
            maxStep[c] = in.value();
            modelForecast[c] = in.value();
            modelError[c] = in.value();
            naiveError[c] = in.value();
        }
    }

    /** {@link #writeState} then {@link #readState}, in place: every number it writes rounded to float. */
    @Override
    public void roundToStored() {
        for (int c = 0; c < channels; c++) {
            models[c].roundToStored();
            double[] l = lags[c];
            for (int i = 1; i <= order; i++) {
                l[i] = CompactState.roundValue(l[i]);
            }
        }
        CompactState.roundValues(centre);
        CompactState.roundValues(scale);
        CompactState.roundValues(maxStep);
        CompactState.roundValues(modelForecast);
        CompactState.roundValues(modelError);
        CompactState.roundValues(naiveError);
    }

    /** The order {@code p}. */
    public int order() {
        return order;
    }

    /** Readings observed. */
    public long readings() {
        return readings;
    }

    /** Fixes channel {@code c}'s centre and scale from its {@code p} lags and {@code y}; false if they do not spread. */
    private boolean fixScale(int c, double y) {
        double[] l = lags[c];
        double sum = y;
        for (int i = 1; i <= order; i++) {
            sum += l[i];
        }
        double mean = sum / (order + 1);
        double squares = (y - mean) * (y - mean);
        for (int i = 1; i <= order; i++) {
            squares += (l[i] - mean) * (l[i] - mean);
        }
        double std = Math.sqrt(squares / order);
        if (!(std > 1e-9 * (1 + Math.abs(mean)))) {
            return false;
        }
        centre[c] = mean;
        scale[c] = std;
        return true;
    }

    private void standardisedLags(int c) {
        phi[0] = 1.0;
        for (int i = 1; i <= order; i++) {
            phi[i] = (lags[c][i] - centre[c]) / scale[c];
        }
    }
}
