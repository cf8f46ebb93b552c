package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LaggedVerdict} is its four parts composed: per reading, the {@link LaggedScore}, the {@link LaggedSignals}
 * (after that score's update), the {@link LaggedOnset#dated} score, and {@link AlarmGate} over the undated score with
 * those signals, each fed as on its own, bit for bit (its evidence, before the ranking); its state is the lagged
 * score's followed by the rest. Its scores are those ranked by their standing events ({@link StandingTail}), which
 * moves no flag and no alarm, and the dated score's readings flagged for their successors only at the threshold
 * itself, which moves no flag and no alarm of the verdict's own (a gate over the returned dated scores may differ).
 */
class LaggedVerdictTest {
    private static final int L = 3;
    private static final double THRESHOLD = 0.9999;
    private static final int QUIET = 4;

    /** Online scores with build-ups, changes and lone and confirmed spikes, and their signals. */
    private static double[] online(int n, long seed, int[] signals) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] scores = new double[n];
        for (int t = 0; t < n; t++) {
            double u = random.nextDouble();
            scores[t] = u < 0.08 ? 1 - Math.pow(10, -5 - 6 * random.nextDouble()) // flagged, surprise 5..11
                    : u < 0.25 ? 1 - Math.exp(-3) // building up
                    : random.nextDouble();
            signals[t] = scores[t] >= THRESHOLD && random.nextDouble() < 0.5 ? AlarmGate.SPIKE
                    : random.nextDouble() < 0.05 ? AlarmGate.CHANGE : 0;
        }
        return scores;
    }

    @Test
    void itIsItsPartsComposedBitForBit() {
        int n = 2_000;
        int[] onlineSignals = new int[n];
        double[] online = online(n, 7, onlineSignals);
        AlarmGate gate = new AlarmGate(THRESHOLD, QUIET, AnomalyDetector.ESCALATION);
        LaggedVerdict verdict = new LaggedVerdict(L, gate);
        double[] state = verdict.newState();
        assertEquals(LaggedVerdict.stateSize(L), state.length);

        LaggedScore score = new LaggedScore(L);
        LaggedSignals signals = new LaggedSignals(L, THRESHOLD);
        LaggedOnset onset = new LaggedOnset(L, THRESHOLD);
        double[] scoreState = score.newState();
        double[] signalState = signals.newState();
        double[] onsetState = onset.newState();
        double[] scores = new double[n];
        int[] laggedSignals = new int[n];
        boolean[] alarms = new boolean[n];
        int dated = 0;
        for (int t = 0; t < n; t++) {
            LaggedVerdict.Result r = verdict.update(state, online[t], onlineSignals[t]);
            double expected = score.update(scoreState, online[t]);
            int expectedSignals = signals.update(signalState, online[t], onlineSignals[t], score, scoreState);
            double expectedDated = LaggedOnset.dated(expected, onset.update(onsetState, online[t], onlineSignals[t]));
            assertEquals(expected, r.evidence(), 0.0, "score at " + t);
            assertEquals(expectedDated, r.datedEvidence(), 0.0, "dated at " + t);
            assertEquals(expectedSignals, r.signals(), "signals at " + t);
            scores[t] = r.evidence();
            laggedSignals[t] = r.signals();
            alarms[t] = r.alarm();
            dated += r.datedEvidence() > r.evidence() ? 1 : 0;
        }
        assertArrayEquals(gate.alarms(scores, laggedSignals), alarms,
                "the alarms are the gate's over the undated score");
        long count = 0;
        for (boolean a : alarms) {
            count += a ? 1 : 0;
        }
        assertTrue(count > 10 && dated > 10, count + " alarms, " + dated + " readings dated: too few to compare");
        assertTrue(Arrays.stream(laggedSignals).anyMatch(s -> s == AlarmGate.SPIKE), "no lone spike");
    }

    /**
     * A state of the lagged score's doubles alone (written before the rest) continues the lagged score bit for bit
     * and starts the rest afresh: its verdicts equal those of a full state whose signals, dating and gate were reset.
     */
    @Test
    void aStateOfTheLaggedScoreAloneKeepsItAndStartsTheRestAfresh() {
        int n = 400;
        int[] onlineSignals = new int[n];
        double[] online = online(n, 11, onlineSignals);
        LaggedVerdict verdict = LaggedVerdict.of(L, DetectorConfig.DEFAULTS.withThreshold(THRESHOLD));
        double[] state = verdict.newState();
        for (int t = 0; t < n / 2; t++) {
            verdict.update(state, online[t], onlineSignals[t]);
        }
        double[] prefix = Arrays.copyOf(state, LaggedScore.stateSize(L));
        double[] read = verdict.readPrefix(prefix);
        double[] reset = verdict.newState();
        System.arraycopy(prefix, 0, reset, 0, prefix.length);
        assertArrayEquals(reset, read, 0.0);
        assertArrayEquals(state, verdict.readPrefix(state), 0.0, "a whole state is read as it is");
        for (int t = n / 2; t < n; t++) {
            LaggedVerdict.Result whole = verdict.update(state, online[t], onlineSignals[t]);
            LaggedVerdict.Result afresh = verdict.update(read, online[t], onlineSignals[t]);
            assertEquals(whole.evidence(), afresh.evidence(), 0.0, "the lagged score continues at " + t);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> verdict.readPrefix(new double[prefix.length + 1]));
        assertThrows(IllegalArgumentException.class,
                () -> verdict.readPrefix(new double[LaggedVerdict.stateSize(L) - 1]));
        assertTrue(e.getMessage().contains(LaggedVerdict.stateSize(L) + " doubles"), e.getMessage());
    }

    /**
     * A state written before the ranking ({@code 3L + 11} doubles: branches lag14f, lag14g) continues the whole
     * verdict bit for bit (evidence, dated evidence, signals, alarms) and starts the ranking afresh: its doubles are
     * those of a full state whose ranking was reset.
     */
    @Test
    void aStateWrittenBeforeTheRankingKeepsTheVerdictAndStartsTheRankingAfresh() {
        int n = 600;
        int[] onlineSignals = new int[n];
        double[] online = online(n, 13, onlineSignals);
        LaggedVerdict verdict = LaggedVerdict.of(L, DetectorConfig.DEFAULTS.withThreshold(THRESHOLD));
        double[] state = verdict.newState();
        for (int t = 0; t < n / 2; t++) {
            verdict.update(state, online[t], onlineSignals[t]);
        }
        int before = 3 * L + 11;
        double[] old = Arrays.copyOf(state, before);
        double[] read = verdict.readPrefix(old);
        double[] reset = verdict.newState();
        System.arraycopy(old, 0, reset, 0, before);
        assertArrayEquals(reset, read, 0.0);
        int ranked = 0;
        for (int t = n / 2; t < n; t++) {
            LaggedVerdict.Result whole = verdict.update(state, online[t], onlineSignals[t]);
            LaggedVerdict.Result continued = verdict.update(read, online[t], onlineSignals[t]);
            assertEquals(whole.evidence(), continued.evidence(), 0.0, "evidence at " + t);
            assertEquals(whole.datedEvidence(), continued.datedEvidence(), 0.0, "dated evidence at " + t);
            assertEquals(whole.signals(), continued.signals(), "signals at " + t);
            assertEquals(whole.alarm(), continued.alarm(), "alarm at " + t);
            assertEquals(whole.score() >= THRESHOLD, continued.score() >= THRESHOLD, "flag at " + t);
            ranked += whole.score() != whole.evidence() ? 1 : 0;
        }
        assertTrue(ranked > 10, "only " + ranked + " scores ranked");
    }

    /**
     * The ranking moves no score across the threshold and no alarm of the verdict's (issue 14, as detect17i's for the
     * online score): on 200 random runs (thresholds 0.99 to 0.99999, quiet 1 to 30, L = 1 to 12, events of random
     * lengths with lulls and spikes; online scores a detector gives, {@link AnomalyDetector#scoreOfSurprise}, surprises
     * up to 400 times the threshold's), every returned score and dated score is on the same side of the threshold as
     * its evidence, at most it above and at least it below; a dated score at or above the threshold whose judged
     * reading's own online evidence is below it is the threshold exactly (branch lag14j); the verdict's alarms are
     * those of {@link AlarmGate} over the unranked scores with its signals, undated ({@code alarm}) and dated ({@code
     * datedAlarm}); a gate over the ranked undated scores gives the same alarms (its new peaks are kept), one over the
     * ranked dated scores need not (the successor-only rule lowers new peaks: it differs in some runs, which is why
     * the {@code detection} table takes the dated row's alarms from the verdict). Not vacuous: thousands of scores
     * ranked above and below the threshold, successor-only readings, re-alarms. Planted bug, seen failing: the gate's
     * state and peak read after its step instead of before (a new peak ranked as a held reading: escalation re-alarms
     * lost).
     */
    @Test
    void theRankingMovesNoScoreAcrossTheThresholdAndNoAlarm() {
        SplittableRandom random = new SplittableRandom(23);
        long rankedAbove = 0;
        long rankedBelow = 0;
        long realarms = 0;
        long successorsOnly = 0;
        int gateDiffers = 0;
        for (int run = 0; run < 200; run++) {
            int lag = 1 + random.nextInt(12);
            double threshold = 1 - Math.pow(10, -2 - 3 * random.nextDouble());
            int quiet = 1 + random.nextInt(30);
            AlarmGate gate = new AlarmGate(threshold, quiet, AnomalyDetector.ESCALATION);
            LaggedVerdict verdict = new LaggedVerdict(lag, gate);
            double[] state = verdict.newState();
            int n = 1_000 + random.nextInt(2_000);
            double[][] series = new double[4][n];
            int[] laggedSignals = new int[n];
            boolean[] ownAlarms = new boolean[n];
            boolean[] datedAlarms = new boolean[n];
            double[] evidences = new double[n];
            double surprise = AnomalyDetector.surprise(threshold);
            int eventLeft = 0;
            for (int t = 0; t < n; t++) {
                if (eventLeft == 0 && random.nextDouble() < 0.01) {
                    eventLeft = 1 + random.nextInt(80);
                }
                double u = random.nextDouble();
                double evidence;
                if (eventLeft > 0) {
                    eventLeft--;
                    evidence = u < 0.6 ? AnomalyDetector.scoreOfSurprise(surprise + 12 * random.nextDouble()) // held
                            : u < 0.7 ? AnomalyDetector.scoreOfSurprise(surprise * Math.exp(6 * random.nextDouble()))
                            : u < 0.9 ? AnomalyDetector.scoreOfSurprise(surprise * random.nextDouble())
                            : random.nextDouble();
                } else {
                    evidence = u < 0.005 ? AnomalyDetector.scoreOfSurprise(surprise + 8 * random.nextDouble()) // spike
                            : u < 0.2 ? 1 - Math.exp(-3 * random.nextDouble() - 1) : random.nextDouble();
                }
                int signals = evidence >= threshold && random.nextDouble() < 0.3 ? AlarmGate.SPIKE
                        : random.nextDouble() < 0.03 ? AlarmGate.CHANGE : 0;
                evidences[t] = evidence;
                LaggedVerdict.Result r = verdict.update(state, evidence, signals);
                if (r.datedEvidence() >= threshold && evidences[t - lag] < threshold) {
                    assertEquals(threshold, r.dated(), 0.0, "successors only: run " + run + ", reading " + t);
                    successorsOnly++;
                }
                double[] pair = {r.score(), r.evidence(), r.dated(), r.datedEvidence()};
                for (int i = 0; i < 4; i += 2) {
                    double ranked = pair[i];
                    double unranked = pair[i + 1];
                    if (Double.isNaN(unranked)) {
                        assertTrue(Double.isNaN(ranked));
                        continue;
                    }
                    String at = "run " + run + ", reading " + t + (i == 0 ? "" : ", dated");
                    assertEquals(unranked >= threshold, ranked >= threshold, "the flag moved: " + at);
                    if (unranked >= threshold) {
                        assertTrue(ranked <= unranked, "raised above the threshold: " + at);
                        rankedAbove += ranked < unranked ? 1 : 0;
                    } else {
                        assertTrue(ranked >= unranked, "lowered below the threshold: " + at);
                        rankedBelow += ranked > unranked ? 1 : 0;
                    }
                }
                for (int i = 0; i < 4; i++) {
                    series[i][t] = Double.isNaN(pair[i]) ? 0.0 : pair[i];
                }
                laggedSignals[t] = r.signals();
                ownAlarms[t] = r.alarm();
                datedAlarms[t] = r.datedAlarm();
            }
            boolean[] undated = gate.alarms(series[1], laggedSignals);
            assertArrayEquals(undated, ownAlarms, "the verdict's alarms, run " + run);
            assertArrayEquals(undated, gate.alarms(series[0], laggedSignals), "undated alarms, run " + run);
            boolean[] dated = gate.alarms(series[3], laggedSignals);
            assertArrayEquals(dated, datedAlarms, "the verdict's dated alarms, run " + run);
            gateDiffers += Arrays.equals(dated, gate.alarms(series[2], laggedSignals)) ? 0 : 1;
            realarms += realarms(gate, series[1], laggedSignals) + realarms(gate, series[3], laggedSignals);
        }
        assertTrue(rankedAbove > 5_000 && rankedBelow > 1_000 && realarms > 100 && successorsOnly > 1_000
                && gateDiffers > 0, rankedAbove + " ranked above, " + rankedBelow + " below, " + realarms
                + " re-alarms, " + successorsOnly + " successor-only, " + gateDiffers + " runs whose gate over the "
                + "ranked dated scores differs: too few");
    }

    /** The alarms a gate raises while its alarm already stands (escalations and change re-alarms). */
    private static long realarms(AlarmGate gate, double[] scores, int[] signals) {
        long state = AlarmGate.OPEN;
        double peak = 0.0;
        long count = 0;
        for (int t = 0; t < scores.length; t++) {
            AlarmGate.Step step = gate.next(state, peak, scores[t], signals[t]);
            count += step.alarm() && state >= 0 ? 1 : 0;
            state = step.state();
            peak = step.peak();
        }
        return count;
    }

    /**
     * The ranking worked by hand (L = 1, threshold 0.9999, quiet 3): online evidence 0.5 for readings 0-2, a held
     * 1 - 1e-7 for 3-6, 0.5 for 7-10. With L = 1 and k = 2 the lagged score is the reading's own tail doubled: 1 - 2e-7
     * (surprise {@code s0 = 6.699}) on 3-6, 0 elsewhere. Reading 3 is the event's first (its alarm, its peak: kept);
     * 4, 5, 6 are held readings, no new peak, the 2nd, 3rd and 4th flagged in a row: surprise {@code 4 + (s0 - 4) /
     * (1 + a / 5)}; 7, 8, 9 are read while the alarm stands (the gate re-arms after the 3rd reading below the
     * threshold, at 9's step): the lull's floor, surprise 1.8; 10 is 0 again; 11 and 12 a second event (11 its first,
     * 12 its 2nd flagged reading in a row). Up to reading 9 nothing is dated (the CUSUM builds up from the first
     * event's onset, not before it), so the dated score is ranked alike by its own gate (the second event is dated
     * back to reading 10: the CUSUM has not returned to 0 since the first). Planted bugs, seen failing: "the alarm
     * stands" read as true always (the readings before the event lifted into the lull); the run not reset below the
     * threshold.
     */
    @Test
    void aStandingEventRanksAsTheOnlineScoreDoesWorkedByHand() {
        double threshold = 0.9999;
        LaggedVerdict verdict = new LaggedVerdict(1, new AlarmGate(threshold, 3, AnomalyDetector.ESCALATION));
        double[] state = verdict.newState();
        double held = 1 - 1e-7;
        double[] online = {0.5, 0.5, 0.5, held, held, held, held, 0.5, 0.5, 0.5, 0.5, held, held, 0.5};
        double b = AnomalyDetector.surprise(threshold);
        double s0 = AnomalyDetector.surprise(1 - 2e-7);
        double lull = 1 - Math.pow(10, -1.8);
        double[] expected = {0, 0, 0, 1 - 2e-7, 1 - Math.pow(10, -(b + (s0 - b) / (1 + 2 / 5.0))),
            1 - Math.pow(10, -(b + (s0 - b) / (1 + 3 / 5.0))), 1 - Math.pow(10, -(b + (s0 - b) / (1 + 4 / 5.0))),
            lull, lull, lull, 0, 1 - 2e-7, 1 - Math.pow(10, -(b + (s0 - b) / (1 + 2 / 5.0)))};
        assertTrue(Double.isNaN(verdict.update(state, online[0], 0).score()));
        for (int t = 1; t < online.length; t++) {
            LaggedVerdict.Result r = verdict.update(state, online[t], 0);
            assertEquals(expected[t - 1], r.score(), 1e-12, "reading " + (t - 1));
            if (t - 1 < 10) {
                assertEquals(r.score(), r.dated(), 0.0, "dated, reading " + (t - 1));
            }
            assertEquals(t - 1 == 3 || t - 1 == 11, r.alarm(), "alarm, reading " + (t - 1));
        }
    }

    /**
     * The judged row's verdict worked by hand (branch lag14j; L = 2, threshold 0.9999, quiet 3): online evidence 0.5
     * for readings 0-3, a held {@code 1 - 1e-9} for 4-6, 0.5 for 7-11. With {@code n = 3}, {@code k = 2} the lagged
     * tail of reading {@code r} is {@code 2 min(1.5 q_(2), q_r)}: 3e-9 for reading 3 (its own tail 0.5, its two
     * successors 1e-9: flagged for its successors only, surprise 8.523), 2e-9 for 4-6 (their own: 8.699), 1 for the
     * rest. Nothing is dated (the CUSUM is 0 before reading 4: no build-up), so the dated evidence is the undated one.
     * Undated: 3 is the event's first (its alarm), 4 a new peak (kept), 5 and 6 held (the 3rd and 4th flagged in a row:
     * {@code b + (s0 - b) / (1 + a / 5)}), 7-9 the lull (1.8), as the online score ranks them. Dated: the same but
     * reading 3 <b>at the threshold itself</b> (0.9999). The verdict's alarms, undated and dated: reading 3 only. A
     * gate over the returned dated scores would also alarm at 4 (surprise 8.699 above twice 3's emitted 4): the old
     * contract (the alarms recomputed from the emitted scores are the verdict's) holds for the undated score only.
     * Planted bug, seen failing: the rule reading the newest reading's evidence ({@code t}'s) instead of the judged
     * reading's ({@code t - L}'s): reading 3 kept at 1 - 3e-9.
     */
    @Test
    void theJudgedRowRanksSuccessorOnlyReadingsAtTheThresholdWorkedByHand() {
        double threshold = 0.9999;
        AlarmGate gate = new AlarmGate(threshold, 3, AnomalyDetector.ESCALATION);
        LaggedVerdict verdict = new LaggedVerdict(2, gate);
        double[] state = verdict.newState();
        double held = 1 - 1e-9;
        double[] online = {0.5, 0.5, 0.5, 0.5, held, held, held, 0.5, 0.5, 0.5, 0.5, 0.5};
        double b = AnomalyDetector.surprise(threshold);
        double s0 = AnomalyDetector.surprise(1 - 2e-9);
        double lull = 1 - Math.pow(10, -1.8);
        double[] undated = {0, 0, 0, 1 - 3e-9, 1 - 2e-9, 1 - Math.pow(10, -(b + (s0 - b) / (1 + 3 / 5.0))),
            1 - Math.pow(10, -(b + (s0 - b) / (1 + 4 / 5.0))), lull, lull, lull};
        double[] dated = undated.clone();
        dated[3] = threshold;
        double[] emittedDated = new double[undated.length];
        int[] signals = new int[undated.length];
        assertTrue(Double.isNaN(verdict.update(state, online[0], 0).dated()));
        assertTrue(Double.isNaN(verdict.update(state, online[1], 0).dated()));
        for (int t = 2; t < online.length; t++) {
            int r = t - 2;
            LaggedVerdict.Result v = verdict.update(state, online[t], 0);
            assertEquals(undated[r], v.score(), 1e-12, "score, reading " + r);
            assertEquals(v.evidence(), v.datedEvidence(), 0.0, "nothing dated, reading " + r);
            if (r == 3) {
                assertEquals(threshold, v.dated(), 0.0, "dated, reading 3: the threshold itself");
                assertEquals(1 - 3e-9, v.evidence(), 1e-12, "its evidence");
            } else {
                assertEquals(dated[r], v.dated(), 1e-12, "dated, reading " + r);
            }
            assertEquals(r == 3, v.alarm(), "alarm, reading " + r);
            assertEquals(r == 3, v.datedAlarm(), "dated alarm, reading " + r);
            emittedDated[r] = v.dated();
            signals[r] = v.signals();
        }
        boolean[] recomputed = gate.alarms(emittedDated, signals);
        for (int r = 0; r < recomputed.length; r++) {
            assertEquals(r == 3 || r == 4, recomputed[r], "a gate over the emitted dated scores, reading " + r);
        }
    }
}
