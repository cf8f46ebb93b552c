package io.rnnstreams.stream;

import static io.rnnstreams.stream.TopologyFixture.reading;
import static io.rnnstreams.stream.TopologyFixture.time;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.config.AppConfig;
import io.rnnstreams.config.StreamSettings;
import io.rnnstreams.learner.ModelIdentity;
import io.rnnstreams.model.ModelSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hybrid learner's default corrector became a GRU of 16 (it was an LSTM of 32; branches h16, h16g): a recurrent
 * core the default hybrid stored as an LSTM of 32 is refused by the new default, naming rnn.model.cell,
 * rnn.model.hidden and the reset, both at start-up ({@link StoredModelCheck}: the fingerprint comparison) and at every
 * read of the model store ({@link StateCodec#model}); {@code rnn.model.cell=lstm} with {@code rnn.model.hidden=32}
 * lets it continue.
 */
class HiddenDefaultStreamTest {
    @TempDir
    Path stateDir;

    private static StreamSettings settings(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("rnn.model.channels", "2"));
        all.putAll(extra);
        return AppConfig.of(all).streamSettings();
    }

    @Test
    void aHybridCoreStoredAtTheFormerDefault32IsRefusedByTheNewDefaultAndContinuesWithHidden32() {
        StreamSettings former = settings(Map.of("rnn.model.cell", "lstm", "rnn.model.hidden", "32"));
        ModelState stored;
        try (TopologyFixture f = new TopologyFixture(former, stateDir.resolve("a"))) {
            for (int t = 0; t < 40; t++) {
                f.send("s", time(t), reading(0, t));
            }
            stored = f.driver.<String, ModelState>getKeyValueStore(ForecastTopology.MODEL_STORE)
                    .get(SensorViews.modelKey("s", former.scope()));
        }
        assertTrue(stored.getUpdates() > 0, "the core trained");

        ModelIdentity now = settings(Map.of()).modelIdentity();
        assertEquals("16", now.value("hidden"), "the hybrid's default");
        assertEquals("GRU", now.value("cell"), "the hybrid's default");
        // what StoredModelCheck.verify compares at start-up, and the message it throws
        assertEquals(List.of("cell LSTM -> GRU", "hidden 32 -> 16"),
                now.compare(stored.getConfigFingerprint(), true).required());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StateCodec.model(stored, now, true));
        assertTrue(e.getMessage().contains("cannot continue under: rnn.model.cell LSTM -> GRU, rnn.model.hidden 32 -> 16."),
                e.getMessage());
        assertTrue(e.getMessage().contains("kafka-streams-application-reset.sh"), e.getMessage());
        assertTrue(e.getMessage().contains("continues with rnn.model.cell=lstm and rnn.model.hidden=32"),
                e.getMessage());
        // a GRU of 32 (only the hidden size given) is refused too: the cell alone
        assertEquals(List.of("cell LSTM -> GRU"), settings(Map.of("rnn.model.hidden", "32")).modelIdentity()
                .compare(stored.getConfigFingerprint(), true).required());

        StreamSettings explicit = settings(Map.of("rnn.model.cell", "lstm", "rnn.model.hidden", "32"));
        assertEquals(List.of(), explicit.modelIdentity().compare(stored.getConfigFingerprint(), true).required());
        ModelSnapshot continued = StateCodec.model(stored, explicit.modelIdentity(), true);
        assertEquals(stored.getUpdates(), continued.updates());
    }
}
