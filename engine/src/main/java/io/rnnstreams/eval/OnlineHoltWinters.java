package io.rnnstreams.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Holt-Winters with its parameters chosen online: every candidate of a small grid runs side by side
 * ({@link HoltWinters}), each channel is forecast by the candidate whose recent squared one-step error on
 * that channel is lowest (exponentially weighted, rate {@value #ERROR_RATE}; ties to the earlier candidate).
 * Nothing is fitted offline and no reading is seen before it is forecast.
 *
 * <p>Grid ({@link #grid}): {@code alpha} in {0.1, 0.4, 0.9} x {@code beta} in {0, 0.02, 0.1} x, with a
 * period, {@code gamma} in {0.02, 0.1, 0.3}; damping {@code phi = 0.98}: 27 candidates with a period, 9
 * without. Cost per reading: that many updates per channel; state: that many {@code (2 + m)} doubles per
 * channel.
 *
 * <p>Deterministic; not thread-safe: one instance per sensor.
 */
public final class OnlineHoltWinters implements SensorForecaster {
    /** Rate of the candidates' exponentially weighted squared errors. */
    public static final double ERROR_RATE = 0.02;

    private final int channels;
    private final List<HoltWinters> candidates;
    /** {@code forecasts[k][c]}: candidate k's forecast of the coming reading. */
    private final double[][] forecasts;
    /** {@code errors[k][c]}: candidate k's recent squared error on channel c. */
    private final double[][] errors;
    private long readings;

    /**
     * @param channels {@code D >= 1}
     * @param period   {@code m >= 0} (0: no season)
     */
    public OnlineHoltWinters(int channels, int period) {
        this(channels, period, grid(period));
    }

    /** With an explicit grid (at least one candidate). */
    public OnlineHoltWinters(int channels, int period, List<HoltWinters.Parameters> grid) {
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one candidate");
        }
        this.channels = channels;
        this.candidates = new ArrayList<>();
        for (HoltWinters.Parameters p : grid) {
            candidates.add(new HoltWinters(channels, period, p));
        }
        this.forecasts = new double[grid.size()][channels];
        this.errors = new double[grid.size()][channels];
    }

    /** The default grid for period {@code m} (see the class comment), in candidate order. */
    public static List<HoltWinters.Parameters> grid(int period) {
        List<HoltWinters.Parameters> grid = new ArrayList<>();
        double[] gammas = period > 0 ? new double[] {0.02, 0.1, 0.3} : new double[] {0};
        for (double alpha : new double[] {0.1, 0.4, 0.9}) {
            for (double beta : new double[] {0, 0.02, 0.1}) {
                for (double gamma : gammas) {
                    grid.add(new HoltWinters.Parameters(alpha, beta, gamma, 0.98));
                }
            }
        }
        return grid;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public double[] next(double[] reading) {
        if (reading.length != channels) {
            throw new IllegalArgumentException("reading has " + reading.length + " channels, expected " + channels);
        }
        for (int k = 0; k < candidates.size(); k++) {
            if (readings > 0) {
                for (int c = 0; c < channels; c++) {
                    double e = reading[c] - forecasts[k][c];
                    errors[k][c] += ERROR_RATE * (e * e - errors[k][c]);
                }
            }
            candidates.get(k).observe(reading);
            candidates.get(k).forecast(forecasts[k]);
        }
        readings++;
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = forecasts[best(c)][c];
            if (!Double.isFinite(out[c])) {
                out[c] = reading[c];
            }
        }
        return out;
    }

    /**
     * Every candidate's state ({@link HoltWinters#stateSize}), plus each candidate's forecast and recent
     * squared error per channel ({@code 2 K D} doubles) and the reading count.
     */
    @Override
    public StateSize stateSize() {
        StateSize size = new StateSize(2L * candidates.size() * channels, 0, 1);
        for (HoltWinters candidate : candidates) {
            size = size.plus(candidate.stateSize());
        }
        return size;
    }

    /** The index of the candidate forecasting channel {@code c} now. */
    public int best(int channel) {
        int best = 0;
        for (int k = 1; k < candidates.size(); k++) {
            if (errors[k][channel] < errors[best][channel]) {
                best = k;
            }
        }
        return best;
    }
}
