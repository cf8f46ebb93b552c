package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link GainFit#ABSOLUTE} on hand-worked errors. */
class GainFitTest {
    @Test
    void absoluteKeepsEachCandidatesRecentAbsoluteErrorAndPicksTheLeast() {
        int d = 2;
        double[] errors = new double[GainFit.CANDIDATES.length * d];
        // before any error every candidate ties: the smallest gain, 0
        assertEquals(0.0, GainFit.best(errors, d, 0));
        // channel 1, residual 1, correction 2: |1 - g 2| = 1, 0.5, 0, 0.5, 1 for g = 0, 1/4, 1/2, 3/4, 1
        GainFit.update(errors, d, 1, 1.0, 2.0);
        double r = HybridForecaster.GAIN_RATE;
        assertArrayEquals(new double[] {0, r, 0, 0.5 * r, 0, 0, 0, 0.5 * r, 0, r}, errors, 1e-15);
        assertEquals(0.5, GainFit.best(errors, d, 1));
        assertEquals(0.0, GainFit.best(errors, d, 0), "channel 0 untouched");
        // a correction of the wrong sign: 0 is best
        for (int i = 0; i < 500; i++) {
            GainFit.update(errors, d, 1, -1.0, 2.0);
        }
        assertEquals(0.0, GainFit.best(errors, d, 1));
        assertEquals(5, GainFit.ABSOLUTE.errorsPerChannel());
        // a ceiling of 2 doubles the candidates (0, 1/2, .., 2) and a rate of 1 keeps only the last error:
        // residual 3, correction 2: |3 - g 2| = 3, 2, 1, 0, 1 for g = 0, 1/2, 1, 3/2, 2
        double[] wide = new double[GainFit.CANDIDATES.length];
        GainFit.update(wide, 1, 0, 3.0, 2.0, 2.0, 1.0);
        assertArrayEquals(new double[] {3, 2, 1, 0, 1}, wide, 1e-15);
        assertEquals(1.5, GainFit.best(wide, 1, 0, 2.0));
        assertEquals(0, GainFit.LEAST_SQUARES.errorsPerChannel());
    }
}
