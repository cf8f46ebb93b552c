package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
