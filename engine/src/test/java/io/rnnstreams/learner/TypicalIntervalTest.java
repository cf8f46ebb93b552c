package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TypicalIntervalTest {
    private static final long HOUR = 3_600_000L;

    /** An hourly series with 5% of its readings dropped at random keeps its state through every 1-reading gap. */
    @Test
    void hourlySeriesWithFivePercentDroppedKeepsItsStateThroughEveryOneReadingGap() {
        TypicalInterval policy = new TypicalInterval(3.0, HOUR); // the old absolute default, PT1H
        long[] state = new long[TypicalInterval.STATE_SIZE];
        SplittableRandom random = new SplittableRandom(11);
        long last = 0;
        int oneReadingGaps = 0;
        int resets = 0;
        int oldDefaultResets = 0;
        for (int t = 1; t < 10_000; t++) {
            if (random.nextDouble() < 0.05) {
                continue; // dropped
            }
            long now = t * HOUR;
            long interval = now - last;
            if (interval == 2 * HOUR) {
                oneReadingGaps++;
            }
            if (interval > HOUR) {
                oldDefaultResets++;
            }
            if (policy.isGap(state, interval) && interval <= 2 * HOUR) {
                resets++;
            }
            last = now;
        }
        assertTrue(oneReadingGaps > 300, "the series must have one-reading gaps, had " + oneReadingGaps);
        assertEquals(0, resets, "one-reading gaps that reset the state");
        assertTrue(oldDefaultResets >= oneReadingGaps, "the fixed PT1H limit resets at each: " + oldDefaultResets);
    }

    @Test
    void aLongOutageResetsAndTheFallbackDecidesUntilThreeIntervalsAreKnown() {
        TypicalInterval policy = new TypicalInterval(3.0, HOUR);
        long[] state = new long[TypicalInterval.STATE_SIZE];
        assertTrue(policy.isGap(state, 2 * HOUR)); // nothing known: the fallback (1 h)
        assertFalse(policy.isGap(state, 60_000));
        assertFalse(policy.isGap(state, 60_000));
        // known: 2 h, 1 min, 1 min -> median 1 min, limit 3 min
        assertEquals(180_000, policy.limitMs(state));
        assertTrue(policy.isGap(state, 24 * HOUR));
        assertFalse(policy.isGap(state, 150_000));
    }

    /** The median picked without sorting equals the sorted copy's, for every count and with repeated intervals. */
    @Test
    void theMedianIsTheSortedIntervalsMiddle() {
        SplittableRandom random = new SplittableRandom(20261207L);
        for (int trial = 0; trial < 100_000; trial++) {
            long[] state = new long[TypicalInterval.STATE_SIZE];
            state[0] = 1 + random.nextInt(12); // beyond REMEMBERED: the ring is full
            int bound = random.nextBoolean() ? 3 : 1_000_000; // few distinct values: many ties
            for (int i = 1; i < state.length; i++) {
                state[i] = 1 + random.nextInt(bound);
            }
            int known = (int) Math.min(state[0], TypicalInterval.REMEMBERED);
            long[] sorted = java.util.Arrays.copyOfRange(state, 1, 1 + known);
            java.util.Arrays.sort(sorted);
            double expected = known % 2 == 1 ? sorted[known / 2] : (sorted[known / 2 - 1] + sorted[known / 2]) / 2.0;
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(TypicalInterval.median(state)), java.util.Arrays.toString(state));
            assertEquals(Math.round(expected), TypicalInterval.typicalMs(state));
        }
    }
}
