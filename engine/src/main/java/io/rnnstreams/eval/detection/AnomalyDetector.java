package io.rnnstreams.eval.detection;

/**
 * A calibrated streaming anomaly detector for one multichannel sensor: how unusual a reading is, as a score
 * in [0, 1] that is about {@code 1 - p} for a tail probability {@code p} on normal data (so that on normal
 * data a threshold {@code q} is crossed by about a fraction {@code 1 - q} of the readings), an alarm with
 * suppression, a warm-up flag and per-channel contributions.
 *
 * <p>Tests in the spirit of Numenta's anomaly likelihood (the tail probability of a recent statistic under
 * its own long-run distribution):
 * <ul>
 *   <li><b>error</b>: the forecast error, per channel in units of that channel's long-run error RMS:
 *       {@code S = mean_c (err_c / rms_c)^2} (a spike, a reading the forecaster did not expect); its cube
 *       root (Wilson and Hilferty: the cube root of a chi-square variable is close to normal) against the
 *       long-run mean and standard deviation of that cube root gives the upper normal tail {@code pS};</li>
 *   <li><b>level</b>, per channel: the short exponentially weighted mean of the readings against the normal
 *       level (a long weighted mean), in units of that deviation's own long-run RMS, {@code L_c = (xs_c -
 *       m_c)^2 / u_c} (a sustained change the forecaster has adapted to); {@code L_c^}{@value #LEVEL_POWER}
 *       against its own long-run mean and standard deviation gives {@code p_c} (a power below 1/3: the
 *       levels of real sensors are heavier-tailed than a chi-square); {@code pL = min(1, D min_c p_c)}.</li>
 * </ul>
 * The score is {@code 1 - min(1, 2 min(pS, pL))} (Bonferroni over the tests), so on normal data it exceeds
 * {@code q} on about a fraction {@code 1 - q} of the readings. Without a forecast error (the first reading)
 * only the level test counts.
 *
 * <p>Learning: the normal statistics (level, spreads, fits) learn a reading only if it is not flagged
 * (score below the threshold) when {@code quarantine} is on, so that a lasting fault is not absorbed into the
 * normal level and stays flagged while it lasts; after {@code holdLimit} consecutive flagged readings the
 * readings are learned anyway (a new normal). The forecaster itself is not affected here.
 *
 * <p>Long-window weights are {@code max(2 / (window + 1), 1 / n)}, so the first readings get exact running
 * moments. Until {@code warmup} normal readings are learned the score is 0 and {@link Result#warmingUp()} is
 * true. State: {@link #stateSize} doubles, kept by the caller per key. Deterministic ({@link StrictMath}).
 */
public final class AnomalyDetector {
    private static final int COUNT = 0;
    private static final int RUN = 1;
    private static final int GATE = 2;
    private static final int SEEN = 3;
    private static final int ERR_MEAN = 4;
    private static final int ERR_VAR = 5;
    private static final int ERR_COUNT = 6;
    private static final int HEADER = 7;
    /** Per channel: level m, short mean xs, level-deviation mean square u, error mean square, fit mean, fit
     *  var, values in the fit. */
    private static final int PER_CHANNEL = 7;
    /** The power that makes a channel's squared level deviation close to normal. */
    static final double LEVEL_POWER = 0.25;
    private static final double TINY = 1e-300;
    private static final double WINSOR_SDS = 5.0;
    private static final double WINSOR_AFTER = 30;

    private final DetectorConfig config;
    private final int channels;
    private final double alphaShort;
    private final double alphaLong;
    private final AlarmGate gate;

    public AnomalyDetector(DetectorConfig config, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.config = config;
        this.channels = channels;
        this.alphaShort = 2.0 / (config.shortWindow() + 1);
        this.alphaLong = 2.0 / (config.longWindow() + 1);
        this.gate = new AlarmGate(config.threshold(), config.quiet());
    }

    /** Doubles of state for {@code channels} channels. */
    public static int stateSize(int channels) {
        return HEADER + PER_CHANNEL * channels;
    }

    /** A fresh state (all zeros, the gate open). */
    public double[] newState() {
        return initialState(channels);
    }

    /** A fresh state for {@code channels} channels: nothing learned, warming up, the alarm armed. */
    public static double[] initialState(int channels) {
        double[] state = new double[stateSize(channels)];
        state[GATE] = AlarmGate.OPEN;
        return state;
    }

    /**
     * Whether the key's alarm is raised and its event not over: an alarm closed the gate and fewer than
     * {@code quiet} readings in a row have been below the threshold since ({@link AlarmGate}).
     *
     * @param state {@link #stateSize} doubles of one key
     */
    public static boolean alarmActive(double[] state) {
        return (long) state[GATE] != AlarmGate.OPEN;
    }

    /**
     * One reading's verdict.
     *
     * @param score         in [0, 1]; 0 while warming up
     * @param flagged       score at or above the threshold (after the warm-up)
     * @param alarm         an alarm is raised at this reading (at most one per event)
     * @param warmingUp     the score is not meaningful yet
     * @param contributions per channel, its share of the larger test's statistic (sums to 1; zeros while
     *                      warming up): which channel is unusual
     */
    public record Result(double score, boolean flagged, boolean alarm, boolean warmingUp, double[] contributions) {
    }

    /**
     * Takes in one reading and, if there was a forecast of it, its error.
     *
     * @param state   {@link #stateSize} doubles, updated in place
     * @param reading one finite value per channel
     * @param error   reading minus its forecast per channel, or null if there was no forecast
     */
    public Result update(double[] state, double[] reading, double[] error) {
        double seen = state[SEEN] + 1;
        state[SEEN] = seen;
        double n = state[COUNT];
        double shortWeight = Math.max(alphaShort, 1.0 / seen);
        double[] levelSq = new double[channels];
        boolean[] tested = new boolean[channels];
        double[] errorSq = new double[channels];
        double levelSum = 0;
        double errorSum = 0;
        boolean haveError = error != null && state[ERR_COUNT] > 0;
        boolean haveLevel = n >= 2; // the level deviations have a mean square from the second learned reading on
        for (int c = 0; c < channels; c++) {
            int b = HEADER + PER_CHANNEL * c;
            state[b + 1] = seen == 1 ? reading[c] : state[b + 1] + shortWeight * (reading[c] - state[b + 1]);
            if (haveLevel) {
                double dev = state[b + 1] - state[b];
                tested[c] = state[b + 2] > 0; // no spread seen yet (a constant channel): no test
                levelSq[c] = tested[c] ? dev * dev / state[b + 2] : 0.0;
                levelSum += levelSq[c];
            }
            if (haveError) {
                errorSq[c] = state[b + 3] > 0 ? error[c] * error[c] / state[b + 3] : 0.0;
                errorSum += errorSq[c];
            }
        }
        double err = Math.cbrt(finite(errorSum / channels));
        boolean warm = n < config.warmup();
        double score = 0;
        double[] contributions = new double[channels];
        double[] levelFit = new double[channels];
        if (!warm) {
            double minLevelTail = 1.0;
            for (int c = 0; c < channels; c++) {
                int b = HEADER + PER_CHANNEL * c;
                levelFit[c] = Math.pow(finite(levelSq[c]), LEVEL_POWER);
                if (tested[c] && state[b + 6] >= WINSOR_AFTER) { // a channel's test counts once it is fitted
                    double p = upperTail((levelFit[c] - state[b + 4]) / Math.sqrt(Math.max(state[b + 5], TINY)));
                    minLevelTail = Math.min(minLevelTail, p);
                }
            }
            double pLevel = Math.min(1.0, channels * minLevelTail);
            double p = pLevel;
            if (haveError) {
                double pError = upperTail((err - state[ERR_MEAN]) / Math.sqrt(Math.max(state[ERR_VAR], TINY)));
                p = Math.min(1.0, 2 * Math.min(pLevel, pError));
                if (pError < pLevel) {
                    share(errorSq, errorSum, contributions);
                } else {
                    share(levelSq, levelSum, contributions);
                }
            } else {
                share(levelSq, levelSum, contributions);
            }
            score = 1.0 - p;
        } else {
            for (int c = 0; c < channels; c++) {
                levelFit[c] = Math.pow(finite(levelSq[c]), LEVEL_POWER);
            }
        }
        boolean flagged = !warm && score >= config.threshold();
        state[RUN] = flagged ? state[RUN] + 1 : 0;
        boolean learn = !flagged || !config.quarantine() || state[RUN] > config.holdLimit();
        if (learn) {
            learn(state, reading, error, levelFit, tested, err, haveLevel, haveError);
        }
        boolean alarm = false;
        if (!warm) {
            AlarmGate.Step step = gate.next((long) state[GATE], score);
            alarm = step.alarm();
            state[GATE] = step.state();
        }
        return new Result(score, flagged, alarm, warm, contributions);
    }

    private void learn(double[] state, double[] reading, double[] error, double[] levelFit, boolean[] tested,
                       double err,
                       boolean haveLevel, boolean haveError) {
        double n = state[COUNT] + 1;
        state[COUNT] = n;
        double w = Math.max(alphaLong, 1.0 / n);
        for (int c = 0; c < channels; c++) {
            int b = HEADER + PER_CHANNEL * c;
            if (n == 1) {
                state[b] = reading[c];
            } else {
                double dev = state[b + 1] - state[b];
                state[b + 2] += w * (dev * dev - state[b + 2]);
                state[b] += w * (reading[c] - state[b]);
            }
        }
        if (haveLevel) {
            for (int c = 0; c < channels; c++) {
                int b = HEADER + PER_CHANNEL * c;
                if (!tested[c]) {
                    continue; // a constant channel so far: nothing to fit
                }
                double fitted = state[b + 6] + 1;
                state[b + 6] = fitted;
                double wf = Math.max(alphaLong, 1.0 / fitted);
                double d = winsorised(levelFit[c], state[b + 4], state[b + 5], fitted - 1) - state[b + 4];
                state[b + 4] += wf * d;
                state[b + 5] = (1 - wf) * (state[b + 5] + wf * d * d);
            }
        }
        if (error != null) {
            double ne = state[ERR_COUNT] + 1;
            double we = Math.max(alphaLong, 1.0 / ne);
            if (haveError) {
                double d = winsorised(err, state[ERR_MEAN], state[ERR_VAR], ne) - state[ERR_MEAN];
                state[ERR_MEAN] += we * d;
                state[ERR_VAR] = (1 - we) * (state[ERR_VAR] + we * d * d);
            }
            for (int c = 0; c < channels; c++) {
                int b = HEADER + PER_CHANNEL * c;
                state[b + 3] += we * (error[c] * error[c] - state[b + 3]);
            }
            state[ERR_COUNT] = ne;
        }
    }

    /**
     * A value entering a fit, capped at {@value #WINSOR_SDS} standard deviations above the fit's mean once
     * {@value #WINSOR_AFTER} values are in it: one wild early value (a quantised or constant channel's first
     * step) would otherwise dominate the fit for a whole long window.
     */
    private static double winsorised(double value, double mean, double var, double count) {
        if (count <= WINSOR_AFTER) {
            return value;
        }
        return Math.min(value, mean + WINSOR_SDS * Math.sqrt(var));
    }

    private static void share(double[] parts, double sum, double[] out) {
        if (!(sum > 0) || !Double.isFinite(sum)) {
            return;
        }
        for (int c = 0; c < parts.length; c++) {
            out[c] = parts[c] / sum;
        }
    }

    private static double finite(double v) {
        return v <= Double.MAX_VALUE ? v : Double.MAX_VALUE;
    }

    /** {@code P(Z > z)} for a standard normal {@code Z}. */
    static double upperTail(double z) {
        return 0.5 * io.rnnstreams.eval.AnomalyScore.erfc(z / Math.sqrt(2.0));
    }

    public DetectorConfig config() {
        return config;
    }
}
