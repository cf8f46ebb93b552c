package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.Activation;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.OptimizerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence (defaults < file < environment < --set), the environment's names, and typed parsing. */
class AppConfigSourcesTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("rnn-streams.properties");
        Files.write(f, List.of(lines), StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void fileOverridesDefaultsEnvironmentOverridesFileSetOverridesEnvironment() throws IOException {
        Path f = file("rnn.model.hidden=8", "rnn.train.k2=20", "rnn.model.cell=gru",
                "bootstrap.servers=file:9092", "application.id=from-file");
        Map<String, String> env = Map.of("RNN_MODEL_HIDDEN", "16", "RNN_MODEL_CELL", "elman",
                "KAFKA_BOOTSTRAP_SERVERS", "env:9092");
        AppConfig config = AppConfig.load(f, env, List.of("rnn.model.hidden=24", "rnn.model.hidden=40,20"));

        assertArrayEquals(new int[] {40, 20}, config.learnerConfig().network().hiddenSizes(), "--set, last wins");
        assertEquals(CellType.ELMAN, config.learnerConfig().network().cellType(), "environment over file");
        assertEquals(20, config.learnerConfig().k2(), "file over default");
        assertEquals(16, config.learnerConfig().k1(), "default");
        assertEquals("env:9092", config.kafkaProperties().getProperty("bootstrap.servers"));
        assertEquals("from-file", config.kafkaProperties().getProperty("application.id"));

        assertEquals("--set", config.origin("rnn.model.hidden").orElseThrow());
        assertEquals("environment variable RNN_MODEL_CELL", config.origin("rnn.model.cell").orElseThrow());
        assertEquals("file " + f, config.origin("rnn.train.k2").orElseThrow());
        assertEquals("default", config.origin("rnn.train.k1").orElseThrow());
        assertEquals("environment variable KAFKA_BOOTSTRAP_SERVERS",
                config.origin("bootstrap.servers").orElseThrow());
    }

    @Test
    void everySettingIsParsedIntoStreamSettings() {
        AppConfig config = AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn",
                "rnn.topic.input=a, b,c", "rnn.topic.predictions=p", "rnn.topic.dead-letters=d",
                "rnn.model.scope=SHARED", "rnn.model.channels=3", "rnn.model.cell=elman",
                "rnn.model.activation=relu", "rnn.model.hidden=16,8", "rnn.model.seed=-7", "rnn.model.cache-size=5",
                "rnn.train.k1=4", "rnn.train.k2=12", "rnn.train.optimizer=momentum", "rnn.train.learning-rate=0.01",
                "rnn.train.momentum=0.5", "rnn.train.clip-norm=0", "rnn.train.clip-value=2.5",
                "rnn.train.normalise=FALSE", "rnn.forecast.horizon=6", "rnn.time.gap-reset=90s",
                "rnn.state.idle-retention=2d", "rnn.state.idle-scan-interval=15m", "rnn.input.max-abs-value=1000",
                "rnn.anomaly.short-window=5", "rnn.anomaly.long-window=50"));
        StreamSettings s = config.streamSettings();
        assertEquals(List.of("a", "b", "c"), s.inputTopics());
        assertNull(s.inputPattern());
        assertEquals("p", s.predictionsTopic());
        assertEquals("d", s.deadLetterTopic());
        assertEquals(ModelScope.SHARED, s.scope());
        assertEquals(3, s.channels());
        assertEquals(3, s.learner().network().outputSize());
        assertEquals(CellType.ELMAN, s.learner().network().cellType());
        assertEquals(Activation.RELU, s.learner().network().activation());
        assertArrayEquals(new int[] {16, 8}, s.learner().network().hiddenSizes());
        assertEquals(-7L, s.learner().network().seed());
        assertEquals(5, s.modelCacheSize());
        assertEquals(4, s.learner().k1());
        assertEquals(12, s.learner().k2());
        assertEquals(OptimizerConfig.momentum(0.01, 0.5), s.learner().optimizer());
        assertEquals(0.0, s.learner().clipping().maxNorm());
        assertEquals(2.5, s.learner().clipping().maxValue());
        assertEquals(false, s.learner().normaliseInputs());
        assertEquals(6, s.horizon());
        assertEquals(Duration.ofSeconds(90), s.gapReset());
        assertEquals(Duration.ofDays(2), s.idleRetention());
        assertEquals(Duration.ofMinutes(15), s.idleScanInterval());
        assertEquals(1000.0, s.maxAbsValue());
        assertEquals(5, s.anomaly().shortWindow());
        assertEquals(50, s.anomaly().longWindow());
        assertEquals(List.of("rnn.model.cache-size is ignored: it applies to rnn.model.scope=key only"),
                config.warnings());
    }

    @Test
    void sgdAndAdamSettingsReachTheOptimizer() {
        assertEquals(OptimizerConfig.sgd(0.1), AppConfig.of(Map.of("rnn.train.optimizer", "sgd",
                "rnn.train.learning-rate", "0.1")).learnerConfig().optimizer());
        assertEquals(OptimizerConfig.adam(0.002, 0.8, 0.99, 1e-6), AppConfig.of(Map.of(
                "rnn.train.learning-rate", "2e-3", "rnn.train.beta1", "0.8", "rnn.train.beta2", "0.99",
                "rnn.train.epsilon", "1e-6")).learnerConfig().optimizer());
    }

    @Test
    void aPatternReplacesTheDefaultTopicList() {
        AppConfig config = AppConfig.load(null, Map.of("RNN_TOPIC_INPUT_PATTERN", "sensors-.*"), List.of());
        assertEquals(List.of(), config.streamSettings().inputTopics());
        Pattern p = config.streamSettings().inputPattern();
        assertEquals("sensors-.*", p.pattern());
        assertEquals("default, not applied: rnn.topic.input.pattern is set",
                config.origin("rnn.topic.input").orElseThrow());
    }

    @Test
    void anEmptyPatternIsUnsetAndTheDefaultListApplies() {
        AppConfig config = AppConfig.of(Map.of("rnn.topic.input.pattern", ""));
        assertEquals(List.of("sensor-readings"), config.streamSettings().inputTopics());
        assertNull(config.streamSettings().inputPattern());
    }

    @Test
    void environmentNamesAreMatchedAgainstTheKnownSettings() {
        Map<String, String> env = Map.of(
                "RNN_TOPIC_DEAD_LETTERS", "dead",
                "RNN_STATE_IDLE_SCAN_INTERVAL", "PT30M",
                "KAFKA_SASL_JAAS_CONFIG", "org.example.Login required;",
                "KAFKA_RACK_AWARE_ASSIGNMENT_NON_OVERLAP_COST", "3",
                "KAFKA_CONSUMER_MAX_POLL_RECORDS", "250",
                "KAFKA_MAIN_CONSUMER_FETCH_MIN_BYTES", "1024",
                "KAFKA_NUM_STREAM_THREADS", "4",
                "HOME", "/root",
                "JAVA_TOOL_OPTIONS", "-Dx=y");
        env = new java.util.HashMap<>(env);
        // variables of Kafka's scripts and images, and of our log4j2.xml: not settings, ignored without a word
        for (String other : List.of("KAFKA_HEAP_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_LOG4J_OPTS",
                "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_HOME", "KAFKA_LOG_LEVEL", "LOG_LEVEL")) {
            env.put(other, "x");
        }
        AppConfig config = AppConfig.load(null, env, List.of());
        assertEquals("dead", config.streamSettings().deadLetterTopic());
        assertEquals(Duration.ofMinutes(30), config.streamSettings().idleScanInterval());
        var kafka = config.kafkaProperties();
        assertEquals("org.example.Login required;", kafka.getProperty("sasl.jaas.config"));
        assertEquals("3", kafka.getProperty("rack.aware.assignment.non_overlap_cost"));
        assertEquals("250", kafka.getProperty("consumer.max.poll.records"));
        assertEquals("1024", kafka.getProperty("main.consumer.fetch.min.bytes"));
        assertEquals("4", kafka.getProperty("num.stream.threads"));
        assertEquals(8, kafka.size(), kafka.toString());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void unknownRnnEnvironmentVariableFailsWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.load(null, Map.of("RNN_MODEL_HIDEN", "8"), List.of()));
        assertEquals("invalid configuration: unknown environment variable RNN_MODEL_HIDEN: it names no rnn.* "
                + "setting; did you mean 'RNN_MODEL_HIDDEN'?", e.getMessage());
    }

    @Test
    void aNearMissKafkaEnvironmentVariableIsIgnoredWithAWarning() {
        AppConfig config = AppConfig.load(null, Map.of("KAFKA_BOOTSTRAP_SERVER", "x:1"), List.of());
        assertEquals("localhost:9092", config.kafkaProperties().getProperty("bootstrap.servers"));
        assertEquals(List.of("ignoring environment variable KAFKA_BOOTSTRAP_SERVER: it names no Kafka setting; "
                + "did you mean 'KAFKA_BOOTSTRAP_SERVERS'?"), config.warnings());
    }

    @Test
    void environmentValuesAreValidatedAndNamedByTheirVariable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.load(null, Map.of("RNN_TRAIN_K1", "many"), List.of()));
        assertEquals("invalid configuration: rnn.train.k1: invalid value 'many' (from environment variable "
                + "RNN_TRAIN_K1): must be an integer >= 1", e.getMessage());
    }

    @Test
    void valuesAreTrimmedAndFileKeysMayUseAnySeparator() throws IOException {
        Path f = file("rnn.model.hidden = 12 ", "rnn.model.cell: GRU", "# a comment", "");
        AppConfig config = AppConfig.load(f, Map.of(), List.of());
        assertArrayEquals(new int[] {12}, config.learnerConfig().network().hiddenSizes());
        assertEquals(CellType.GRU, config.learnerConfig().network().cellType());
    }

    @Test
    void setValuesMayContainEqualsSigns() {
        AppConfig config = AppConfig.load(null, Map.of(), List.of(
                "sasl.jaas.config=org.example.Login required username=\"u\" password=\"p=q\";"));
        assertEquals("org.example.Login required username=\"u\" password=\"p=q\";",
                config.kafkaProperties().getProperty("sasl.jaas.config"));
    }

    @Test
    void ignoredButChangedSettingsAreWarnedAbout() {
        AppConfig config = AppConfig.of(Map.of("rnn.learner", "rnn", "rnn.model.activation", "relu",
                "rnn.train.momentum", "0.5", "rnn.train.beta1", "0.9", "processing.guarantee", "at_least_once"));
        assertEquals(List.of(
                "rnn.model.activation is ignored: only the elman cell uses it, rnn.model.cell is lstm",
                "rnn.train.momentum is ignored: only the momentum optimizer uses it, rnn.train.optimizer is adam",
                "processing.guarantee=at_least_once: after a crash some readings may yield their prediction or "
                        + "dead letter twice; exactly_once_v2 gives exactly one"), config.warnings());
    }

    /**
     * The hybrid learner (the default) trains its network with its own Adam rate on the linear path's error: the
     * plain RNN's optimizer settings and rnn.model.residual, when changed, are warned about, each naming the fix.
     */
    @Test
    void settingsTheHybridIgnoresAreWarnedAboutWithTheFix() {
        AppConfig config = AppConfig.of(Map.of("rnn.train.learning-rate", "0.01", "rnn.train.optimizer", "sgd",
                "rnn.model.residual", "false", "rnn.train.beta1", "0.9"));
        assertEquals(List.of(
                "rnn.train.optimizer is ignored: rnn.learner is hybrid, whose network learns the linear path's "
                        + "error with Adam at 0.003; set rnn.learner=rnn to use it",
                "rnn.train.learning-rate is ignored: rnn.learner is hybrid, whose network learns the linear path's "
                        + "error with Adam at 0.003; set rnn.learner=rnn to use it",
                "rnn.model.residual is ignored: rnn.learner is hybrid, whose network learns the linear path's "
                        + "error with Adam at 0.003; set rnn.learner=rnn to use it"), config.warnings());
        assertEquals(List.of(), AppConfig.of(Map.of("rnn.learner", "rnn", "rnn.train.learning-rate", "0.01"))
                .warnings(), "the plain RNN uses it");
    }
}
