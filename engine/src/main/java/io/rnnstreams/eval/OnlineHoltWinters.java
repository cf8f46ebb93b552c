package io.rnnstreams.eval;

import io.rnnstreams.model.CompactState;
import java.util.ArrayList;
import java.util.List;

/**
 * Holt-Winters with its parameters chosen online: every candidate of a small grid runs side by side, each
 * channel is forecast by the candidate whose recent squared one-step error on that channel is lowest
 * (exponentially weighted, rate {@value #ERROR_RATE}; ties to the earlier candidate). Nothing is fitted
 * offline and no reading is seen before it is forecast.
 *
 * <p><b>Seasons shared by the candidates of one {@code gamma}.</b> Each candidate keeps its own level and
 * trend (the recursion of {@link HoltWinters}, which a single candidate reproduces bit for bit), but the
 * candidates with the same seasonal rate {@code gamma} share one array of {@code m} seasons per channel: every
 * candidate reads the slot's season before it is updated, then the slot is updated once, from the level of
 * the group's first candidate in grid order (the default grid's: {@code alpha = 0.1, beta = 0}, the slowest
 * level, which leaves the seasons the most to explain; updating from the recently best candidate let a
 * fast level absorb the season and the shared seasons decay: on a noisy sine of period 24 its error was
 * 1.5x seasonal persistence's). The seasons estimate the same
 * thing (the slot's mean deviation from the level) in every candidate, so 27 copies held little more than
 * three; sharing them cuts the state from {@code K (2 + m)} to {@code 2 K + G m} doubles per channel
 * ({@code G} distinct {@code gamma}s). A candidate's forecast is recomputed from its level, trend and season
 * when it is scored, so it is not kept either.
 *
 * <p>Grid ({@link #grid}): {@code alpha} in {0.1, 0.4, 0.9} x {@code beta} in {0, 0.02, 0.1} x, with a
 * period, {@code gamma} in {0.02, 0.1, 0.3}; damping {@code phi = 0.98}: 27 candidates in 3 seasonal groups
 * with a period, 9 without. Cost per reading: that many updates per channel. The hybrid learner's linear path
 * runs on a smaller grid ({@link #compactGrid}).
 *
 * <p>Deterministic; not thread-safe: one instance per sensor.
 */
public final class OnlineHoltWinters implements SensorForecaster {
    /** Rate of the candidates' exponentially weighted squared errors. */
    public static final double ERROR_RATE = 0.02;

    private final int channels;
    private final int period;
    private final List<HoltWinters.Parameters> candidates;
    /** {@code group[k]}: the index of candidate k's season array (one per distinct gamma). */
    private final int[] group;
    private final int groups;
    /** {@code level[k][c]}, {@code trend[k][c]}. */
    private final double[][] level;
    private final double[][] trend;
    /** {@code season[g][c][i]}: group g's season of slot i on channel c; empty without a period. */
    private final float[][][] season;
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
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        if (period < 0) {
            throw new IllegalArgumentException("period must be >= 0, got " + period);
        }
        if (grid.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one candidate");
        }
        this.channels = channels;
        this.period = period;
        this.candidates = List.copyOf(grid);
        this.group = new int[grid.size()];
        List<Double> gammas = new ArrayList<>();
        for (int k = 0; k < grid.size(); k++) {
            double gamma = grid.get(k).gamma();
            int g = gammas.indexOf(gamma);
            if (g < 0) {
                g = gammas.size();
                gammas.add(gamma);
            }
            group[k] = g;
        }
        this.groups = gammas.size();
        this.level = new double[grid.size()][channels];
        this.trend = new double[grid.size()][channels];
        this.season = new float[groups][channels][period];
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

    /**
     * The grid of the hybrid learner's linear path, whose state every key stores: without a period the default
     * grid (9 candidates, no seasons); with one, {@code alpha} in {0.1, 0.4, 0.9}, {@code beta = 0} (no trend) and
     * the one {@code gamma} 0.1: 3 candidates and one array of seasons per channel instead of 27 candidates (18
     * trends) and three, {@code 6 + m} numbers per channel instead of {@code 72 + 3 m}. Its candidates are
     * candidates of the default grid, and its seasons' leader ({@code alpha = 0.1, beta = 0}) is that of the default
     * grid's group of the same {@code gamma}, so a compact forecaster follows those candidates' recursions exactly
     * ({@link #adopt}). Chosen on the accuracy suite (the learner's MASE on the seasonal datasets, each grid with the
     * state otherwise in float): {@code gamma} 0.1 beat 0.02 and 0.3 (ETTh1 0.4-1.4 %); all three {@code alpha}s
     * beat {@code alpha} in {0.1, 0.4} with three {@code beta}s (ETTh1 1-1.5 %); {@code beta} in {0, 0.1} did no
     * better than {@code beta = 0} (within 0.1 % everywhere).
     */
    public static List<HoltWinters.Parameters> compactGrid(int period) {
        if (period == 0) {
            return grid(0);
        }
        List<HoltWinters.Parameters> grid = new ArrayList<>();
        for (double alpha : new double[] {0.1, 0.4, 0.9}) {
            grid.add(new HoltWinters.Parameters(alpha, 0, 0.1, 0.98));
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
        int slot = period == 0 ? 0 : (int) (readings % period);
        for (int c = 0; c < channels; c++) {
            double y = reading[c];
            if (readings == 0) {
                for (int k = 0; k < candidates.size(); k++) {
                    level[k][c] = y;
                }
                continue;
            }
            for (int k = 0; k < candidates.size(); k++) {
                double e = y - forecast(k, c, slot);
                errors[k][c] += ERROR_RATE * (e * e - errors[k][c]);
            }
            for (int k = 0; k < candidates.size(); k++) {
                HoltWinters.Parameters p = candidates.get(k);
                double s = period == 0 ? 0 : season[group[k]][c][slot];
                double previous = level[k][c];
                double damped = p.phi() * trend[k][c];
                level[k][c] = p.alpha() * (y - s) + (1 - p.alpha()) * (previous + damped);
                trend[k][c] = p.beta() * (level[k][c] - previous) + (1 - p.beta()) * damped;
            }
            if (period > 0) {
                for (int g = 0; g < groups; g++) {
                    int leader = leader(g);
                    double gamma = Math.max(candidates.get(leader).gamma(), 1.0 / (readings / period + 1));
                    double s = season[g][c][slot];
                    season[g][c][slot] = (float) (gamma * (y - level[leader][c]) + (1 - gamma) * s);
                }
            }
        }
        readings++;
        int next = period == 0 ? 0 : (int) (readings % period);
        double[] out = new double[channels];
        for (int c = 0; c < channels; c++) {
            out[c] = forecast(best(c), c, next);
            if (!Double.isFinite(out[c])) {
                out[c] = reading[c];
            }
        }
        return out;
    }

    /**
     * The next {@code steps} readings by each channel's recently best candidate, its damped-trend forecast
     * {@code l + (phi + ... + phi^h) b + s_{t+h}} ({@code [h-1]}: {@code h} readings ahead; {@code [0]} equals what
     * {@link #next} returned when finite). A value that is not finite is replaced by the previous horizon's (the level at
     * {@code h = 1}).
     *
     * @throws IllegalArgumentException if {@code steps < 1}
     * @throws IllegalStateException    before the first reading
     */
    public double[][] forecast(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (readings == 0) {
            throw new IllegalStateException("no reading observed yet");
        }
        double[][] f = new double[steps][channels];
        for (int c = 0; c < channels; c++) {
            int k = best(c);
            double phi = candidates.get(k).phi();
            double damped = 0.0;
            double power = 1.0;
            for (int h = 1; h <= steps; h++) {
                power *= phi;
                damped += power;
                int slot = period == 0 ? 0 : (int) ((readings + h - 1) % period);
                double value = level[k][c] + damped * trend[k][c] + (period == 0 ? 0 : season[group[k]][c][slot]);
                f[h - 1][c] = Double.isFinite(value) ? value : h == 1 ? level[k][c] : f[h - 2][c];
            }
        }
        return f;
    }

    /**
     * Per channel: each candidate's level and trend and recent error ({@code 3 K D} doubles), each seasonal
     * group's {@code m} seasons ({@code G m D} doubles); and the reading count.
     */
    @Override
    public StateSize stateSize() {
        return new StateSize(3L * candidates.size() * channels, (long) groups * period * channels, 1);
    }

    /**
     * The reading count, then per channel: each candidate's level, the trend of each candidate with
     * {@code beta > 0} (with {@code beta = 0} the trend starts at 0 and stays there), each candidate's recent
     * error, and each group's seasons.
     */
    @Override
    public void writeState(CompactState.Writer out) {
        out.counter(readings);
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < candidates.size(); k++) {
                out.value(level[k][c]);
            }
            for (int k = 0; k < candidates.size(); k++) {
                if (candidates.get(k).beta() != 0) {
                    out.value(trend[k][c]);
                }
            }
            for (int k = 0; k < candidates.size(); k++) {
                out.value(errors[k][c]);
            }
            for (int g = 0; g < groups; g++) {
                out.values(season[g][c]);
            }
        }
    }

    @Override
    public void readState(CompactState.Reader in) {
        readings = in.counter();
        for (int c = 0; c < channels; c++) {
            for (int k = 0; k < candidates.size(); k++) {
                level[k][c] = in.value();
            }
            for (int k = 0; k < candidates.size(); k++) {
                trend[k][c] = candidates.get(k).beta() != 0 ? in.value() : 0.0;
            }
            for (int k = 0; k < candidates.size(); k++) {
                errors[k][c] = in.value();
            }
            for (int g = 0; g < groups; g++) {
                in.values(season[g][c]);
            }
        }
    }

    /**
     * {@link #writeState} then {@link #readState}, in place: levels, errors and the trends of candidates with
     * {@code beta > 0} rounded to float, the others' trends 0; the seasons are floats already.
     */
    @Override
    public void roundToStored() {
        for (int k = 0; k < candidates.size(); k++) {
            CompactState.roundValues(level[k]);
            CompactState.roundValues(errors[k]);
            if (candidates.get(k).beta() != 0) {
                CompactState.roundValues(trend[k]);
            } else {
                java.util.Arrays.fill(trend[k], 0.0);
            }
        }
    }

    /**
     * Replaces this forecaster's state with {@code other}'s, a forecaster of the same channels and period on
     * another grid (a state stored under an older grid): each candidate takes the level, trend and recent error of
     * the candidate with the same parameters in {@code other}, each seasonal group the seasons of {@code other}'s
     * group with the same {@code gamma}.
     *
     * @throws IllegalArgumentException if the shapes differ or a candidate of this grid is not in {@code other}'s
     */
    public void adopt(OnlineHoltWinters other) {
        if (other.channels != channels || other.period != period) {
            throw new IllegalArgumentException("Holt-Winters state of " + other.channels + " channels and period "
                    + other.period + " does not fit " + channels + " channels and period " + period);
        }
        for (int k = 0; k < candidates.size(); k++) {
            int j = other.candidates.indexOf(candidates.get(k));
            if (j < 0) {
                throw new IllegalArgumentException("Holt-Winters state has no candidate " + candidates.get(k));
            }
            System.arraycopy(other.level[j], 0, level[k], 0, channels);
            System.arraycopy(other.trend[j], 0, trend[k], 0, channels);
            System.arraycopy(other.errors[j], 0, errors[k], 0, channels);
            for (int c = 0; c < channels; c++) {
                System.arraycopy(other.season[other.group[j]][c], 0, season[group[k]][c], 0, period);
            }
        }
        readings = other.readings;
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

    /** Candidate k's forecast of channel c for season slot {@code slot}. */
    private double forecast(int k, int c, int slot) {
        return level[k][c] + candidates.get(k).phi() * trend[k][c] + (period == 0 ? 0 : season[group[k]][c][slot]);
    }

    /** Group {@code g}'s first candidate in grid order, whose level updates the group's seasons. */
    private int leader(int g) {
        int k = 0;
        while (group[k] != g) {
            k++;
        }
        return k;
    }
}
