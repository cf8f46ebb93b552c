package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Element and global-norm gradient clipping against plain reference computations. */
class GradientClippingTest {

    /** Three parameters of different shapes with seeded gradients of scale {@code scale}. */
    static List<Parameter> parameters(long seed, double scale) {
        List<Parameter> ps = List.of(new Parameter("a", 3, 2), new Parameter("b", 4, 1), new Parameter("c", 2, 5));
        SplittableRandom random = new SplittableRandom(seed);
        for (Parameter p : ps) {
            for (double[] column : p.grad) {
                for (int i = 0; i < column.length; i++) {
                    column[i] = scale * (2 * random.nextDouble() - 1);
                }
            }
        }
        return ps;
    }

    static double[] flat(List<Parameter> ps) {
        int n = ps.stream().mapToInt(Parameter::size).sum();
        double[] out = new double[n];
        int k = 0;
        for (Parameter p : ps) {
            k = p.writeGradient(out, k);
        }
        return out;
    }

    static double norm(double[] g) {
        double s = 0;
        for (double x : g) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static void assertBitIdentical(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(Double.doubleToRawLongBits(expected[k]), Double.doubleToRawLongBits(actual[k]),
                    "[" + k + "]: " + expected[k] + " vs " + actual[k]);
        }
    }

    @Test
    void elementClipClampsEachEntryAndLeavesSmallOnesAlone() {
        List<Parameter> ps = parameters(1, 3.0);
        double[] before = flat(ps);
        double limit = 1.25;
        double returned = GradientClipping.of(0, limit).apply(ps);
        double[] after = flat(ps);
        int clamped = 0;
        double[] expected = new double[before.length];
        for (int k = 0; k < before.length; k++) {
            expected[k] = before[k] > limit ? limit : before[k] < -limit ? -limit : before[k];
            if (expected[k] != before[k]) {
                clamped++;
            }
        }
        assertTrue(clamped >= 5, "the test data must exercise the clamp, clamped " + clamped);
        assertTrue(clamped < before.length, "and leave some entries alone");
        assertBitIdentical(expected, after);
        assertEquals(norm(before), returned, 1e-12 * norm(before), "the norm before clipping");
    }

    @Test
    void globalNormClipScalesToMaxNormAndKeepsDirection() {
        List<Parameter> ps = parameters(2, 5.0);
        double[] before = flat(ps);
        double preNorm = norm(before);
        double maxNorm = 2.0;
        assertTrue(preNorm > 4 * maxNorm, "test data norm " + preNorm);
        double returned = GradientClipping.of(maxNorm, 0).apply(ps);
        double[] after = flat(ps);

        assertEquals(preNorm, returned, 1e-14 * preNorm, "returned norm is the norm before clipping");
        assertEquals(maxNorm, norm(after), 1e-12, "norm after clipping");
        double scale = maxNorm / preNorm;
        for (int k = 0; k < before.length; k++) {
            assertEquals(before[k] * scale, after[k], 1e-15, "direction preserved at [" + k + "]");
            assertEquals(Math.signum(before[k]), Math.signum(after[k]));
        }
        // cosine similarity 1
        double dot = 0;
        for (int k = 0; k < before.length; k++) {
            dot += before[k] * after[k];
        }
        assertEquals(1.0, dot / (preNorm * norm(after)), 1e-14);
    }

    @Test
    void globalNormClipLeavesGradientsBelowTheLimitBitIdentical() {
        List<Parameter> ps = parameters(3, 0.1);
        double[] before = flat(ps);
        double returned = GradientClipping.of(100.0, 0).apply(ps);
        assertBitIdentical(before, flat(ps));
        assertEquals(norm(before), returned, 1e-15 * norm(before));
    }

    @Test
    void noneLeavesGradientsBitIdenticalAndReturnsTheirNorm() {
        List<Parameter> ps = parameters(4, 1e3);
        double[] before = flat(ps);
        double returned = GradientClipping.NONE.apply(ps);
        assertBitIdentical(before, flat(ps));
        assertEquals(norm(before), returned, 1e-14 * norm(before));
        assertEquals(0.0, GradientClipping.NONE.maxNorm());
        assertEquals(0.0, GradientClipping.NONE.maxValue());
    }

    @Test
    void elementThenNormClipBothApplyInOrder() {
        List<Parameter> ps = parameters(5, 4.0);
        double[] before = flat(ps);
        double limit = 1.0;
        double maxNorm = 1.5;
        double[] expected = new double[before.length];
        for (int k = 0; k < before.length; k++) {
            expected[k] = Math.max(-limit, Math.min(limit, before[k]));
        }
        double elementNorm = norm(expected);
        assertTrue(elementNorm > maxNorm);
        for (int k = 0; k < expected.length; k++) {
            expected[k] *= maxNorm / elementNorm;
        }
        GradientClipping.of(maxNorm, limit).apply(ps);
        double[] after = flat(ps);
        for (int k = 0; k < before.length; k++) {
            assertEquals(expected[k], after[k], 1e-15, "[" + k + "]");
        }
        assertEquals(maxNorm, norm(after), 1e-12);
    }

    /**
     * {@link GradientClipping#apply} documents its result as "the global norm before clipping (non-finite if
     * any gradient is)". With element clipping on, it must still report the gradients' own norm, not the
     * norm after the element clamp.
     */
    @Test
    void returnedNormIsThePreClipNormAlsoWithElementClipping() {
        List<Parameter> ps = parameters(6, 4.0);
        double preNorm = norm(flat(ps));
        double returned = GradientClipping.of(1.5, 1.0).apply(ps);
        assertEquals(preNorm, returned, 1e-14 * preNorm,
                "apply() must return the norm before clipping; it returned the norm after the element clamp");
    }

    /**
     * The model's health guard ({@link Model#train}) refuses an update when the returned norm is not
     * finite. An infinite gradient entry must therefore yield a non-finite norm even when element clipping
     * is on (which would otherwise clamp the infinity to {@code maxValue} and hide it).
     */
    @Test
    void infiniteGradientGivesNonFiniteNormEvenWithElementClipping() {
        for (GradientClipping clipping : List.of(GradientClipping.NONE, GradientClipping.of(1.0, 0),
                GradientClipping.of(0, 1.0), GradientClipping.of(1.0, 1.0))) {
            List<Parameter> ps = parameters(7, 1.0);
            ps.get(1).grad[0][2] = Double.POSITIVE_INFINITY;
            double returned = clipping.apply(ps);
            assertFalse(Double.isFinite(returned), clipping + " returned finite norm " + returned
                    + " for a gradient containing +Infinity");
        }
    }

    @Test
    void nanGradientGivesNaNNormAndIsNotScaled() {
        for (GradientClipping clipping : List.of(GradientClipping.NONE, GradientClipping.of(1.0, 0),
                GradientClipping.of(0, 1.0), GradientClipping.of(1.0, 1.0))) {
            List<Parameter> ps = parameters(8, 1.0);
            ps.get(2).grad[3][1] = Double.NaN;
            double returned = clipping.apply(ps);
            assertTrue(Double.isNaN(returned), clipping + " returned " + returned);
        }
    }

    @Test
    void negativeNaNAndInfiniteLimitsAreRejectedWithAMessage() {
        double[] bad = {-1e-9, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double b : bad) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GradientClipping.of(b, 0));
            assertTrue(e.getMessage().contains("clip norm") && e.getMessage().contains(String.valueOf(b)),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> GradientClipping.of(0, b));
            assertTrue(e.getMessage().contains("clip value") && e.getMessage().contains(String.valueOf(b)),
                    e.getMessage());
        }
    }

    @Test
    void accessorsEqualsAndHashCode() {
        GradientClipping a = GradientClipping.of(1.5, 0.25);
        assertEquals(1.5, a.maxNorm());
        assertEquals(0.25, a.maxValue());
        assertEquals(a, GradientClipping.of(1.5, 0.25));
        assertEquals(a.hashCode(), GradientClipping.of(1.5, 0.25).hashCode());
        assertFalse(a.equals(GradientClipping.of(1.5, 0.5)));
        assertFalse(a.equals(GradientClipping.of(1.0, 0.25)));
        assertEquals(GradientClipping.NONE, GradientClipping.of(0, 0));
        assertSame(GradientClipping.NONE, GradientClipping.NONE);
    }
}
