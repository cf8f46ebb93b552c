package io.rnnstreams.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.model.CellType;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The versioned model fingerprint: what a stored model record carries and which changes it refuses. */
class ModelIdentityTest {
    private static LearnerConfig config(int hidden, double learningRate) {
        return LearnerConfig.builder()
                .network(NetworkConfig.builder().inputSize(1).outputSize(1).hiddenSizes(hidden)
                        .cellType(CellType.LSTM).seed(42).build())
                .optimizer(OptimizerConfig.adam(learningRate)).build();
    }

    @Test
    void encodesEverySettingByNameAfterItsVersion() {
        assertEquals("v2;cell=LSTM;activation=TANH;hidden=32;channels=1;residual=true;normalise=true;optimizer=ADAM;"
                + "k2=16;scope=KEY;learning-rate=0.001;momentum=0.0;beta1=0.9;beta2=0.999;epsilon=1.0E-8;"
                + "clip-norm=1.0;clip-value=0.0;k1=16;seed=42",
                ModelIdentity.of(config(32, 0.001), ModelScope.KEY).encode());
    }

    @Test
    void shapeAndScopeChangesAreRequiredOnesAndNamed() {
        String stored = ModelIdentity.of(config(32, 0.001), ModelScope.KEY).encode();
        ModelIdentity.Difference d = ModelIdentity.of(config(64, 0.001), ModelScope.SHARED).compare(stored, true);
        assertFalse(d.compatible());
        assertEquals(List.of("hidden 32 -> 64", "scope KEY -> SHARED"), d.required());
        assertEquals(List.of(), d.tunable());
        // a model file used as rnn.model.init may start models of either scope
        assertEquals(List.of("hidden 32 -> 64"),
                ModelIdentity.of(config(64, 0.001), ModelScope.SHARED).compare(stored, false).required());
    }

    @Test
    void aLearningRateChangeIsReportedNotRefused() {
        String stored = ModelIdentity.of(config(32, 0.001), ModelScope.KEY).encode();
        ModelIdentity.Difference d = ModelIdentity.of(config(32, 0.01), ModelScope.KEY).compare(stored, true);
        assertTrue(d.compatible());
        assertEquals(List.of("learning-rate 0.001 -> 0.01"), d.tunable());
        assertEquals(ModelIdentity.Difference.NONE, ModelIdentity.of(config(32, 0.001), ModelScope.KEY)
                .compare(stored, true));
    }

    @Test
    void aSettingUnknownToAnOlderRecordOrUnlistedDoesNotInvalidateIt() {
        // a record of a later version lists a field this build does not know: ignored
        String stored = ModelIdentity.of(config(32, 0.001), ModelScope.KEY).encode() + ";future-field=7";
        assertEquals(ModelIdentity.Difference.NONE, ModelIdentity.of(config(32, 0.001), ModelScope.KEY)
                .compare(stored, true));
        // a record missing a listed field (written before it was listed) is compared with its ADDED_LATER default,
        // or not at all when it has none
        String older = stored.replace(";seed=42", "");
        assertEquals(ModelIdentity.Difference.NONE, ModelIdentity.of(config(32, 0.001), ModelScope.KEY)
                .compare(older, true));
    }

    @Test
    void aRecordOfTheOldHashFormMatchesOnlyTheSameConfiguration() {
        LearnerConfig c = config(32, 0.001);
        assertEquals(ModelIdentity.Difference.NONE, ModelIdentity.of(c, ModelScope.KEY).compare(c.fingerprint(), true));
        ModelIdentity.Difference d = ModelIdentity.of(config(64, 0.001), ModelScope.KEY).compare(c.fingerprint(), true);
        assertFalse(d.compatible());
        assertTrue(d.required().get(0).startsWith("configuration (fingerprint " + c.fingerprint()), d.required().get(0));
    }
}
