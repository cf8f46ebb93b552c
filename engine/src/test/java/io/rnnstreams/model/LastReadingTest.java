package io.rnnstreams.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SequenceSnapshot#lastReading}: the last reading back from the stored normalised input. */
class LastReadingTest {

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theLastReadingComesBackToWithinRounding(boolean normalise) {
        LearnerConfig config = LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(2).hiddenSizes(4).seed(5).build())
                .k1(4).k2(8).normaliseInputs(normalise).build();
        Learner learner = new Learner(config);
        assertEquals(0, learner.exportState().sequence().lastReading().length, "nothing before the first reading");
        for (int t = 0; t < 300; t++) {
            // an offset and spread far from 0 and 1, so that de-normalising is not the identity
            double[] reading = {1e4 + 250 * Math.sin(t * 0.3), -7.5 + 0.01 * Math.cos(t * 0.11)};
            learner.observe(reading);
            double[] back = learner.exportState().sequence().lastReading();
            for (int c = 0; c < 2; c++) {
                assertEquals(reading[c], back[c], 1e-12 * Math.abs(reading[c]), "reading " + t + " channel " + c);
            }
        }
    }
}
