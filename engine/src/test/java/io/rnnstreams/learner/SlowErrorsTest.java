package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** {@link SlowErrors} on a hand-worked step. */
class SlowErrorsTest {
    @Test
    void eachRateSmoothsEachChannel() {
        double[] smoothed = {0.0, 1.0, 0.0, 1.0}; // rate 1/32: channels 0, 1; rate 1/256: channels 0, 1
        SlowErrors.update(smoothed, new double[] {32.0, -31.0});
        assertArrayEquals(new double[] {1.0, 0.0, 0.125, 1.0 - 32.0 / 256}, smoothed, 1e-15);
    }
}
