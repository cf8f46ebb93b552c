package io.rnnstreams.accuracy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.learner.GainFit;
import io.rnnstreams.learner.HybridForecaster;
import java.util.List;
import io.rnnstreams.model.Loss;
import org.junit.jupiter.api.Test;

/** {@link LearnerVariant#parse}: every two-valued option, both spellings of case, and a value it does not know. */
class LearnerVariantTest {
    @Test
    void everyTwoValuedOptionTakesEitherValue() {
        LearnerVariant a = LearnerVariant.parse("anchor=zero;loss=HUBER;slow=on;gain=absolute;mix=on;combine=absolute;"
                + "recurrent=off;snap=off");
        assertFalse(a.anchored());
        assertEquals(Loss.HUBER, a.loss());
        assertTrue(a.slowInputs());
        assertEquals(GainFit.ABSOLUTE, a.gainFit());
        assertTrue(a.mixture());
        assertTrue(a.absoluteWeights());
        assertFalse(a.recurrent());
        assertFalse(a.snapping());

        LearnerVariant b = LearnerVariant.parse("anchor=kept;loss=squared;slow=Off;gain=squares;mix=off;"
                + "combine=squares;recurrent=on;snap=on");
        assertTrue(b.anchored());
        assertEquals(Loss.SQUARED_ERROR, b.loss());
        assertFalse(b.slowInputs());
        assertEquals(GainFit.LEAST_SQUARES, b.gainFit());
        assertFalse(b.mixture());
        assertFalse(b.absoluteWeights());
        assertTrue(b.recurrent());
        assertTrue(b.snapping());
    }

    @Test
    void theLossesAndTheTuningsNumbersAreReadAndCheckedAgainstTheirRanges() {
        assertEquals(Loss.HUBER_HALF, LearnerVariant.parse("loss=huber-half").loss());
        HybridForecaster.Tuning defaults = LearnerVariant.DEFAULTS.tuning();
        assertEquals(HybridForecaster.Tuning.DEFAULTS, defaults);
        assertEquals(0.4, defaults.snapThreshold());
        HybridForecaster.Tuning t = LearnerVariant.parse("gain-max=2;combine-rate=0.05;combine-power=3;gain-rate=0.03;"
                + "snap-rate=0.02;snap-threshold=0.5").tuning();
        assertEquals(new HybridForecaster.Tuning(GainFit.ABSOLUTE, false, true, 2.0, 0.05, 3.0, 0.03, 0.02, 0.5), t);
        for (String bad : List.of("gain-max=0", "gain-max=5", "combine-rate=1.5", "combine-power=-1", "gain-rate=0",
                "snap-rate=2", "snap-threshold=1", "snap-threshold=0", "loss=huber-quarter")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearnerVariant.parse(bad));
            assertTrue(e.getMessage().contains("cannot use '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void aValueItDoesNotKnowIsRefusedNamingThePart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnerVariant.parse("k1=4;mix=maybe"));
        assertTrue(e.getMessage().startsWith("--learner-variant 'k1=4;mix=maybe': cannot use 'mix=maybe'"),
                e.getMessage());
    }
}
