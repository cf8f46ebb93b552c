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
 * again</b>: while the alarm stands, the change test ({@link ChangeTest}) fires when a channel's short mean
 * moves {@value ChangeTest#SPREADS} of its learned spreads further from the normal level than the level the readings
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
 * readings</b> are ranked as the event, not only as their own tail probability ({@link StandingTail}): a flagged
 * reading that is no new peak of its event has its surprise above the threshold divided by {@code 1 + age /
 * }{@value StandingTail#AGE}, so an event's onset and its worsenings rank above its long tail; a reading below the
 * threshold while the alarm stands is lifted, in order, into the band of surprises {@code [}{@value
 * StandingTail#LULL_TOP}{@code  - }{@value StandingTail#LULL}{@code , }{@value StandingTail#LULL_TOP}{@code )} (scores
 * 0.984 to 0.99) when it is below it, so an event's lulls rank above normal readings. No score crosses the
 * threshold, so no verdict and no alarm changes, and no score crosses 0.99, 0.999 or 0.9999 (the calibration).
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
 * layout 5 after it the change test's event level per channel and the readings since its hold began: {@link
 * ChangeTest}'s slots), kept by the caller per key; its first double marks the layout ({@link #isState}).
 * Deterministic. One instance serves every key but only one thread at a time (scratch arrays: {@link Work} and
 * {@link ShrunkMahalanobis}'s); the stream keeps one per stream task, the smoother one per instance, the
 * {@code detection} command one per scored run.
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
     * After the alarm's peak (layout 5): the change test's {@link ChangeTest#size} doubles, per channel its event level
     * {@code r_c}, then the readings since its hold began.
     */
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
    private final ChangeTest change;
    /** One reading's working values (scratch: see {@link Work}). */
    private final Work work;
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
        this.change = new ChangeTest(channels, config.quiet(), covOffset, alarmPeak + ALARM_SIZE);
        this.work = new Work(channels);
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
                + ChangeTest.size(channels);
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
        int change = ChangeTest.size(channels);
        boolean layout4 = stored.length == size - change && stored[VERSION] == LAYOUT_4;
        boolean layout3 = stored.length == size - change - ALARM_SIZE && stored[VERSION] == LAYOUT_3;
        boolean layout2 = stored.length == size - change - ALARM_SIZE - EVENT_SIZE && stored[VERSION] == LAYOUT_2;
        if (layout4 || layout3 || layout2) {
            double[] state = java.util.Arrays.copyOf(stored, size);
            state[VERSION] = LAYOUT;
            if (!layout4) {
                state[size - change - ALARM_SIZE] = alarmActive(state) ? AlarmGate.UNKNOWN_PEAK : 0.0;
            }
            ChangeTest.adopt(state, channels, size - change);
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
     * @param score         in [0, 1]; 0 while warming up: what the reading emits ({@code Prediction.anomalyScore}),
     *                      ranked as its standing event is ({@link StandingTail}) while an alarm stands
     * @param evidence      in [0, 1]; 0 while warming up: the reading's own calibrated score, {@code 1 - p} for its
     *                      Bonferroni-corrected tail probability {@code p} (ranked beyond {@link #EXACT_P} as
     *                      {@link #score(double, int)} ranks), before the standing event's ranking: {@code score}
     *                      without {@link StandingTail}'s tail and lull. Equal to {@code score} while no alarm stands
     *                      and at every new peak of a standing event; on the same side of the threshold as
     *                      {@code score} always; above the threshold at least {@code score}, below it at most
     *                      {@code score}. What a test that reads the scores as tail probabilities takes (the lagged
     *                      verdict of issue 14: {@link LaggedVerdict}), since the emitted score's tail and lull are a
     *                      ranking for display, not a probability
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
    public record Result(double score, double evidence, boolean flagged, boolean alarm, boolean warmingUp,
                         double[] contributions, int signals) {
    }

    /**
     * Takes in one reading and, if there was a forecast of it, its error. The steps: the short means and their
     * deviations from the normal level ({@link #measure}); the score, its contributions and whether the error test
     * gave it ({@link #score}); the flagged run and the end of an event that leaves an offset ({@link #endOfEvent});
     * quarantine and learning ({@link #learn}); then, after the warm-up, the alarm: the change test while an alarm
     * stands ({@link ChangeTest}), the standing event's tail ({@link StandingTail}) and the gate ({@link AlarmGate}).
     *
     * @param state   {@link #stateSize} doubles ({@link #isState}), updated in place
     * @param reading one finite value per channel
     * @param error   reading minus its forecast per channel, or null if there was no forecast
     */
    public Result update(double[] state, double[] reading, double[] error) {
        Work w = work;
        boolean warm = warmingUp(state);
        measure(state, reading, error, w);
        double[] contributions = new double[channels];
        if (warm) {
            w.unscored();
        } else {
            score(state, w, contributions);
        }
        boolean flagged = !warm && w.score >= config.threshold();
        state[RUN] = flagged ? state[RUN] + 1 : 0;
        if (flagged && w.testedCount > 0) {
            endOfEvent(state, w.level);
        } else {
            state[eventOffset] = 0;
            state[eventOffset + 1] = 0;
        }
        if (learns(state, warm, w.jointScore)) {
            learn(state, reading, error, w.dev, learningWeight(state, w), w.testedCount > 0 ? w.levelFit : Double.NaN,
                    w.err, w.haveError);
        }
        if (warm) {
            return new Result(0.0, 0.0, false, false, true, contributions, 0);
        }
        boolean alarmStands = alarmActive(state);
        int signals = (w.spike ? AlarmGate.SPIKE : 0)
                | (alarmStands && change.changedAgain(state, w.tested) ? AlarmGate.CHANGE : 0);
        double score = StandingTail.score(w.score, config.threshold(), state[alarmPeak], state[RUN], alarmStands);
        AlarmGate.Step step = gate.next((long) state[GATE], state[alarmPeak], score, signals);
        state[GATE] = step.state();
        state[alarmPeak] = step.peak();
        if (step.alarm() && !alarmStands) { // an event's first alarm: its own level starts where the readings are
            change.start(state);
        }
        return new Result(score, w.score, flagged, step.alarm(), false, contributions, signals);
    }

    /**
     * Whether the score is not meaningful yet: the first {@code warmup} learned readings, then until the level test
     * is fitted (at most {@value #LEVEL_READY} readings more). Read before the reading is learned.
     */
    private boolean warmingUp(double[] state) {
        double n = state[COUNT];
        return n < config.warmup() || n < config.warmup() + LEVEL_READY && state[LEVEL_COUNT] < WINSOR_AFTER;
    }

    /**
     * The reading's statistics into {@code w}: the short means move to the reading (in the state) and their
     * deviations {@code d = xs - m} from the normal level; the channels the level test uses (a channel is tested once
     * it has varied in enough learned readings: a constant channel is not); the level statistic {@code L} with each
     * channel's part, and its power {@code L^}{@value #LEVEL_POWER}; the error's squares in units of each channel's
     * error mean square and their mean's cube root (0 without an error test).
     */
    private void measure(double[] state, double[] reading, double[] error, Work w) {
        double seen = state[SEEN] + 1;
        state[SEEN] = seen;
        double shortWeight = Math.max(alphaShort, 1.0 / seen);
        boolean haveLevel = state[COUNT] >= 2; // the deviations have a covariance from the second learned reading on
        w.haveError = error != null && state[ERR_COUNT] > 0;
        double errorSum = 0;
        int testedCount = 0;
        for (int c = 0; c < channels; c++) {
            int b = HEADER + PER_CHANNEL * c;
            state[b + 1] = seen == 1 ? reading[c] : state[b + 1] + shortWeight * (reading[c] - state[b + 1]);
            w.dev[c] = state[b + 1] - state[b];
            w.tested[c] = haveLevel && state[b + 3] >= WINSOR_AFTER
                    && state[covOffset + ShrunkMahalanobis.packed(c, c)] > 0;
            testedCount += w.tested[c] ? 1 : 0;
            w.errorSq[c] = 0.0;
            if (w.haveError) {
                w.errorSq[c] = state[b + 2] > 0 ? error[c] * error[c] / state[b + 2] : 0.0;
                errorSum += w.errorSq[c];
            }
        }
        w.testedCount = testedCount;
        if (testedCount == 0) {
            java.util.Arrays.fill(w.levelParts, 0.0);
            w.level = 0.0;
        } else {
            w.level = finite(mahalanobis.distance(state, covOffset, w.dev, w.tested, w.levelParts) / testedCount);
        }
        w.levelFit = Math.pow(w.level, LEVEL_POWER);
        w.err = Math.cbrt(finite(errorSum / channels));
    }

    /**
     * The score of a measured reading after the warm-up into {@code w} (the most significant of the error, level and
     * channel tests, Bonferroni over the tests that count; class comment), the joint score of the error and level
     * tests alone (what quarantine reads), the channel statistic and its Huber corner while the channel test counts,
     * and whether the score is the error test's; each channel's share of the winning test's statistic into
     * {@code contributions}.
     */
    private void score(double[] state, Work w, double[] contributions) {
        double zLevel = w.testedCount > 0 && state[LEVEL_COUNT] >= WINSOR_AFTER
                ? (w.levelFit - state[LEVEL_MEAN]) / Math.sqrt(Math.max(state[LEVEL_VAR], TINY))
                : Double.NEGATIVE_INFINITY;
        double z = zLevel;
        int tests = 1;
        double[] parts = w.levelParts;
        if (w.haveError) {
            double zError = (w.err - state[ERR_MEAN]) / Math.sqrt(Math.max(state[ERR_VAR], TINY));
            z = Math.max(zLevel, zError);
            tests = 2;
            parts = zError > zLevel ? w.errorSq : w.levelParts;
        }
        double logChannel = 0.0;
        w.channelStat = 0;
        w.channelCorner = Double.POSITIVE_INFINITY;
        if (w.testedCount >= 2) {
            for (int c = 0; c < channels; c++) {
                w.channelParts[c] = 0.0;
                if (w.tested[c]) {
                    double variance = state[covOffset + ShrunkMahalanobis.packed(c, c)];
                    w.channelParts[c] = finite(w.dev[c] * w.dev[c] / variance);
                    w.channelStat = Math.max(w.channelStat, w.channelParts[c]);
                }
            }
            logChannel = sidakLogTail(LOG_2 + logUpperTail(Math.sqrt(w.channelStat)), w.testedCount);
            tests++;
            w.channelCorner = channelHuber[tests][w.testedCount];
        }
        w.jointScore = score(z, tests);
        if (logChannel < 0 && logChannel < logUpperTail(z)) {
            share(w.channelParts, contributions);
            w.score = scoreOfTail(logChannel, tests);
            w.spike = false;
        } else {
            share(parts, contributions);
            w.score = w.jointScore;
            w.spike = parts == w.errorSq;
        }
    }

    /**
     * Whether the reading is learned: unless the error and level tests flag it (their joint score at or above the
     * threshold; a reading flagged by the channel test alone is learned) while {@code quarantine} is on, and anyway
     * once more than {@code holdLimit} readings in a row were flagged (a new normal). Read after the flagged run.
     */
    private boolean learns(double[] state, boolean warm, double jointScore) {
        boolean held = !warm && jointScore >= config.threshold();
        return !held || !config.quarantine() || state[RUN] > config.holdLimit();
    }

    /**
     * A learned reading's weight: the Huber weight {@code min(1, }{@value #HUBER}{@code  / L)} once the level test is
     * fitted, and while the channel test counts at most {@code c / z^2} beyond its corner {@code c}
     * ({@link #channelHuberCorner}).
     */
    private double learningWeight(double[] state, Work w) {
        double weight = w.testedCount > 0 && state[LEVEL_COUNT] >= WINSOR_AFTER && w.level > HUBER
                ? HUBER / w.level : 1.0;
        if (w.channelStat > w.channelCorner) { // only while the channel test counts
            weight = Math.min(weight, w.channelCorner / w.channelStat);
        }
        return weight;
    }

    /**
     * One reading's working values between the steps of {@link #update}: scratch reused from reading to reading (the
     * detector is confined to one thread: one per stream task, per smoother or per scored run), never part of a
     * key's state; every value is written by {@link #measure} or {@link #score} (or {@link #unscored}) before it is
     * read.
     */
    private static final class Work {
        /** Per channel: the short mean's deviation from the normal level. */
        final double[] dev;
        /** Per channel: whether the level test uses it. */
        final boolean[] tested;
        /** Per channel: the squared error in units of its error mean square (0 without an error test). */
        final double[] errorSq;
        /** Per channel: its part of the level statistic. */
        final double[] levelParts;
        /** Per channel: its squared deviation in units of its variance (channel test; 0 untested). */
        final double[] channelParts;
        int testedCount;
        boolean haveError;
        /** The level statistic per tested channel {@code L}, and {@code L^LEVEL_POWER}. */
        double level;
        double levelFit;
        /** The cube root of the mean squared error in error-RMS units. */
        double err;
        double score;
        /** The score of the error and level tests alone. */
        double jointScore;
        /** The largest tested channel's {@code d_c^2 / U_cc} while the channel test counts, else 0. */
        double channelStat;
        /** Its Huber corner while the channel test counts, else infinite. */
        double channelCorner;
        /** Whether the score is the error test's. */
        boolean spike;

        Work(int channels) {
            dev = new double[channels];
            tested = new boolean[channels];
            errorSq = new double[channels];
            levelParts = new double[channels];
            channelParts = new double[channels];
        }

        /** The scores while warming up: 0, no channel test. */
        void unscored() {
            score = 0;
            jointScore = 0;
            channelStat = 0;
            channelCorner = Double.POSITIVE_INFINITY;
            spike = false;
        }
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
