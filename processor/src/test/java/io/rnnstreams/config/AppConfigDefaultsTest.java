package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.Activation;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.GradientClipping;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The built-in defaults give the documented settings and Kafka properties. */
class AppConfigDefaultsTest {

    @Test
    void defaultsGiveTheDocumentedStreamSettings() {
        StreamSettings s = AppConfig.defaults().streamSettings();
        assertEquals(List.of("sensor-readings"), s.inputTopics());
        assertNull(s.inputPattern());
        assertEquals("predictions", s.predictionsTopic());
        assertEquals("sensor-readings-dlq", s.deadLetterTopic());
        assertEquals(ModelScope.SHARED, s.scope());
        assertEquals(new LearnerChoice(LearnerChoice.Kind.HYBRID, 0, 8), s.learnerChoice());
        assertEquals(ForecastMode.RECURSIVE, s.forecastMode());
        assertEquals(1, s.horizon());
        assertEquals(Duration.ofHours(1), s.gapReset());
        assertEquals(Duration.ofDays(7), s.idleRetention());
        assertEquals(Duration.ofHours(1), s.idleScanInterval());
        assertEquals(1e12, s.maxAbsValue());
        assertEquals(DetectorConfig.DEFAULTS, s.anomaly());
        assertEquals(3.0, s.gapMultiple());
        assertEquals(1_000, s.modelCacheSize());
        assertEquals(1, s.channels());
    }

    @Test
    void defaultsGiveTheDocumentedLearner() {
        LearnerConfig learner = AppConfig.defaults().learnerConfig();
        NetworkConfig network = learner.network();
        assertEquals(1, network.inputSize());
        assertArrayEquals(new int[] {16}, network.hiddenSizes()); // h16: the hybrid's corrector, was 32
        assertEquals(CellType.GRU, network.cellType()); // h16g: the hybrid's corrector, was LSTM
        assertEquals(Activation.TANH, network.activation());
        assertEquals(1, network.outputSize());
        assertEquals(42L, network.seed());
        assertEquals(16, learner.k1());
        assertEquals(16, learner.k2());
        OptimizerConfig optimizer = learner.optimizer();
        assertEquals(OptimizerConfig.Kind.ADAM, optimizer.kind());
        assertEquals(0.001, optimizer.learningRate());
        assertEquals(0.9, optimizer.beta1());
        assertEquals(0.999, optimizer.beta2());
        assertEquals(1e-8, optimizer.epsilon());
        assertEquals(GradientClipping.of(1.0, 0), learner.clipping());
        assertTrue(learner.normaliseInputs());
        // the engine's own defaults are the same but for the cell and the hidden size: the engine's network (the
        // plain RNN's, rnn.learner=rnn) is an LSTM of 32 units, the default hybrid's corrector a GRU of 16 (h16, h16g)
        assertEquals(LearnerConfig.builder().network(NetworkConfig.builder().cellType(CellType.GRU).hiddenSizes(16)
                .build()).build(), learner);
        assertEquals(LearnerConfig.builder().build(), AppConfig.of(Map.of("rnn.learner", "rnn")).learnerConfig());
        assertEquals(learner, AppConfig.defaults().streamSettings().learner());
    }

    @Test
    void defaultsGiveTheDocumentedKafkaProperties() {
        Properties expected = new Properties();
        expected.setProperty("application.id", "rnn-streams");
        expected.setProperty("bootstrap.servers", "localhost:9092");
        expected.setProperty("processing.guarantee", "exactly_once_v2");
        assertEquals(expected, AppConfig.defaults().kafkaProperties());
    }

    @Test
    void kafkaPropertiesAreACopy() {
        AppConfig config = AppConfig.defaults();
        config.kafkaProperties().setProperty("application.id", "changed");
        assertEquals("rnn-streams", config.kafkaProperties().getProperty("application.id"));
    }

    @Test
    void defaultsHaveNoWarningsAndComeFromTheDefaults() {
        AppConfig config = AppConfig.defaults();
        assertEquals(List.of(), config.warnings());
        for (Setting<?> s : Settings.ALL) {
            assertEquals(s == Settings.MODEL_HIDDEN || s == Settings.MODEL_CELL ? "default, for rnn.learner=hybrid"
                    : "default",
                    config.origin(s.name()).orElseThrow(), s.name());
        }
        // h16: the default (hybrid) learner's recurrent corrector has 16 hidden units (it was 32)
        assertEquals("16", config.value("rnn.model.hidden").orElseThrow());
        assertEquals("gru", config.value("rnn.model.cell").orElseThrow()); // h16g: was lstm
        assertTrue(config.value("rnn.topic.input.pattern").isEmpty());
        assertEquals("localhost:9092", config.value("bootstrap.servers").orElseThrow());
        assertEquals(List.of(16), config.get(Settings.MODEL_HIDDEN));
        assertArrayEquals(new int[] {16}, config.learnerConfig().network().hiddenSizes());
    }

    /** rnn.model.hidden's default follows rnn.learner; a value given applies to either learner, from any source. */
    @Test
    void theHiddenSizeDefaultsPerLearnerAndAGivenValueAppliesToEither() {
        AppConfig rnn = AppConfig.of(Map.of("rnn.learner", "rnn"));
        assertEquals(List.of(32), rnn.get(Settings.MODEL_HIDDEN));
        assertEquals("default, for rnn.learner=rnn", rnn.origin("rnn.model.hidden").orElseThrow());
        assertArrayEquals(new int[] {32}, rnn.learnerConfig().network().hiddenSizes());
        // the cell follows the learner the same way (h16g), independently of the hidden size
        assertEquals(CellType.LSTM, rnn.get(Settings.MODEL_CELL));
        assertEquals("default, for rnn.learner=rnn", rnn.origin("rnn.model.cell").orElseThrow());
        assertEquals(CellType.GRU, AppConfig.defaults().get(Settings.MODEL_CELL));
        assertEquals(CellType.LSTM, AppConfig.of(Map.of("rnn.model.cell", "lstm")).get(Settings.MODEL_CELL));
        assertEquals(CellType.GRU, AppConfig.of(Map.of("rnn.learner", "rnn", "rnn.model.cell", "gru"))
                .get(Settings.MODEL_CELL));
        AppConfig hiddenGiven = AppConfig.of(Map.of("rnn.model.hidden", "32"));
        assertEquals(CellType.GRU, hiddenGiven.learnerConfig().network().cellType());
        assertEquals(CellType.LSTM, hiddenGiven.learnerConfig(LearnerChoice.Kind.RNN).network().cellType());
        assertArrayEquals(new int[] {32}, hiddenGiven.learnerConfig(LearnerChoice.Kind.RNN).network().hiddenSizes());
        AppConfig cellGiven = AppConfig.of(Map.of("rnn.model.cell", "elman"));
        assertEquals(CellType.ELMAN, cellGiven.learnerConfig(LearnerChoice.Kind.RNN).network().cellType());
        assertArrayEquals(new int[] {32}, cellGiven.learnerConfig(LearnerChoice.Kind.RNN).network().hiddenSizes());
        assertArrayEquals(new int[] {16}, cellGiven.learnerConfig(LearnerChoice.Kind.HYBRID).network().hiddenSizes());
        assertEquals(List.of(16), AppConfig.of(Map.of("rnn.learner", "HYBRID")).get(Settings.MODEL_HIDDEN));
        assertEquals(List.of(32), AppConfig.of(Map.of("rnn.model.hidden", "32")).get(Settings.MODEL_HIDDEN));
        assertEquals(List.of(16), AppConfig.of(Map.of("rnn.learner", "rnn", "rnn.model.hidden", "16"))
                .get(Settings.MODEL_HIDDEN));
        AppConfig env = AppConfig.load(null, Map.of("RNN_LEARNER", "rnn"), List.of());
        assertEquals(List.of(32), env.get(Settings.MODEL_HIDDEN));
        AppConfig set = AppConfig.load(null, Map.of("RNN_LEARNER", "rnn"), List.of("rnn.learner=hybrid"));
        assertEquals(List.of(16), set.get(Settings.MODEL_HIDDEN));
        AppConfig given = AppConfig.load(null, Map.of("RNN_MODEL_HIDDEN", "64,32"), List.of("rnn.learner=rnn"));
        assertEquals(List.of(64, 32), given.get(Settings.MODEL_HIDDEN));
        assertEquals(List.of(), given.warnings());
        // an invalid learner is reported once; the hidden size does not add a second error
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("rnn.learner", "lstm")));
        assertTrue(e.getMessage().contains("rnn.learner: invalid value 'lstm'"), e.getMessage());
        assertFalse(e.getMessage().contains("rnn.model.hidden"), e.getMessage());
    }

    /**
     * h16b: the commands that run both learners side by side (accuracy, detection) build each learner's configuration
     * by the same per-learner default: the plain RNN's rows (and --horizon's, --tuned's, the smoother's) at the
     * engine's defaults (H = 32, main's configuration before h16, where issue 14's figures were measured), the
     * hybrid's at 16, whatever rnn.learner says; a given rnn.model.hidden applies to both, every other setting too.
     */
    @Test
    void eachLearnersConfigurationTakesItsOwnDefaultHiddenSize() {
        for (AppConfig config : List.of(AppConfig.defaults(), AppConfig.of(Map.of("rnn.learner", "rnn")))) {
            assertEquals(LearnerConfig.builder().build(), config.learnerConfig(LearnerChoice.Kind.RNN));
            assertEquals(LearnerConfig.builder().network(NetworkConfig.builder().cellType(CellType.GRU).hiddenSizes(16)
                    .build()).build(), config.learnerConfig(LearnerChoice.Kind.HYBRID));
            assertEquals(config.learnerConfig(), config.learnerConfig(config.streamSettings().learnerChoice().kind()));
        }
        AppConfig given = AppConfig.load(null, Map.of("RNN_MODEL_HIDDEN", "24"),
                List.of("rnn.model.cell=gru", "rnn.train.k2=20"));
        for (LearnerChoice.Kind kind : LearnerChoice.Kind.values()) {
            assertEquals(given.learnerConfig(), given.learnerConfig(kind), kind.name());
        }
        assertArrayEquals(new int[] {24}, given.learnerConfig(LearnerChoice.Kind.RNN).network().hiddenSizes());
        AppConfig other = AppConfig.of(Map.of("rnn.model.cell", "gru", "rnn.train.k2", "20", "rnn.model.seed", "7"));
        LearnerConfig rnn = other.learnerConfig(LearnerChoice.Kind.RNN);
        assertEquals(AppConfig.of(Map.of("rnn.model.cell", "gru", "rnn.train.k2", "20", "rnn.model.seed", "7",
                "rnn.learner", "rnn")).learnerConfig(), rnn, "every other setting as configured");
        assertArrayEquals(new int[] {32}, rnn.network().hiddenSizes());
        assertArrayEquals(new int[] {16}, other.learnerConfig(LearnerChoice.Kind.HYBRID).network().hiddenSizes());
    }

    @Test
    void loadWithNothingEqualsDefaults() {
        AppConfig loaded = AppConfig.load(null, Map.of("HOME", "/root", "PATH", "/bin"), List.of());
        assertEquals(AppConfig.defaults().streamSettings(), loaded.streamSettings());
        assertEquals(AppConfig.defaults().kafkaProperties(), loaded.kafkaProperties());
    }

    /**
     * The fingerprint printed at start-up is the one every prediction carries: the network the model store holds,
     * the hybrid's by default (more inputs than the plain RNN's), the plain RNN's with rnn.learner=rnn.
     */
    @Test
    void modelFingerprintIsTheStoredNetworksAndChangesWithTheModel() {
        AppConfig defaults = AppConfig.defaults();
        assertEquals(defaults.streamSettings().modelConfig().fingerprint(), defaults.modelFingerprint());
        assertEquals(defaults.streamSettings().modelFingerprint(), defaults.modelFingerprint());
        assertTrue(!defaults.learnerConfig().fingerprint().equals(defaults.modelFingerprint()), "the hybrid's");
        AppConfig plain = AppConfig.of(Map.of("rnn.learner", "rnn"));
        assertEquals(plain.learnerConfig().fingerprint(), plain.modelFingerprint());
        assertEquals(16, defaults.modelFingerprint().length());
        assertEquals(defaults.modelFingerprint(), AppConfig.of(Map.of("rnn.topic.predictions", "p2"))
                .modelFingerprint());
        assertTrue(!defaults.modelFingerprint().equals(AppConfig.of(Map.of("rnn.model.seed", "43"))
                .modelFingerprint()));
    }
}
