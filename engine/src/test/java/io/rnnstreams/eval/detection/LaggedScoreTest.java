package io.rnnstreams.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LaggedScoreTest {
    /**
     * L = 2 by hand: n = 3 tails, k = 2 (the default), Rüger's factor 3/2, Bonferroni's 2. Online scores 0.9, 0.999,
     * 0.99 (tails 0.1, 0.001, 0.01): for reading 0 the 2nd smallest tail is 0.01, so persistence 0.015, its own tail
     * 0.1: p = 2 min(0.015, 0.1) = 0.03, score 0.97.
     */
    @Test
    void persistenceAndSpikeWorkedByHand() {
        LaggedScore lagged = new LaggedScore(2);
        double[] state = lagged.newState();
        assertTrue(Double.isNaN(lagged.update(state, 0.9)), "reading 0 has no successors yet");
        assertTrue(Double.isNaN(lagged.update(state, 0.999)));
        assertEquals(0.97, lagged.update(state, 0.99), 1e-12);
        // reading 1 judged with readings 2 and 3: tails 0.001, 0.01, 0.5: persistence 0.015, its own 0.001: p = 0.002
        assertEquals(0.998, lagged.update(state, 0.5), 1e-12);
        // reading 2 with readings 3 and 4: tails 0.01, 0.5, 0.5: persistence min(1, 0.75), its own 0.01: p = 0.02
        assertEquals(0.98, lagged.update(state, 0.5), 1e-12);
        // reading 3 with readings 4 and 5: tails 0.5, 0.5, 0.5: p = min(1, 2 x 0.5)
        assertEquals(0.0, lagged.update(state, 0.5), 1e-12);
    }

    /**
     * A spike (online tail 1e-5 for reading t - L, its successors 0.5): persistence 0.75, kept by its own tail,
     * p = 2e-5: the lagged score never clears what the online score flags (at half its significance). An onset
     * (reading t - L 0.5, its successors 1e-6): flagged at t - L by persistence, p = 2 x 1.5e-6.
     */
    @Test
    void aSpikeIsKeptAndAnOnsetIsDatedBack() {
        LaggedScore lagged = new LaggedScore(2);
        double[] spike = lagged.newState();
        double[] onset = lagged.newState();
        lagged.update(spike, 1 - 1e-5);
        lagged.update(spike, 0.5);
        assertEquals(1 - 2e-5, lagged.update(spike, 0.5), 1e-12);
        lagged.update(onset, 0.5);
        lagged.update(onset, 1 - 1e-6);
        assertEquals(1 - 3e-6, lagged.update(onset, 1 - 1e-6), 1e-12);
    }

    /**
     * Beyond EXACT_P a score stands for a tail in the log domain, read back to within 0.05 or 1% in ln p (the score's
     * doubles near 1 are 1.1e-16 apart: at ln p = -1e5 that is 0.3%); the top double still gives a score below 1.
     */
    @Test
    void tailsBeyondExactAreReadBackFromTheirRank() {
        for (double logP : new double[] {Math.log(1e-13), Math.log(1e-20), -500.0, -1e5}) {
            double score = AnomalyDetector.scoreOfTail(logP, 1);
            assertEquals(logP, LaggedScore.logTailOfScore(score), Math.max(0.05, -0.01 * logP), "ln p " + logP);
        }
        assertEquals(0.0, LaggedScore.logTailOfScore(0.0));
        assertEquals(Math.log(0.25), LaggedScore.logTailOfScore(0.75), 1e-12);
        LaggedScore lagged = new LaggedScore(1);
        double[] state = lagged.newState();
        double top = Math.nextDown(1.0);
        lagged.update(state, top);
        double score = lagged.update(state, top);
        assertTrue(score < 1.0 && score > 1 - 1e-12, "the top of the score stays below 1: " + score);
    }

    /**
     * The null: Gaussian readings and errors through the online detector, then the lagged score (L = 10): at most
     * about the nominal fraction above 0.99 / 0.999 (a valid tail: conservative, never more than 2x).
     */
    @Test
    void conservativeOnGaussianNoise() {
        AnomalyDetector online = new AnomalyDetector(DetectorConfig.DEFAULTS, 1);
        double[] a = online.newState();
        LaggedScore lagged = new LaggedScore(10);
        double[] state = lagged.newState();
        SplittableRandom random = new SplittableRandom(5);
        int n = 100_000;
        int above99 = 0;
        int above999 = 0;
        int counted = 0;
        for (int t = 0; t < n; t++) {
            double[] x = {gaussian(random)};
            double sa = online.update(a, x, t == 0 ? null : new double[] {gaussian(random)}).score();
            double score = lagged.update(state, sa);
            if (t >= 1000) {
                counted++;
                above99 += score >= 0.99 ? 1 : 0;
                above999 += score >= 0.999 ? 1 : 0;
            }
        }
        assertTrue(above99 <= 0.02 * counted, "fraction >= 0.99: " + above99 / (double) counted);
        assertTrue(above999 <= 0.002 * counted, "fraction >= 0.999: " + above999 / (double) counted);
    }

    @Test
    void rejectsALagBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LaggedScore(0));
        assertEquals("lag must be >= 1, got 0", e.getMessage());
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * The lagged score and its spike test, computed without a copy or a sort (the persistence tail from a one-pass
     * selection of the 2nd smallest of the {@code L + 1} tails), equal bit for bit those of the computation before
     * (a copy of the tails, {@code Arrays.sort}, its element {@code k - 1}) on random evidence with ties, exact zeros,
     * scores beyond {@link AnomalyDetector#EXACT_P}, the top doubles and NaN (compared as a NaN), for L = 1..12. Planted bug, seen failing:
     * the selection keeping the smallest instead of the 2nd smallest (and, separately, comparing with {@code <}, which
     * lets a NaN in the first slot stay the smallest).
     */
    @Test
    void theSelectionIsTheSortedComputationBitForBit() {
        SplittableRandom random = new SplittableRandom(17);
        double[] menu = {0.0, 0.5, 0.9, 0.9999, 1 - 1e-15, Math.nextDown(1.0), Double.NaN, -0.25};
        int compared = 0;
        for (int lag = 1; lag <= 12; lag++) {
            LaggedScore lagged = new LaggedScore(lag);
            double[] state = lagged.newState();
            double[] reference = lagged.newState();
            for (int t = 0; t < 5_000; t++) {
                double u = random.nextDouble();
                double evidence = u < 0.2 ? menu[random.nextInt(menu.length)]
                        : u < 0.4 ? 1 - Math.pow(10, -20 * random.nextDouble())
                        : random.nextDouble();
                double got = lagged.update(state, evidence);
                double expected = sortedUpdate(lag, reference, evidence);
                // bit for bit; a NaN (from a NaN evidence) as a NaN, its sign bit being the sort's choice among NaNs
                assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got),
                        "L = " + lag + ", reading " + t);
                if (t >= lag) {
                    assertEquals(sortedSpikeDecides(lag, reference), lagged.spikeDecides(state), "spike at " + t);
                    compared++;
                }
            }
        }
        assertTrue(compared > 50_000);
    }

    /** The lagged score as computed before the selection: a copy of the tails and a full sort. */
    private static double sortedUpdate(int lag, double[] state, double evidence) {
        int n = lag + 1;
        long count = (long) state[0];
        state[1 + (int) (count % n)] = LaggedScore.logTailOfScore(evidence);
        state[0] = ++count;
        if (count < n) {
            return Double.NaN;
        }
        return AnomalyDetector.scoreOfTail(Math.min(sortedPersistent(lag, state), state[1 + (int) ((count - n) % n)]),
                2);
    }

    private static boolean sortedSpikeDecides(int lag, double[] state) {
        int n = lag + 1;
        long count = (long) state[0];
        return state[1 + (int) ((count - n) % n)] <= sortedPersistent(lag, state);
    }

    private static double sortedPersistent(int lag, double[] state) {
        int n = lag + 1;
        int k = Math.min(LaggedScore.AGREEING, n);
        double[] tails = new double[n];
        System.arraycopy(state, 1, tails, 0, n);
        java.util.Arrays.sort(tails);
        return Math.min(0.0, Math.log((double) n / k) + tails[k - 1]);
    }
}
