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
 * those signals, each fed as on its own, bit for bit; its state is the lagged score's followed by the rest.
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
            assertEquals(expected, r.score(), 0.0, "score at " + t);
            assertEquals(expectedDated, r.dated(), 0.0, "dated at " + t);
            assertEquals(expectedSignals, r.signals(), "signals at " + t);
            scores[t] = r.score();
            laggedSignals[t] = r.signals();
            alarms[t] = r.alarm();
            dated += r.dated() > r.score() ? 1 : 0;
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
            assertEquals(whole.score(), afresh.score(), 0.0, "the lagged score continues at " + t);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> verdict.readPrefix(new double[prefix.length + 1]));
        assertTrue(e.getMessage().contains(LaggedVerdict.stateSize(L) + " doubles"), e.getMessage());
    }
}
