package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each loss on hand-worked cases (its gradients against finite differences are {@link GradientCheckTest}'s). */
class LossTest {
    @Test
    void huberIsQuadraticWithinOneAndLinearBeyond() {
        double[] o = {0.0, 3.0, -1.0, 2.0};
        double[] y = {0.5, 0.0, 1.0, 2.0};
        double[] d = new double[4];
        // errors -0.5, 3, -2, 0: 0.125 + (3 - 0.5) + (2 - 0.5) + 0
        assertEquals(4.125, Loss.HUBER.lossAndGradient(o, y, d, 2.0), 1e-15);
        assertArrayEquals(new double[] {-1.0, 2.0, -2.0, 0.0}, d, 1e-15);
        // at |e| = 1 both parts agree: 1/2
        assertEquals(0.5, Loss.HUBER.loss(new double[] {1.0}, new double[] {0.0}), 1e-15);
        assertEquals(Loss.SQUARED_ERROR.loss(new double[] {0.3}, new double[] {-0.4}),
                Loss.HUBER.loss(new double[] {0.3}, new double[] {-0.4}), 1e-15);
    }

    @Test
    void narrowHuberIsQuadraticWithinItsWidthAndHasTheAbsoluteErrorsSlopeBeyond() {
        double[] o = {0.0, 3.0, -1.0, 2.0};
        double[] y = {0.25, 0.0, 1.0, 2.0};
        double[] d = new double[4];
        // delta 1/2, errors -0.25, 3, -2, 0: 0.0625 / (2 * 0.5) + (3 - 0.25) + (2 - 0.25) + 0 = 4.5625
        assertEquals(4.5625, Loss.HUBER_HALF.lossAndGradient(o, y, d, 2.0), 1e-15);
        // clamp(e / delta, -1, 1) times the scale 2: -1, 2, -2, 0
        assertArrayEquals(new double[] {-1.0, 2.0, -2.0, 0.0}, d, 1e-15);
        // at |e| = delta both parts agree (1/4); within it e^2 / (2 delta)
        assertEquals(0.25, Loss.HUBER_HALF.loss(new double[] {0.5}, new double[] {0.0}), 1e-15);
        assertEquals(0.04, Loss.HUBER_HALF.loss(new double[] {0.2}, new double[] {0.0}), 1e-15);
        assertEquals(2.75, Loss.HUBER_HALF.loss(new double[] {-3.0}, new double[] {0.0}), 1e-15);
    }

    @Test
    void mixtureMixesTheMembersBySoftmaxWeightsOnTopOfTheCorrection() {
        // D = 1, K = 1: correction 0.5, logits (-ln 9, 0), with the base's prior ln 9 -> weights (1/2, 1/2) over the
        // base (0) and the member (2): mix 1, forecast 1.5 against the target 1, error 0.5;
        // dl/dl_j = h w_j (e_j - mix) = 0.5 * 0.5 * (-1 | 1)
        double[] o = {0.5, -Math.log(9.0), 0.0};
        double[] y = {1.0, 2.0};
        double[] d = new double[3];
        assertEquals(0.125, Loss.MIXTURE_HUBER.lossAndGradient(o, y, d, 2.0), 1e-15);
        assertArrayEquals(new double[] {1.0, -0.5, 0.5}, d, 1e-15);
        double[] forecast = new double[1];
        Loss.mixture(o, new double[] {2.0}, forecast);
        assertEquals(1.5, forecast[0], 1e-15);
        // zero logits (a fresh head): the base weighs 0.9, the member 0.1
        Loss.mixture(new double[] {0.0, 0.0, 0.0}, new double[] {2.0}, forecast);
        assertEquals(0.2, forecast[0], 1e-15);
        // a logit far above the others picks its member: beyond one spread the loss is absolute
        assertEquals(2.5, Loss.MIXTURE_HUBER.loss(new double[] {0.0, -50.0, 50.0}, new double[] {-1.0, 2.0}), 1e-12);
    }

    /** D = 2 channels, K = 3 members, both parts of Huber's loss, against central differences of the loss itself. */
    @Test
    void mixtureGradientMatchesFiniteDifferences() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        int d = 2;
        int k = 3;
        double[] o = new double[d * (2 + k)];
        double[] y = new double[d * (1 + k)];
        for (int i = 0; i < o.length; i++) {
            o[i] = random.nextDouble(-2, 2);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextDouble(-3, 3);
        }
        y[0] = 10.0; // channel 0 in the absolute part, channel 1 (checked below) in the quadratic one
        y[1] = o[1] + 0.1;
        for (int j = 0; j < k; j++) {
            y[d + k + j] = random.nextDouble(-0.3, 0.3);
        }
        double[] analytic = new double[o.length];
        Loss.MIXTURE_HUBER.lossAndGradient(o, y, analytic, 1.0);
        double worst = 0.0;
        for (int i = 0; i < o.length; i++) {
            double saved = o[i];
            o[i] = saved + 1e-6;
            double plus = Loss.MIXTURE_HUBER.loss(o, y);
            o[i] = saved - 1e-6;
            double minus = Loss.MIXTURE_HUBER.loss(o, y);
            o[i] = saved;
            worst = Math.max(worst, GradientCheckTest.error(analytic[i], (plus - minus) / 2e-6));
        }
        assertTrue(worst < 1e-6, "worst relative error " + worst);
        double e1 = Math.abs(analytic[1]);
        assertTrue(e1 > 0 && e1 < 1, "channel 1 is in the quadratic part: " + e1);
        assertEquals(1.0, Math.abs(analytic[0]), 1e-15);
    }
}
