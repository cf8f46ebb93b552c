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

    /**
     * The encoder-decoder's models ({@code rnn.forecast.mode=seq2seq}) carry {@code architecture=seq2seq(N=...)}:
     * a plain RNN's stored model is refused under it and the other way round (also a record of the old hash
     * form), and another horizon is refused; the plain RNN's encoding is unchanged (the test above).
     */
    @Test
    void theArchitectureIsARequiredSettingWrittenOnlyWhenItIsNotThePlainRnn() {
        io.rnnstreams.model.Seq2SeqConfig s24 = new io.rnnstreams.model.Seq2SeqConfig(config(32, 0.001), 24);
        String seq2seq = ModelIdentity.of(s24, ModelScope.KEY).encode();
        assertTrue(seq2seq.endsWith(";scope=KEY;architecture=seq2seq(N=24);learning-rate=0.001;momentum=0.0;"
                + "beta1=0.9;beta2=0.999;epsilon=1.0E-8;clip-norm=1.0;clip-value=0.0;k1=16;seed=42"), seq2seq);
        String plain = ModelIdentity.of(config(32, 0.001), ModelScope.KEY).encode();
        assertEquals(List.of("architecture rnn -> seq2seq(N=24)"),
                ModelIdentity.of(s24, ModelScope.KEY).compare(plain, true).required());
        assertEquals(List.of("architecture seq2seq(N=24) -> rnn"),
                ModelIdentity.of(config(32, 0.001), ModelScope.KEY).compare(seq2seq, true).required());
        assertEquals(List.of("architecture seq2seq(N=24) -> seq2seq(N=12)"), ModelIdentity.of(
                new io.rnnstreams.model.Seq2SeqConfig(config(32, 0.001), 12), ModelScope.KEY).compare(seq2seq, true)
                .required());
        assertEquals(ModelIdentity.Difference.NONE, ModelIdentity.of(s24, ModelScope.KEY).compare(seq2seq, true));
        assertFalse(ModelIdentity.of(s24, ModelScope.KEY).compare(config(32, 0.001).fingerprint(), true)
                .compatible(), "a plain RNN's record of the old hash form");
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
