package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The TBPTT(k1, k2) ring buffer: order, training cadence, anchor advance, validation. */
class TbpttWindowTest {

    static double[] input(int n) {
        return new double[] {n, -n};
    }

    static double[] target(int n) {
        return new double[] {1000 + n};
    }

    @Test
    void ringHoldsTheLastK2PairsInOrderAfterWrapAround() {
        int k1 = 3;
        int k2 = 7;
        TbpttWindow w = new TbpttWindow(k1, k2, 2, 1, 4);
        int pushes = k2 + 3;
        for (int n = 0; n < pushes; n++) {
            w.push(input(n), target(n));
            if (w.pushesSinceUpdate() >= k1) {
                w.trained();
            }
        }
        assertEquals(k2, w.count());
        assertEquals(3, w.head(), "oldest pair sits where the 4th-from-last overwrite left it");
        for (int t = 0; t < k2; t++) {
            int expected = pushes - k2 + t; // pairs 3..9
            int slot = (w.head() + t) % k2;
            assertArrayEquals(input(expected), w.inputs[slot], "input at t=" + t);
            assertArrayEquals(target(expected), w.targets[slot], "target at t=" + t);
        }
    }

    @Test
    void ringOrderAfterSeveralWraps() {
        int k2 = 5;
        TbpttWindow w = new TbpttWindow(5, k2, 2, 1, 1);
        int pushes = 4 * k2 + 2;
        for (int n = 0; n < pushes; n++) {
            if (w.push(input(n), target(n))) {
                w.trained();
            }
        }
        assertEquals(2, w.head());
        for (int t = 0; t < k2; t++) {
            assertEquals(pushes - k2 + t, w.inputs[(w.head() + t) % k2][0], 0.0);
        }
    }

    @Test
    void beforeFullOldestIsSlotZero() {
        TbpttWindow w = new TbpttWindow(2, 6, 2, 1, 1);
        for (int n = 0; n < 4; n++) {
            w.push(input(n), target(n));
        }
        assertEquals(4, w.count());
        assertEquals(0, w.head());
        for (int t = 0; t < 4; t++) {
            assertEquals(t, w.inputs[t][0], 0.0);
        }
    }

    @Test
    void pushCopiesItsArguments() {
        TbpttWindow w = new TbpttWindow(1, 2, 2, 1, 1);
        double[] in = {1, 2};
        double[] tg = {3};
        w.push(in, tg);
        in[0] = 99;
        tg[0] = 99;
        assertArrayEquals(new double[] {1, 2}, w.inputs[0]);
        assertArrayEquals(new double[] {3}, w.targets[0]);
    }

    @Test
    void pushReturnsTrueExactlyEveryK1PushesWhenTrainedIsCalled() {
        int k1 = 4;
        int k2 = 10;
        TbpttWindow w = new TbpttWindow(k1, k2, 2, 1, 3);
        int trues = 0;
        for (int n = 1; n <= 50; n++) {
            boolean due = w.push(input(n), target(n));
            assertEquals(n % k1 == 0, due, "push #" + n);
            if (due) {
                trues++;
                assertEquals(k1, w.pushesSinceUpdate());
                w.trained();
                assertEquals(0, w.pushesSinceUpdate());
            } else {
                assertEquals(n % k1, w.pushesSinceUpdate());
            }
        }
        assertEquals(12, trues);
    }

    @Test
    void withoutTrainedPushKeepsReportingDue() {
        TbpttWindow w = new TbpttWindow(2, 3, 1, 1, 1);
        assertFalse(w.push(new double[] {0}, new double[] {0}));
        assertTrue(w.push(new double[] {0}, new double[] {0}));
        assertTrue(w.push(new double[] {0}, new double[] {0}));
        assertEquals(3, w.pushesSinceUpdate());
    }

    @Test
    void k1EqualsOneTrainsOnEveryPush() {
        TbpttWindow w = new TbpttWindow(1, 1, 1, 1, 1);
        for (int n = 0; n < 5; n++) {
            assertTrue(w.push(new double[] {n}, new double[] {n}));
            w.trained();
            assertEquals(1, w.count());
            assertEquals(0, w.head());
            assertEquals(n, w.inputs[0][0], 0.0);
        }
    }

    @Test
    void anchorAdvanceIsMaxZeroCountPlusK1MinusK2() {
        // k1 = 3, k2 = 8: advance = max(0, count - 5)
        TbpttWindow w = new TbpttWindow(3, 8, 1, 1, 1);
        int[] expected = {0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3};
        assertEquals(0, w.anchorAdvance());
        for (int n = 0; n < expected.length; n++) {
            w.push(new double[] {n}, new double[] {n});
            assertEquals(Math.min(n + 1, 8), w.count());
            assertEquals(expected[n], w.anchorAdvance(), "after " + (n + 1) + " pushes (count " + w.count() + ")");
        }
        // k1 == k2: a full window is replaced entirely before the next training
        TbpttWindow full = new TbpttWindow(4, 4, 1, 1, 1);
        for (int n = 1; n <= 6; n++) {
            full.push(new double[] {n}, new double[] {n});
            assertEquals(Math.min(n, 4), full.anchorAdvance());
        }
        // k1 = 1, k2 = 5: advance 1 once full, else 0
        TbpttWindow one = new TbpttWindow(1, 5, 1, 1, 1);
        for (int n = 1; n <= 7; n++) {
            one.push(new double[] {n}, new double[] {n});
            assertEquals(n >= 5 ? 1 : 0, one.anchorAdvance());
        }
    }

    @Test
    void constructorRejectsBadK1WithAMessageNamingK1() {
        for (int[] bad : new int[][] {{0, 4}, {-1, 4}, {5, 4}, {2, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TbpttWindow(bad[0], bad[1], 1, 1, 1));
            assertTrue(e.getMessage().contains("k1=" + bad[0]), e.getMessage());
            assertTrue(e.getMessage().contains("k2=" + bad[1]), e.getMessage());
        }
        TbpttWindow ok = new TbpttWindow(4, 4, 3, 2, 6);
        assertEquals(4, ok.k1());
        assertEquals(4, ok.k2());
        assertEquals(4, ok.inputs.length);
        assertEquals(3, ok.inputs[0].length);
        assertEquals(2, ok.targets[0].length);
        assertEquals(6, ok.anchor().length);
    }

    @Test
    void restoreValidatesRanges() {
        TbpttWindow w = new TbpttWindow(3, 6, 1, 1, 1);
        int[][] bad = {
            {-1, 0, 0}, {7, 0, 0}, // count in [0, k2]
            {3, -1, 0}, {6, 6, 0}, // head in [0, k2)
            {3, 0, -1}, {3, 0, 3}, // pushesSinceUpdate in [0, k1)
        };
        for (int[] b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.restore(b[0], b[1], b[2]));
            assertTrue(e.getMessage().contains("count=" + b[0]) && e.getMessage().contains("head=" + b[1])
                    && e.getMessage().contains("pushesSinceUpdate=" + b[2]), e.getMessage());
            assertEquals(0, w.count(), "a rejected restore leaves the window as it was");
        }
        w.restore(6, 5, 2);
        assertEquals(6, w.count());
        assertEquals(5, w.head());
        assertEquals(2, w.pushesSinceUpdate());
        w.restore(0, 0, 0);
        assertEquals(0, w.count());
    }

    @Test
    void restoredPositionContinuesTheRing() {
        TbpttWindow w = new TbpttWindow(2, 4, 1, 1, 1);
        for (int s = 0; s < 4; s++) {
            w.inputs[s][0] = s; // slot contents; oldest at head 2: order 2, 3, 0, 1
        }
        w.restore(4, 2, 1);
        assertTrue(w.push(new double[] {10}, new double[] {10}), "second push since the last training is due");
        assertEquals(3, w.head());
        double[] order = new double[4];
        for (int t = 0; t < 4; t++) {
            order[t] = w.inputs[(w.head() + t) % 4][0];
        }
        assertArrayEquals(new double[] {3, 0, 1, 10}, order);
    }

    @Test
    void clearForgetsPairsAndZeroesTheAnchor() {
        TbpttWindow w = new TbpttWindow(2, 3, 1, 1, 2);
        for (int n = 0; n < 5; n++) {
            w.push(new double[] {n}, new double[] {n});
        }
        w.anchor()[0] = 4;
        w.anchor()[1] = -4;
        w.clear();
        assertEquals(0, w.count());
        assertEquals(0, w.head());
        assertEquals(0, w.pushesSinceUpdate());
        assertArrayEquals(new double[] {0, 0}, w.anchor());
        w.push(new double[] {7}, new double[] {7});
        assertEquals(7, w.inputs[0][0], 0.0);
    }
}
