package io.rnnstreams.eval.detection;

/**
 * A calibrated streaming anomaly detector for one multichannel sensor: how unusual a reading is, as a score
 * in [0, 1] that is about {@code 1 - p} for a tail probability {@code p} on normal data (so that on normal
 * data a threshold {@code q} is crossed by about a fraction {@code 1 - q} of the readings), an alarm with
 * suppression, a warm-up flag and per-channel contributions.
 *
 * <p>Alarms ({@link AlarmGate}): a reading raises an alarm when its score reaches the threshold while the key's
 * alarm is armed; raising it disarms the alarm until {@code quiet} readings in a row are below the threshold,
 * so an event raises one alarm, not one per reading; <b>unless it escalates</b>: while the alarm stands, a
 * reading whose surprise {@code -log10 p} ({@link #surprise}) exceeds {@value #ESCALATION} times the event's peak
 * surprise so far raises a new alarm (the event got markedly worse; it becomes the new peak), <b>or it changes
 * again</b>: while the alarm stands, the change test ({@link #CHANGE_SPREADS}) fires when a channel's short mean
 * moves {@value #CHANGE_SPREADS} of its learned spreads further from the normal level than the level the readings
 * held during the event (a fault that begins inside a standing event, when the sensor was already far from its
 * normal level: SKAB's valve1/12, other/1, other/4); a channel still catching up with the step that raised the
 * alarm is not tested during the {@code quiet} readings after it, so a step raises one alarm. An event's
 * <b>first</b> alarm waits one reading when its score is a lone forecast-error spike just past the threshold
 * (surprise below {@link AlarmGate#SPIKE_CONFIRM}): it is raised at the next reading if that one is at or above
 * the threshold too, else not at all. A user reads an alarm ({@code Prediction.anomaly}) as "an event began here
 * (or, for a lone spike, at the reading before), or the one under way got markedly worse or changed again". The
 * re-alarms do not re-arm or disarm anything; the score, the flag, quarantine and learning do not depend on alarms;
 * {@link Result#signals()} carries what the alarm rule used besides the score, so the alarms can be recomputed
 * from scores and signals ({@link AlarmGate#alarms(double[], int[])}).
 *
 * <p>Tests in the spirit of Numenta's anomaly likelihood (the tail probability of a recent statistic under
 * its own long-run distribution):
 * <ul>
 *   <li><b>error</b>: the forecast error, per channel in units of that channel's long-run error RMS:
 *       {@code S = mean_c (err_c / rms_c)^2} (a spike, a reading the forecaster did not expect); its cube
 *       root (Wilson and Hilferty: the cube root of a chi-square variable is close to normal) against the
 *       long-run mean and standard deviation of that cube root gives the upper normal tail {@code pS};</li>
 *   <li><b>level</b>, all channels jointly (a Hotelling {@code T^2} test, as in the T-squared and MSET
 *       detectors of the SKAB benchmark but fitted online): the deviation {@code d = xs - m} of the short
 *       exponentially weighted mean of the readings from the normal level (a long weighted mean), against the
 *       long-run covariance {@code U} of that deviation shrunk 10% towards its diagonal
 *       ({@link ShrunkMahalanobis}), per tested channel: {@code L = d' A^-1 d / k} (a sustained change the
 *       forecaster has adapted to, and a broken relation between channels that no channel shows alone);
 *       {@code L^}{@value #LEVEL_POWER} against its own long-run mean and standard deviation gives
 *       {@code pL} (a power below 1/3: the levels of real sensors are heavier-tailed than a chi-square). A
 *       channel is tested once it has varied in 30 learned readings (a constant or quantised channel is not
 *       tested until then). With one channel this is the squared deviation in units of its mean square.</li>
 *   <li><b>channel</b>, the most-shifted channel alone, only while at least two channels are tested (with one it
 *       would repeat the level test): each tested channel's deviation in units of its own learned standard
 *       deviation, {@code z_c = |d_c| / sqrt(U_cc)} (standard normal if the readings are normal), the largest
 *       over the {@code k} tested channels, its two-sided normal tail {@code p1 = 2 P(Z > max_c z_c)}, and
 *       {@code pC = 1 - (1 - p1)^k}: Sidak's correction (Z. Sidak, "Rectangular confidence regions for the
 *       means of multivariate normal distributions", JASA 62, 1967; exact for independent channels, conservative
 *       for correlated ones) of the smallest of {@code k} per-channel p-values ({@link #sidakLogTail}). The null
 *       is the plain normal distribution: nothing is fitted and nothing stored. It finds a step in one channel
 *       that the level test dilutes by its division by {@code k} (the valve faults of SKAB).</li>
 * </ul>
 * The score is {@code 1 - min(1, m min(pS, pL, pC))} (Bonferroni over the {@code m} tests that count: 3, or 2
 * with fewer than two channels tested; one fewer without a forecast error, as for the first reading), so on
 * normal data it exceeds {@code q} on about a fraction {@code 1 - q} of the readings; below
 * {@code p = }{@value #EXACT_P} it keeps ranking more surprising readings higher in the last doubles below 1
 * ({@link #score(double, int)}), where {@code 1 - p} would tie them all at exactly 1. <b>A standing event's
 * readings</b> emit less above the threshold as the event ages ({@link #standing}): a flagged reading that is no
 * new peak of its event has its surprise above the threshold divided by {@code 1 + age / }{@value #STANDING_AGE},
 * so an event's onset and its worsenings rank above its long tail; nothing at or below the threshold, no verdict
 * and no alarm changes.
 *
 * <p>Learning: the normal statistics (level, covariance, spreads, fits) learn a reading only if the error and
 * level tests do not flag it (their score, with the same {@code m}, below the threshold) when {@code quarantine}
 * is on, so that a lasting fault is not absorbed into the normal level and stays flagged while it lasts; a
 * reading flagged by the channel test alone is learned (quarantined too, a channel left shifted after a fault
 * kept the channel test up and SKAB's false alarms doubled: docs/anomaly-detection.md, fourth round); after
 * {@code holdLimit} consecutive flagged readings the readings are learned anyway (a new normal). An event that
 * leaves an offset behind ends sooner: once its level statistic has settled below a thirtieth of its peak for
 * {@code quiet} readings while still flagged, the normal level is set to where the readings now sit
 * ({@code endOfEvent}). The level and its covariance learn a reading with the Huber weight
 * {@code min(1, }{@value #HUBER}{@code  / L)}, so a gradual fault that is not flagged yet moves them little
 * (learned at full weight, its squared deviations would inflate the covariance within a few dozen readings and
 * hide the fault). While the channel test counts, the weight is also at most {@code c / z^2} for the largest
 * tested channel's {@code z^2 = d_c^2 / U_cc} beyond the corner {@code c} where the channel test alone scores 0.99
 * ({@link #channelHuberCorner}; 12.45 for 8 channels and 3 tests): a step in one channel that the joint test
 * dilutes is learned, but slowly enough that its squared deviations do not inflate that channel's variance and
 * hide it within a few dozen readings (SKAB's valve faults: docs/anomaly-detection.md, fifth round). The
 * forecaster itself is not affected here.
 *
 * <p>Long-window weights are {@code max(2 / (window + 1), 1 / n)}, so the first readings get exact running
 * moments. Until {@code warmup} normal readings are learned, and then until the level test is fitted (about
 * 60 readings more; at most {@value #LEVEL_READY}), the score is 0 and {@link Result#warmingUp()} is true.
 * The first {@code warmup} readings teach the error statistics, but the level reference (level, covariance,
 * fit) starts from the first reading after them, {@code n} counting from there: a key's first readings (a
 * machine's start-up, as each SKAB run begins) are often not its normal level, and learned into the
 * reference they would inflate its covariance for a whole long window.
 *
 * <p>State (the channel test and its weight add none): {@link #stateSize} doubles ({@code 15 + 5 D + D (D + 1) / 2}: 91
 * doubles, 728 bytes, for SKAB's 8 channels; 21 for one channel; layout 4 added the standing alarm's peak surprise,
 * layout 5 after it the change test's event level per channel and the readings since its hold began), kept by the
 * caller per key; its first double
 * marks the layout ({@link #isState}). Deterministic. One instance per thread (scratch arrays).
 */
public final class AnomalyDetector {
    /** The value of the state's first double in this layout (layout 5): a count is never negative. */
    static final double LAYOUT = -5.0;
    /** The mark of layout 4, which lacks the change test's event level and count at the end ({@link #adopt}). */
    static final double LAYOUT_4 = -4.0;
    /** The mark of layout 3, which also lacks the alarm's peak surprise before them ({@link #adopt}). */
    static final double LAYOUT_3 = -3.0;
    /** The mark of layout 2, which also lacks the event's two doubles before it ({@link #adopt}). */
    static final double LAYOUT_2 = -2.0;
    /**
     * The escalation factor of the alarm ({@link AlarmGate}): while an alarm stands, a reading whose surprise
     * {@code -log10 p} ({@link #surprise}) exceeds this many times the event's peak surprise so far raises a new
     * alarm (the event got markedly worse: its tail probability is below the square of the worst one so far).
     * Chosen on SKAB, the demo, {@code anomaly-free.csv} and Gaussian noise together (the {@code detection}
     * command; docs/anomaly-detection.md, sixth round): every factor from 1.75 to 3 gives the same figures on all
     * four (the default learner 22 -> 26 of SKAB's 33 events in time at the same 1.05 false alarms per 1,000
     * normal readings: faults flagged from before their labelled onset that then got worse; no re-alarm on a normal
     * reading of any of the four); 1.5 gains one SKAB event more but re-alarms on a normal reading of the demo
     * (the plain RNN's row), 5 and 10 lose events. 2 is the round value inside that plateau, off its edges.
     */
    public static final double ESCALATION = 2.0;
    /**
     * The change test's window: while an alarm stands, the event's own level is an exponentially weighted mean of
     * the short mean with this window (set to the short mean when the alarm is raised and whenever the test fires),
     * so a fault that ramps over a few dozen readings inside a standing event stands out against it.
     */
    static final int CHANGE_WINDOW = 30;
    /**
     * The change test's threshold, in channel spreads: the test fires when a tested channel's short mean has moved
     * this many of its learned standard deviations {@code sqrt(U_cc)} further from the normal level than the event's
     * own level is, {@code (|xs_c - m_c| - |r_c - m_c|) / sqrt(U_cc)}. That is at most {@code |xs_c - r_c| /
     * sqrt(U_cc)}, whose null (readings as normal as the ones learned) is a normal of variance at most 1, so on
     * normal data it fires on at most {@code 2 P(Z > 5) = 5.7e-7} of the readings per channel tested, and only
     * while an alarm stands (never otherwise). Chosen on SKAB, the demo and {@code anomaly-free.csv}
     * (docs/anomaly-detection.md, seventh round): 4.5 to 5.5 give the same events; 4.5 re-alarms on more normal
     * readings.
     */
    static final double CHANGE_SPREADS = 5.0;
    /**
     * During the hold after an alarm (its first {@code quiet} readings), a channel whose event level is already this
     * many learned spreads from the normal level is part of what raised the alarm, and its short mean is still
     * catching up with the readings (after a step the 10-reading short mean needs about 30 readings to get within 1%
     * of the new level): its event level then follows its short mean exactly and it is not tested, so a step raises
     * one alarm, not a second one from its own ramp. A channel within this distance is tested from the start (a fault
     * in another channel right after an unrelated alarm: SKAB's valve1/12). 1 loses valve1/12, 3 re-alarms once more
     * on a normal reading (docs/anomaly-detection.md, seventh round).
     */
    static final double CHANGE_DISPLACED = 2.0;
    private static final int VERSION = 0;
    static final int COUNT = 1;
    private static final int RUN = 2;
    private static final int GATE = 3;
    static final int SEEN = 4;
    private static final int ERR_MEAN = 5;
    private static final int ERR_VAR = 6;
    private static final int ERR_COUNT = 7;
    static final int LEVEL_MEAN = 8;
    static final int LEVEL_VAR = 9;
    static final int LEVEL_COUNT = 10;
    static final int HEADER = 11;
    /**
     * The state's last doubles, after the per-channel values and the covariance: the current event's peak level
     * statistic, then the readings in a row it has been settled below the peak / {@value #RELEASE_RATIO}.
     */
    private static final int EVENT_SIZE = 2;
    /** After the event's doubles: the standing alarm's peak surprise (0 while the gate is open; {@link AlarmGate}). */
    private static final int ALARM_SIZE = 1;
    /**
     * After the alarm's peak (layout 5), per channel the change test's event level {@code r_c}, then the readings
     * since its hold began (the event's first alarm or the test's last firing): {@code D + 1} doubles.
     */
    private static final int CHANGE_EXTRA = 1;
    /** The readings-since count of an adopted state: its hold is over. */
    private static final double HELD = 1e9;
    /** Per channel: level m, short mean xs, error mean square, learned readings since the channel first varied. */
    static final int PER_CHANNEL = 4;
    /** The power that makes the level statistic close to normal. */
    static final double LEVEL_POWER = 0.25;
    /** Shrinkage of the level covariance towards its diagonal. */
    static final double SHRINKAGE = 0.1;
    /**
     * An event is over when its level statistic has stayed below its peak divided by this for {@code quiet}
     * readings in a row while still flagged: the offset it left is then taken as the new normal level.
     */
    static final double RELEASE_RATIO = 30.0;
    /** The level statistic (per tested channel) above which a learned reading's weight is cut to HUBER / L. */
    static final double HUBER = 3.0;
    /**
     * The channel test's tail probability below which a learned reading's weight is cut (the score 0.99 of the
     * channel test alone): {@link #channelHuberCorner}.
     */
    static final double CHANNEL_LEARN_P = 0.01;
    /**
     * Flagged readings in a row after which a standing event's surprise above the threshold has halved in the score
     * it emits ({@link #standing}). Chosen with the generated NAB-style corpus and SKAB together: 10 gains more on
     * the first (its swept NAB standard 34 -> 42) but costs SKAB's ROC AUC 0.001; 100 keeps SKAB's and gains less
     * (22); 30 keeps SKAB's (docs/anomaly-detection.md, "NAB-shaped labels on generated series").
     */
    static final double STANDING_AGE = 30.0;
    private static final double TINY = 1e-300;
    private static final double LOG_2 = Math.log(2.0);
    private static final double LOG_10 = Math.log(10.0);
    /** The smallest tail probability whose score is {@code 1 - p}; more surprising readings are ranked beyond it. */
    public static final double EXACT_P = 1e-12;
    /** {@code -log10} of {@link #EXACT_P}. */
    private static final double EXACT_SURPRISE = 12.0;
    private static final double WINSOR_SDS = 5.0;
    private static final double WINSOR_AFTER = 30;
    /**
     * Readings after the warm-up within which the level test gets ready (a channel is tested after 30 readings
     * of the reference, its fit counts after 30 more); the warm-up flag stays set until then, or until this
     * many if no channel varies.
     */
    private static final int LEVEL_READY = 90;

    private final DetectorConfig config;
    private final int channels;
    private final double alphaShort;
    private final double alphaLong;
    private final AlarmGate gate;
    private final ShrunkMahalanobis mahalanobis;
    private final int covOffset;
    private final int eventOffset;
    private final int alarmPeak;
    private final int changeOffset;
    private final double alphaChange;
    /**
     * Per count of tests {@code m} (2 or 3) and of tested channels {@code k}, the channel statistic above which a
     * learned reading's weight is cut ({@link #channelHuberCorner}).
     */
    private final double[][] channelHuber;

    public AnomalyDetector(DetectorConfig config, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.config = config;
        this.channels = channels;
        this.alphaShort = 2.0 / (config.shortWindow() + 1);
        this.alphaLong = 2.0 / (config.longWindow() + 1);
        this.gate = new AlarmGate(config.threshold(), config.quiet(), ESCALATION);
        this.mahalanobis = new ShrunkMahalanobis(channels, SHRINKAGE);
        this.covOffset = HEADER + PER_CHANNEL * channels;
        this.eventOffset = covOffset + ShrunkMahalanobis.packedSize(channels);
        this.alarmPeak = eventOffset + EVENT_SIZE;
        this.changeOffset = alarmPeak + ALARM_SIZE;
        this.alphaChange = 2.0 / (CHANGE_WINDOW + 1);
        this.channelHuber = new double[4][channels + 1];
        for (int tests = 2; tests <= 3; tests++) {
            for (int k = 2; k <= channels; k++) {
                channelHuber[tests][k] = channelHuberCorner(tests, k);
            }
        }
    }

    /** Doubles of state for {@code channels} channels: {@code 15 + 5 D + D (D + 1) / 2}. */
    public static int stateSize(int channels) {
        return HEADER + PER_CHANNEL * channels + ShrunkMahalanobis.packedSize(channels) + EVENT_SIZE + ALARM_SIZE
                + changeSize(channels);
    }

    /** The change test's doubles (layout 5): the event level per channel and the readings since its last alarm. */
    private static int changeSize(int channels) {
        return channels + CHANGE_EXTRA;
    }

    /**
     * Whether {@code state} is a state of this layout for {@code channels} channels (its length and its layout
     * mark); a state of an older layout (layout 1: {@code 7 + 7 D} doubles; layout 2: {@code D + 4} doubles fewer,
     * mark -2; layout 3: {@code D + 2} fewer, mark -3; layout 4: {@code D + 1} fewer, mark -4) is not ({@link #adopt}
     * takes layouts 2 to 4 over).
     */
    public static boolean isState(double[] state, int channels) {
        return state.length == stateSize(channels) && state[VERSION] == LAYOUT;
    }

    /**
     * A stored state as a state of this layout for {@code channels} channels: a copy of a state of this layout;
     * a state of layout 4 (this one without the change test's doubles, mark -4), of layout 3 (without the alarm's
     * peak surprise either, mark -3) or of layout 2 (without the event's two doubles either, mark -2) with what it
     * learned kept, its alarm standing or armed as it was, and (layout 2) no event under way; an alarm standing in a
     * layout 2 or 3 state has an unknown peak ({@link AlarmGate#UNKNOWN_PEAK}: that event raises no re-alarm on
     * escalation); the change test's event level starts at the short mean (where the readings sit now), with no
     * change alarm raised yet. Anything else (layout 1, another channel count) a fresh state, which warms up again.
     */
    public static double[] adopt(double[] stored, int channels) {
        if (isState(stored, channels)) {
            return stored.clone();
        }
        int size = stateSize(channels);
        int change = changeSize(channels);
        boolean layout4 = stored.length == size - change && stored[VERSION] == LAYOUT_4;
        boolean layout3 = stored.length == size - change - ALARM_SIZE && stored[VERSION] == LAYOUT_3;
        boolean layout2 = stored.length == size - change - ALARM_SIZE - EVENT_SIZE && stored[VERSION] == LAYOUT_2;
        if (layout4 || layout3 || layout2) {
            double[] state = java.util.Arrays.copyOf(stored, size);
            state[VERSION] = LAYOUT;
            if (!layout4) {
                state[size - change - ALARM_SIZE] = alarmActive(state) ? AlarmGate.UNKNOWN_PEAK : 0.0;
            }
            int level = size - change;
            for (int c = 0; c < channels; c++) {
                state[level + c] = state[HEADER + PER_CHANNEL * c + 1];
            }
            state[size - 1] = HELD;
            return state;
        }
        return initialState(channels);
    }

    /** A fresh state (all zeros, the gate open). */
    public double[] newState() {
        return initialState(channels);
    }

    /** A fresh state for {@code channels} channels: nothing learned, warming up, the alarm armed. */
    public static double[] initialState(int channels) {
        double[] state = new double[stateSize(channels)];
        state[VERSION] = LAYOUT;
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
        return (long) state[GATE] >= 0; // AlarmGate.OPEN and PENDING are open
    }

    /**
     * One reading's verdict.
     *
     * @param score         in [0, 1]; 0 while warming up
     * @param flagged       score at or above the threshold (after the warm-up)
     * @param alarm         an alarm is raised at this reading: the event's first (the score reached the threshold
     *                      while the alarm was armed) or a re-alarm (the event got markedly worse: its surprise
     *                      exceeded {@value #ESCALATION} times its peak so far, {@link AlarmGate})
     * @param warmingUp     the score is not meaningful yet
     * @param contributions per channel, its share of the more significant test's statistic (sums to 1 when
     *                      any share is positive; zeros while warming up): which channel is unusual
     * @param signals       what the alarm rule was told about this reading ({@link AlarmGate#SPIKE}, its score is
     *                      the error test's; {@link AlarmGate#CHANGE}, the change test fired), so that a score series
     *                      with its signals gives the same alarms through {@link AlarmGate#alarms(double[], int[])}
     */
    public record Result(double score, boolean flagged, boolean alarm, boolean warmingUp, double[] contributions,
                         int signals) {
    }

    /**
     * Takes in one reading and, if there was a forecast of it, its error.
     *
     * @param state   {@link #stateSize} doubles ({@link #isState}), updated in place
     * @param reading one finite value per channel
     * @param error   reading minus its forecast per channel, or null if there was no forecast
     */
    public Result update(double[] state, double[] reading, double[] error) {
        double seen = state[SEEN] + 1;
        state[SEEN] = seen;
        double n = state[COUNT];
        double shortWeight = Math.max(alphaShort, 1.0 / seen);
        double[] dev = new double[channels];
        boolean[] tested = new boolean[channels];
        double[] errorSq = new double[channels];
        double errorSum = 0;
        boolean haveError = error != null && state[ERR_COUNT] > 0;
        boolean haveLevel = n >= 2; // the level deviations have a covariance from the second learned reading on
        int testedCount = 0;
        for (int c = 0; c < channels; c++) {
            int b = HEADER + PER_CHANNEL * c;
            state[b + 1] = seen == 1 ? reading[c] : state[b + 1] + shortWeight * (reading[c] - state[b + 1]);
            dev[c] = state[b + 1] - state[b];
            // a channel is tested once it has varied in enough learned readings (a constant channel is not)
            tested[c] = haveLevel && state[b + 3] >= WINSOR_AFTER
                    && state[covOffset + ShrunkMahalanobis.packed(c, c)] > 0;
            testedCount += tested[c] ? 1 : 0;
            if (haveError) {
                errorSq[c] = state[b + 2] > 0 ? error[c] * error[c] / state[b + 2] : 0.0;
                errorSum += errorSq[c];
            }
        }
        double[] levelParts = new double[channels];
        double level = testedCount == 0 ? 0.0
                : finite(mahalanobis.distance(state, covOffset, dev, tested, levelParts) / testedCount);
        double levelFit = Math.pow(level, LEVEL_POWER);
        double err = Math.cbrt(finite(errorSum / channels));
        // warming up: the first warmup readings, then until the level test is fitted (at most LEVEL_READY more)
        boolean warm = n < config.warmup()
                || n < config.warmup() + LEVEL_READY && state[LEVEL_COUNT] < WINSOR_AFTER;
        double score = 0;
        double jointScore = 0;
        double channelStat = 0; // the largest tested channel's d_c^2 / U_cc, while the channel test counts
        double channelCorner = Double.POSITIVE_INFINITY;
        double[] contributions = new double[channels];
        boolean spike = false; // the score is the error test's
        if (!warm) {
            double zLevel = testedCount > 0 && state[LEVEL_COUNT] >= WINSOR_AFTER
                    ? (levelFit - state[LEVEL_MEAN]) / Math.sqrt(Math.max(state[LEVEL_VAR], TINY))
                    : Double.NEGATIVE_INFINITY;
            double z = zLevel;
            int tests = 1;
            double[] parts = levelParts;
            if (haveError) {
                double zError = (err - state[ERR_MEAN]) / Math.sqrt(Math.max(state[ERR_VAR], TINY));
                z = Math.max(zLevel, zError);
                tests = 2;
                parts = zError > zLevel ? errorSq : levelParts;
            }
            double[] channelParts = new double[channels];
            double logChannel = 0.0;
            if (testedCount >= 2) {
                for (int c = 0; c < channels; c++) {
                    if (tested[c]) {
                        double variance = state[covOffset + ShrunkMahalanobis.packed(c, c)];
                        channelParts[c] = finite(dev[c] * dev[c] / variance);
                        channelStat = Math.max(channelStat, channelParts[c]);
                    }
                }
                logChannel = sidakLogTail(LOG_2 + logUpperTail(Math.sqrt(channelStat)), testedCount);
                tests++;
                channelCorner = channelHuber[tests][testedCount];
            }
            jointScore = score(z, tests);
            if (logChannel < 0 && logChannel < logUpperTail(z)) {
                share(channelParts, contributions);
                score = scoreOfTail(logChannel, tests);
            } else {
                share(parts, contributions);
                score = jointScore;
                spike = parts == errorSq;
            }
        }
        boolean flagged = !warm && score >= config.threshold();
        state[RUN] = flagged ? state[RUN] + 1 : 0;
        if (flagged && testedCount > 0) {
            endOfEvent(state, level);
        } else {
            state[eventOffset] = 0;
            state[eventOffset + 1] = 0;
        }
        // a reading flagged by the channel test alone is learned
        boolean held = !warm && jointScore >= config.threshold();
        boolean learn = !held || !config.quarantine() || state[RUN] > config.holdLimit();
        if (learn) {
            double weight = testedCount > 0 && state[LEVEL_COUNT] >= WINSOR_AFTER && level > HUBER
                    ? HUBER / level : 1.0;
            if (channelStat > channelCorner) { // only while the channel test counts
                weight = Math.min(weight, channelCorner / channelStat);
            }
            learn(state, reading, error, dev, weight, testedCount > 0 ? levelFit : Double.NaN, err, haveError);
        }
        boolean alarm = false;
        int signals = 0;
        if (!warm) {
            boolean alarmStands = alarmActive(state);
            signals = (spike ? AlarmGate.SPIKE : 0) | (alarmStands && changedAgain(state, tested) ? AlarmGate.CHANGE : 0);
            score = standing(score, config.threshold(), state[alarmPeak], state[RUN]);
            AlarmGate.Step step = gate.next((long) state[GATE], state[alarmPeak], score, signals);
            alarm = step.alarm();
            state[GATE] = step.state();
            state[alarmPeak] = step.peak();
            if (alarm && !alarmStands) { // an event's first alarm: its own level starts where the readings are
                startEventLevel(state);
            }
        }
        return new Result(score, flagged, alarm, warm, contributions, signals);
    }

    /**
     * The change test, while an alarm stands: whether the readings changed again, away from the normal level,
     * against the level they held during the event. Per tested channel {@code a_c = (|xs_c - m_c| - |r_c - m_c|) /
     * sqrt(U_cc)}: how many of its learned spreads the short mean {@code xs} now lies further from the normal level
     * {@code m} than the event's own level {@code r} does (a return towards normal, as at a fault's end, is
     * negative). It fires (signals {@link AlarmGate#CHANGE}: a new alarm) when the largest exceeds
     * {@value #CHANGE_SPREADS}; {@code r} then jumps to {@code xs} (the new level is the event's now) and a hold of
     * {@code quiet} readings begins, as at the event's first alarm. During a hold a channel whose event level is more
     * than {@value #CHANGE_DISPLACED} spreads from normal is not tested and its {@code r} follows its {@code xs}
     * exactly (its short mean is still catching up with the step that raised the alarm); otherwise {@code r} follows
     * {@code xs} with the window {@value #CHANGE_WINDOW}. Reads the state after learning.
     */
    private boolean changedAgain(double[] state, boolean[] tested) {
        int level = changeOffset;
        int since = changeOffset + channels;
        state[since] += 1;
        boolean hold = state[since] <= config.quiet();
        boolean[] follows = new boolean[channels];
        double largest = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < channels; c++) {
            int b = HEADER + PER_CHANNEL * c;
            double spread = Math.sqrt(state[covOffset + ShrunkMahalanobis.packed(c, c)]);
            follows[c] = hold && Math.abs(state[level + c] - state[b]) / spread > CHANGE_DISPLACED;
            if (tested[c] && !follows[c]) {
                double further = (Math.abs(state[b + 1] - state[b]) - Math.abs(state[level + c] - state[b])) / spread;
                largest = Math.max(largest, further);
            }
        }
        boolean fired = largest > CHANGE_SPREADS;
        if (fired) {
            state[since] = 0;
        }
        for (int c = 0; c < channels; c++) {
            double xs = state[HEADER + PER_CHANNEL * c + 1];
            state[level + c] = fired || follows[c] ? xs : state[level + c] + alphaChange * (xs - state[level + c]);
        }
        return fired;
    }

    /** The change test's event level at an event's first alarm: the short mean, and its hold begins. */
    private void startEventLevel(double[] state) {
        for (int c = 0; c < channels; c++) {
            state[changeOffset + c] = state[HEADER + PER_CHANNEL * c + 1];
        }
        state[changeOffset + channels] = 0;
    }

    /**
     * The score a reading emits once it stands in an event: a reading at or above {@code threshold} whose surprise
     * {@code s} ({@link #surprise}) is no new peak of the standing alarm ({@code s <= peak}; {@code peak} is 0 while
     * the alarm is armed, so an event's first reading is never one) and that is the {@code age}-th flagged reading
     * in a row (the quarantine's count; 0 right after an event ended) emits the surprise {@code b + (s - b) / (1 +
     * age / }{@value #STANDING_AGE}{@code )}, {@code b} the threshold's surprise: its surprise above the threshold
     * is halved at the {@value #STANDING_AGE}th reading, cut to a third at twice that. Every other score is returned as it is.
     * What this leaves unchanged, by construction: every score below the threshold, whether a reading is at or
     * above it (never below it: the result is at least {@code threshold}), and every new peak, hence the alarms
     * and re-alarms of {@link AlarmGate} (the peak it keeps is the same, and a re-alarm needs a new peak); the
     * verdict {@code flagged}, quarantine and learning never see this score. What it changes: the order above the
     * threshold, where a standing event's later readings now rank below the onsets of other events (NAB's
     * swept threshold counts each reading above it outside a window as a false positive: a quarantined level
     * shift held 6,500 of them on the generated NAB-style corpus; docs/anomaly-detection.md, "NAB-shaped labels
     * on generated series").
     */
    static double standing(double score, double threshold, double peak, double age) {
        if (!(score >= threshold)) {
            return score;
        }
        double s = surprise(score);
        if (s > peak) {
            return score;
        }
        double b = surprise(threshold);
        return Math.max(threshold, scoreOfSurprise(b + (s - b) / (1.0 + age / STANDING_AGE)));
    }

    /**
     * The score of a surprise {@code s = -log10 p} (the inverse of {@link #surprise}): {@code 1 - 10^-s} up to
     * {@value #EXACT_SURPRISE}, ranked beyond it as {@link #score(double, int)} ranks.
     */
    static double scoreOfSurprise(double s) {
        if (s <= EXACT_SURPRISE) {
            return 1.0 - Math.pow(10.0, -s);
        }
        return beyondExact(-s * LOG_10);
    }

    /**
     * Recognises the end of an event whose offset stays (a fault after which the sensor settles at another
     * level, as most of SKAB's runs do): while readings are flagged, the event's peak level statistic is kept;
     * once the statistic has been below the peak / {@value #RELEASE_RATIO} for {@code quiet} readings in a row
     * (the readings moved most of the way back and settled), the normal level is set to the short mean (the
     * covariance and fits are kept) and the flagged run ends, so the readings after it are judged against where
     * the sensor now sits instead of staying flagged until {@code holdLimit}. A lasting fault that does not
     * move back stays flagged; a short event whose readings return below the threshold never gets here.
     */
    private void endOfEvent(double[] state, double level) {
        int peak = eventOffset;
        int settled = eventOffset + 1;
        state[peak] = Math.max(state[peak], level);
        state[settled] = level < state[peak] / RELEASE_RATIO ? state[settled] + 1 : 0;
        if (state[settled] >= config.quiet()) {
            for (int c = 0; c < channels; c++) {
                int b = HEADER + PER_CHANNEL * c;
                state[b] = state[b + 1];
            }
            state[peak] = 0;
            state[settled] = 0;
            state[RUN] = 0;
        }
    }

    /**
     * Learns a normal reading: the level (weight {@code max(2 / (long + 1), 1 / n)}) and the level covariance
     * (per entry, the same with {@code n} the readings since the later of its two channels first varied), both
     * times the Huber weight {@code weight}; the level statistic's fit (NaN: no channel tested); the error
     * mean squares and the error statistic's fit.
     */
    private void learn(double[] state, double[] reading, double[] error, double[] dev, double weight,
                       double levelFit, double err, boolean haveError) {
        double n = state[COUNT] + 1;
        state[COUNT] = n;
        double nl = n - config.warmup(); // readings learned into the level reference, which starts after the warm-up
        if (nl <= 1) {
            for (int c = 0; c < channels; c++) { // during the warm-up the level follows the readings' running mean
                int b = HEADER + PER_CHANNEL * c;
                state[b] += (nl == 1 ? 1.0 : 1.0 / n) * (reading[c] - state[b]);
            }
        } else {
            double w = weight * Math.max(alphaLong, 1.0 / nl);
            for (int c = 0; c < channels; c++) {
                int b = HEADER + PER_CHANNEL * c;
                if (state[b + 3] > 0 || dev[c] != 0) {
                    state[b + 3] += 1; // the channel has varied
                }
            }
            for (int i = 0; i < channels; i++) {
                double vi = state[HEADER + PER_CHANNEL * i + 3];
                for (int j = 0; j <= i && vi > 0; j++) {
                    double vj = state[HEADER + PER_CHANNEL * j + 3];
                    if (vj > 0) {
                        int k = covOffset + ShrunkMahalanobis.packed(i, j);
                        double wij = weight * Math.max(alphaLong, 1.0 / Math.min(vi, vj));
                        state[k] += wij * (dev[i] * dev[j] - state[k]);
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                int b = HEADER + PER_CHANNEL * c;
                state[b] += w * (reading[c] - state[b]);
            }
        }
        if (!Double.isNaN(levelFit)) {
            double fitted = state[LEVEL_COUNT] + 1;
            state[LEVEL_COUNT] = fitted;
            double wf = Math.max(alphaLong, 1.0 / fitted);
            double d = winsorised(levelFit, state[LEVEL_MEAN], state[LEVEL_VAR], fitted - 1) - state[LEVEL_MEAN];
            state[LEVEL_MEAN] += wf * d;
            state[LEVEL_VAR] = (1 - wf) * (state[LEVEL_VAR] + wf * d * d);
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
                state[b + 2] += we * (error[c] * error[c] - state[b + 2]);
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

    /**
     * The channel statistic {@code z^2 = max_c d_c^2 / U_cc} at which the channel test alone scores 0.99: its
     * Sidak-corrected tail over {@code k} tested channels, times the {@code tests} of the score (Bonferroni),
     * equals {@value #CHANNEL_LEARN_P}, so {@code 2 P(Z > z) = 1 - (1 - }{@value #CHANNEL_LEARN_P}{@code  /
     * tests)^(1/k)} (by bisection on {@link #logUpperTail}). A learned reading beyond it gets the weight
     * {@code z^2_corner / z^2}: it adds at most {@code z^2_corner} times a channel's variance to that channel's
     * learned variance (Huber's weight on the squared deviation: P. J. Huber, "Robust estimation of a location
     * parameter", Ann. Math. Statist. 35, 1964), so a step in one channel that the joint test does not flag is
     * not absorbed into its variance within a few dozen readings. {@code tests = 3, k = 8}: 12.45; {@code tests =
     * 2, k = 2}: 9.14.
     */
    static double channelHuberCorner(int tests, int k) {
        double logP1 = Math.log(-Math.expm1(Math.log1p(-CHANNEL_LEARN_P / tests) / k));
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 100; i++) {
            double mid = 0.5 * (lo + hi);
            if (LOG_2 + logUpperTail(mid) > logP1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo * lo;
    }

    /** Each positive part's share of the positive parts' sum (all zeros when none is positive). */
    private static void share(double[] parts, double[] out) {
        double sum = 0;
        for (double part : parts) {
            sum += Math.max(0.0, part);
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            return;
        }
        for (int c = 0; c < parts.length; c++) {
            out[c] = Math.max(0.0, parts[c]) / sum;
        }
    }

    private static double finite(double v) {
        return v <= Double.MAX_VALUE ? v : Double.MAX_VALUE;
    }

    /** {@code P(Z > z)} for a standard normal {@code Z}. */
    static double upperTail(double z) {
        return 0.5 * io.rnnstreams.eval.AnomalyScore.erfc(z / Math.sqrt(2.0));
    }

    /** {@code ln P(Z > z)} for a standard normal {@code Z}, finite for every finite {@code z}. */
    static double logUpperTail(double z) {
        return -LOG_2 + io.rnnstreams.eval.AnomalyScore.logErfc(z / Math.sqrt(2.0));
    }

    /**
     * {@code ln} of Sidak's correction of the smallest of {@code k} p-values, {@code ln(1 - (1 - p)^k)} for
     * {@code ln p = logTail <= 0}: the exact chance that at least one of {@code k} independent tests is as
     * surprising as the most surprising one (Bonferroni's {@code k p} is its upper bound; the two agree for small
     * {@code p}). Computed as {@code ln k + logTail} once {@code p < e^-30}, where the two agree to about
     * {@code k e^-30} relatively, so it stays finite where {@code p} underflows; 0 (a p-value of 1) for
     * {@code logTail >= 0}.
     */
    static double sidakLogTail(double logTail, int k) {
        if (logTail < -30) {
            return Math.log(k) + logTail;
        }
        if (!(logTail < 0)) {
            return 0.0;
        }
        return Math.log(-Math.expm1(k * Math.log1p(-Math.exp(logTail))));
    }

    /**
     * The score of the most significant of {@code tests} normal statistics, {@code z} the largest (negative
     * infinity: none): {@code 1 - p} for the Bonferroni-corrected tail probability {@code p = min(1, tests P(Z >
     * z))} while {@code p >=} {@value #EXACT_P} (so a threshold up to {@code 1 - }{@value #EXACT_P} is crossed
     * with probability {@code 1 - threshold} on normal data), and beyond it {@code 1 - EXACT_P / (1 + ln(s /
     * 12))} with {@code s = -log10 p} computed in the log domain: still increasing in the surprise, continuous at
     * {@code p = EXACT_P}, spread over the about 9,000 doubles between {@code 1 - EXACT_P} and 1 without reaching
     * 1. ({@code 1 - p} alone is exactly 1 in double precision for every {@code p < 1.1e-16}, and readings that
     * surprising could not be ranked.)
     */
    static double score(double z, int tests) {
        double p = Math.min(1.0, tests * upperTail(z));
        if (p >= EXACT_P) {
            return 1.0 - p;
        }
        return beyondExact(Math.log(tests) + logUpperTail(z));
    }

    /**
     * {@link #score(double, int)} of the most significant of {@code tests} tests given by {@code ln} of its tail
     * probability, {@code logTail <= 0}: {@code 1 - min(1, tests e^logTail)} while that probability is at least
     * {@value #EXACT_P}, and beyond it ranked as {@link #score(double, int)} ranks.
     */
    static double scoreOfTail(double logTail, int tests) {
        double p = Math.min(1.0, tests * Math.exp(logTail));
        if (p >= EXACT_P) {
            return 1.0 - p;
        }
        return beyondExact(Math.log(tests) + logTail);
    }

    /**
     * The surprise of a score, {@code -log10 p} for its tail probability {@code p}: the inverse of
     * {@link #score(double, int)} for a Bonferroni-corrected {@code p}, so {@code -log10(1 - score)} while
     * {@code 1 - score >=} {@value #EXACT_P} and beyond it {@code 12 exp(EXACT_P / (1 - score) - 1)} (infinite
     * for a score of 1). 0 for a score of 0 or less (and NaN). What {@link AlarmGate}'s escalation compares.
     */
    public static double surprise(double score) {
        if (!(score > 0)) {
            return 0.0;
        }
        double p = 1.0 - score;
        if (p >= EXACT_P) {
            return -Math.log10(p);
        }
        return p > 0 ? EXACT_SURPRISE * Math.exp(EXACT_P / p - 1.0) : Double.POSITIVE_INFINITY;
    }

    /**
     * The score beyond {@link #EXACT_P} from {@code ln p}: {@code 1 - EXACT_P / (1 + ln(s / 12))},
     * {@code s = -log10 p}.
     */
    private static double beyondExact(double logP) {
        double surprise = -logP / LOG_10;
        return 1.0 - EXACT_P / (1.0 + Math.log(surprise / EXACT_SURPRISE));
    }

    public DetectorConfig config() {
        return config;
    }
}
