package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error names the setting; bad values name the value and what is allowed; all errors come at once. */
class AppConfigValidationTest {
    @TempDir
    Path dir;

    private static ConfigException fails(String... sets) {
        return assertThrows(ConfigException.class, () -> AppConfig.load(null, Map.of(), List.of(sets)));
    }

    private static String only(ConfigException e) {
        assertEquals(1, e.errors().size(), e.getMessage());
        assertEquals("invalid configuration: " + e.errors().get(0), e.getMessage());
        return e.errors().get(0);
    }

    @Test
    void unknownRnnKeyIsNamedWithASuggestion() {
        assertEquals("unknown setting 'rnn.model.hiden' (from --set); did you mean 'rnn.model.hidden'?",
                only(fails("rnn.model.hiden=64")));
        assertEquals("unknown setting 'rnn.train.rate' (from --set)", only(fails("rnn.train.rate=0.1")));
    }

    /** rnn.learner and rnn.hybrid.*: bad values name the setting and what is allowed; the hybrid's constraints. */
    @Test
    void theLearnerChoiceIsValidated() {
        assertEquals(true, AppConfig.load(null, Map.of(), List.of("rnn.learner=hybrid", "rnn.hybrid.period=24"))
                .streamSettings().learnerChoice().hybrid());
        assertEquals(new LearnerChoice(LearnerChoice.Kind.HYBRID, 0, 8),
                AppConfig.load(null, Map.of(), List.of()).streamSettings().learnerChoice(), "the default");
        assertEquals(LearnerChoice.RNN, AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn"))
                .streamSettings().learnerChoice());
        assertEquals(true, only(fails("rnn.learner=arima")).startsWith("rnn.learner: invalid value 'arima'"),
                "names the setting");
        assertEquals(true, only(fails("rnn.learner=arima")).contains("rnn, hybrid"), "names what is allowed");
        assertEquals(true, only(fails("rnn.hybrid.period=-1")).contains("an integer in [0, 10000]"));
        assertEquals(true, only(fails("rnn.hybrid.ar-order=0")).contains("an integer in [1, 64]"));
        assertEquals("rnn.forecast.horizon=3 (from --set) needs the plain RNN: rnn.learner is hybrid (from --set), "
                + "which forecasts one step; set rnn.learner=rnn to forecast 3 steps, or rnn.forecast.horizon=1",
                only(fails("rnn.learner=hybrid", "rnn.forecast.horizon=3")));
    }

    /**
     * With the hybrid learner the default, a user who sets only what the hybrid cannot run (more than one step, the
     * encoder-decoder, a plain RNN's model file) gets one error per setting, naming it, its value, where it came
     * from, that rnn.learner is hybrid by default, and the fix (rnn.learner=rnn); with rnn.learner=rnn each is
     * accepted.
     */
    @Test
    void whatTheDefaultHybridCannotRunIsRefusedNamingTheFix() throws Exception {
        assertEquals("rnn.forecast.horizon=6 (from --set) needs the plain RNN: rnn.learner is hybrid (default), "
                + "which forecasts one step; set rnn.learner=rnn to forecast 6 steps, or rnn.forecast.horizon=1",
                only(fails("rnn.forecast.horizon=6")));
        assertEquals("rnn.forecast.horizon=6 (from environment variable RNN_FORECAST_HORIZON) needs the plain RNN: "
                + "rnn.learner is hybrid (default), which forecasts one step; set rnn.learner=rnn to forecast 6 "
                + "steps, or rnn.forecast.horizon=1", only(assertThrows(ConfigException.class, () -> AppConfig.load(
                null, Map.of("RNN_FORECAST_HORIZON", "6"), List.of()))));
        assertEquals(List.of(
                "rnn.forecast.horizon=12 (from --set) needs the plain RNN: rnn.learner is hybrid (default), which "
                        + "forecasts one step; set rnn.learner=rnn to forecast 12 steps, or rnn.forecast.horizon=1",
                "rnn.forecast.mode=seq2seq (from --set) needs the plain RNN: rnn.learner is hybrid (default); set "
                        + "rnn.learner=rnn to run the encoder-decoder"),
                fails("rnn.forecast.mode=seq2seq", "rnn.forecast.horizon=12").errors());
        Path model = Files.writeString(dir.resolve("warm.avro"), "x");
        assertEquals("rnn.model.init=" + model + " (from --set) needs the plain RNN: rnn.learner is hybrid "
                + "(default), which cannot start from a plain RNN's model file; set rnn.learner=rnn to warm-start "
                + "from it, or unset rnn.model.init", only(fails("rnn.model.init=" + model)));
        for (ConfigException refused : List.of(fails("rnn.forecast.horizon=6"), fails("rnn.forecast.mode=seq2seq"),
                fails("rnn.model.init=" + model))) {
            for (String problem : refused.errors()) {
                assertEquals(true, problem.contains("set rnn.learner=rnn"), problem);
            }
        }
        assertEquals(6, AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn", "rnn.forecast.horizon=6"))
                .streamSettings().horizon());
        assertEquals(true, AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn", "rnn.forecast.mode=seq2seq",
                "rnn.forecast.horizon=12")).streamSettings().seq2seq());
        assertEquals(model, AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn", "rnn.model.init=" + model))
                .streamSettings().modelInit());
    }

    /**
     * rnn.forecast.mode: recursive by default; seq2seq needs the plain RNN, a horizon of at least 2 and no warm
     * start; every refusal names the setting, the value and what is allowed.
     */
    @Test
    void theForecastModeIsValidated() {
        assertEquals(ForecastMode.RECURSIVE, AppConfig.load(null, Map.of(), List.of()).streamSettings().forecastMode());
        StreamSettings seq2seq = AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn", "rnn.forecast.mode=seq2seq",
                "rnn.forecast.horizon=24")).streamSettings();
        assertEquals(true, seq2seq.seq2seq());
        assertEquals(24, seq2seq.seq2seqConfig().horizon());
        assertEquals(true, only(fails("rnn.forecast.mode=direct")).startsWith("rnn.forecast.mode: invalid value "
                + "'direct'"), "names the setting and the value");
        assertEquals(true, only(fails("rnn.forecast.mode=direct")).contains("recursive, seq2seq"),
                "names what is allowed");
        assertEquals(true, only(fails("rnn.learner=rnn", "rnn.forecast.mode=seq2seq")).contains("rnn.forecast.mode=seq2seq decodes "
                + "rnn.forecast.horizon readings at every reading: rnn.forecast.horizon must be in [2, 1000], got 1"));
        assertEquals(true, fails("rnn.forecast.mode=seq2seq", "rnn.learner=hybrid").errors().contains(
                "rnn.forecast.mode=seq2seq (from --set) needs the plain RNN: rnn.learner is hybrid (from --set); set "
                        + "rnn.learner=rnn to run the encoder-decoder"));
    }

    /**
     * rnn.forecast.mode=seq2seq serves the corrected encoder-decoder (persistence and a smoothed level in its base,
     * combined at their minimum error variance, the gain weighed against the base, no lag inputs); rnn.forecast.period (0 by default) adds seasonal persistence, in [0, 1000] and
     * only with seq2seq; the corrected one needs residual mode. Every refusal names the setting, the value and the fix.
     */
    @Test
    void theSeq2SeqServesTheCorrectedEncoderDecoderAndItsPeriodIsValidated() {
        io.rnnstreams.model.Seq2SeqConfig served = AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn",
                "rnn.forecast.mode=seq2seq", "rnn.forecast.horizon=24")).streamSettings().seq2seqConfig();
        assertEquals(true, served.corrected());
        assertEquals(io.rnnstreams.model.Seq2SeqConfig.Level.BOTH, served.level());
        assertEquals(false, served.lagInputs());
        assertEquals(0, served.period());
        assertEquals(io.rnnstreams.model.Seq2SeqConfig.Combination.MIN_VARIANCE, served.combination());
        assertEquals(io.rnnstreams.model.Seq2SeqConfig.GainRule.CHOSEN, served.gainRule());
        assertEquals(24, AppConfig.load(null, Map.of(), List.of("rnn.learner=rnn", "rnn.forecast.mode=seq2seq",
                "rnn.forecast.horizon=24", "rnn.forecast.period=24")).streamSettings().seq2seqConfig().period());
        assertEquals(true, only(fails("rnn.forecast.period=1001")).startsWith("rnn.forecast.period: invalid value "
                + "'1001'"), "names the setting and the value");
        assertEquals(true, only(fails("rnn.forecast.period=1001")).contains("an integer in [0, 1000]"),
                "names what is allowed");
        assertEquals(true, only(fails("rnn.learner=rnn", "rnn.forecast.period=24")).contains("rnn.forecast.period is "
                + "the encoder-decoder's seasonal period: it needs rnn.forecast.mode=seq2seq, got "
                + "rnn.forecast.period=24 with rnn.forecast.mode=recursive; unset it, or set rnn.forecast.mode=seq2seq"));
        assertEquals(true, only(fails("rnn.learner=rnn", "rnn.forecast.mode=seq2seq", "rnn.forecast.horizon=6",
                "rnn.model.residual=false")).contains("rnn.forecast.mode=seq2seq corrects a base forecast (the "
                + "residual's last reading generalised): it needs rnn.model.residual=true, got false"));
    }

    /** rnn.smoothing.lag: off by default; 1..100; its topic defaults to <predictions>-lagged and must differ. */
    @Test
    void theSmoothingIsValidated() {
        assertEquals(Smoothing.OFF.lag(), AppConfig.load(null, Map.of(), List.of()).streamSettings().smoothing().lag());
        Smoothing on = AppConfig.load(null, Map.of(), List.of("rnn.smoothing.lag=5", "rnn.topic.predictions=p"))
                .streamSettings().smoothing();
        assertEquals(new Smoothing(5, "p-lagged"), on);
        assertEquals("other", AppConfig.load(null, Map.of(), List.of("rnn.smoothing.lag=5", "rnn.topic.lagged=other"))
                .streamSettings().smoothing().laggedTopic());
        assertEquals(true, only(fails("rnn.smoothing.lag=101")).startsWith("rnn.smoothing.lag: invalid value '101'"),
                "names the setting and the value");
        assertEquals(true, only(fails("rnn.smoothing.lag=101")).contains("an integer in [0, 100] (0 = off)"),
                "names what is allowed");
        assertEquals(true, only(fails("rnn.smoothing.lag=2", "rnn.topic.lagged=predictions")).contains(
                "rnn.topic.lagged must differ from the input, predictions and dead-letter topics, got predictions"));
    }

    @Test
    void unknownKafkaKeyIsNamedWithASuggestionWhenClose() {
        assertEquals("unknown setting 'bootstrap.server' (from --set): neither an rnn.* setting nor a Kafka "
                + "Streams, consumer, producer, admin or topic config; did you mean 'bootstrap.servers'?",
                only(fails("bootstrap.server=k:9092")));
        assertEquals("unknown setting 'foo.bar' (from --set): neither an rnn.* setting nor a Kafka Streams, "
                + "consumer, producer, admin or topic config", only(fails("foo.bar=1")));
        assertEquals("unknown setting 'consumer.max.poll.record' (from --set): neither an rnn.* setting nor a "
                + "Kafka Streams, consumer, producer, admin or topic config; did you mean "
                + "'consumer.max.poll.records'?", only(fails("consumer.max.poll.record=5")));
    }

    @Test
    void aPrefixOnlyTakesItsClientsSettings() {
        assertEquals("unknown setting 'consumer.acks' (from --set): neither an rnn.* setting nor a Kafka "
                + "Streams, consumer, producer, admin or topic config", only(fails("consumer.acks=all")));
        assertEquals("unknown setting 'topic.max.poll.records' (from --set): neither an rnn.* setting nor a "
                + "Kafka Streams, consumer, producer, admin or topic config", only(fails("topic.max.poll.records=1")));
    }

    @Test
    void unknownKeyInAFileNamesTheFile() throws IOException {
        Path f = dir.resolve("app.properties");
        Files.write(f, List.of("rnn.model.cel=gru"), StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f, Map.of(), List.of()));
        assertEquals("unknown setting 'rnn.model.cel' (from file " + f + "); did you mean 'rnn.model.cell'?",
                only(e));
    }

    @Test
    void badEnumValueListsTheAllowedValues() {
        assertEquals("rnn.model.cell: invalid value 'cnn' (from --set): must be one of elman, gru, lstm",
                only(fails("rnn.model.cell=cnn")));
        assertEquals("rnn.train.optimizer: invalid value 'rmsprop' (from --set): must be one of sgd, momentum, adam",
                only(fails("rnn.train.optimizer=rmsprop")));
        assertEquals("rnn.model.scope: invalid value 'global' (from --set): must be one of key, shared",
                only(fails("rnn.model.scope=global")));
        assertEquals("rnn.model.activation: invalid value 'gelu' (from --set): must be one of tanh, sigmoid, relu",
                only(fails("rnn.model.activation=gelu")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "rnn.model.channels=-3       | rnn.model.channels: invalid value '-3' (from --set): must be an integer >= 1",
        "rnn.model.channels=0        | rnn.model.channels: invalid value '0' (from --set): must be an integer >= 1",
        "rnn.model.cache-size=-1     | rnn.model.cache-size: invalid value '-1' (from --set): must be an integer >= 1",
        "rnn.train.k1=-2             | rnn.train.k1: invalid value '-2' (from --set): must be an integer >= 1",
        "rnn.train.learning-rate=-0.1 | rnn.train.learning-rate: invalid value '-0.1' (from --set): must be a number > 0",
        "rnn.train.learning-rate=NaN | rnn.train.learning-rate: invalid value 'NaN' (from --set): must be a number > 0",
        "rnn.train.momentum=1        | rnn.train.momentum: invalid value '1' (from --set): must be a number in [0, 1)",
        "rnn.train.beta2=-0.5        | rnn.train.beta2: invalid value '-0.5' (from --set): must be a number in [0, 1)",
        "rnn.train.epsilon=0         | rnn.train.epsilon: invalid value '0' (from --set): must be a number > 0",
        "rnn.train.clip-norm=-1      | rnn.train.clip-norm: invalid value '-1' (from --set): must be a number >= 0 (0 = off)",
        "rnn.train.clip-value=1.5f   | rnn.train.clip-value: invalid value '1.5f' (from --set): must be a number >= 0 (0 = off)",
        "rnn.train.normalise=yes     | rnn.train.normalise: invalid value 'yes' (from --set): must be true or false",
        "rnn.forecast.horizon=1001   | rnn.forecast.horizon: invalid value '1001' (from --set): must be an integer in [1, 1000]",
        "rnn.input.max-abs-value=0   | rnn.input.max-abs-value: invalid value '0' (from --set): must be a number in (0, 1e100]",
        "rnn.state.held-keys=-1     | rnn.state.held-keys: invalid value '-1' (from --set): must be an integer in [0, 1000000]",
        "rnn.anomaly.short-window=1  | rnn.anomaly.short-window: invalid value '1' (from --set): must be an integer >= 2",
        "rnn.model.seed=1.5          | rnn.model.seed: invalid value '1.5' (from --set): must be a whole number in [-9223372036854775808, 9223372036854775807]",
        "rnn.model.hidden=32,-4      | rnn.model.hidden: invalid value '32,-4' (from --set): must be a comma-separated list of layer sizes, each an integer >= 1 (bottom layer first, e.g. 64,32)",
        "rnn.model.hidden=           | rnn.model.hidden: invalid value '' (from --set): must be a comma-separated list of layer sizes, each an integer >= 1 (bottom layer first, e.g. 64,32)",
        "rnn.topic.predictions=a b   | rnn.topic.predictions: invalid value 'a b' (from --set): must be a Kafka topic name: 1 to 249 of [a-zA-Z0-9._-]",
        "rnn.topic.input=a,,b        | rnn.topic.input: invalid value 'a,,b' (from --set): must be a comma-separated list of Kafka topic names (1 to 249 of [a-zA-Z0-9._-] each), got the entry ''",
        "rnn.topic.input=a,a         | rnn.topic.input: invalid value 'a,a' (from --set): must list each topic once, got 'a' twice",
        "rnn.topic.input.pattern=(x  | rnn.topic.input.pattern: invalid value '(x' (from --set): must be a Java regular expression (Unclosed group near index 2)",
    })
    void badValueNamesSettingValueAndAllowedRange(String set, String message) {
        assertEquals(message, only(fails(set)));
    }

    @ParameterizedTest
    @CsvSource({"1 hour", "0s", "PT0S", "-1h", "PT-1H", "10", "1.5h", "1w", "P"})
    void badDurationIsNamed(String value) {
        assertEquals("rnn.time.gap-reset: invalid value '" + value + "' (from --set): must be a positive ISO-8601 "
                + "duration (e.g. PT1H, P7D) or a whole number with unit ms, s, m, h or d (e.g. 90s, 15m, 2h, 7d)",
                only(fails("rnn.time.gap-reset=" + value)));
    }

    @Test
    void k1AboveK2IsNamed() {
        assertEquals("rnn.train.k1 (32) must be <= rnn.train.k2 (16): truncated BPTT trains every k1 readings on "
                + "a window of the last k2", only(fails("rnn.train.k1=32")));
    }

    @Test
    void longAnomalyWindowMustExceedTheShortOne() {
        assertEquals("rnn.anomaly.long-window (20) must be > rnn.anomaly.short-window (20)",
                only(fails("rnn.anomaly.short-window=20", "rnn.anomaly.long-window=20")));
    }

    @Test
    void topicsMustDiffer() {
        assertEquals("rnn.topic.predictions and rnn.topic.dead-letters must differ, both are 'out'",
                only(fails("rnn.topic.predictions=out", "rnn.topic.dead-letters=out")));
        assertEquals("rnn.topic.input must not contain the rnn.topic.predictions topic 'predictions'",
                only(fails("rnn.topic.input=s1,predictions")));
    }

    @Test
    void patternAndListBothSetExplicitlyIsAnError() throws IOException {
        Path f = dir.resolve("app.properties");
        Files.write(f, List.of("rnn.topic.input=plant-a"), StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.load(f, Map.of(), List.of("rnn.topic.input.pattern=plant-.*")));
        assertEquals("rnn.topic.input (from file " + f + ") and rnn.topic.input.pattern (from --set) are both set: "
                + "set only one, a list of topics or a regular expression", only(e));
    }

    @Test
    void anExplicitlyEmptyListNeedsAPattern() {
        assertEquals("no input topic: set rnn.topic.input (a list of topics) or rnn.topic.input.pattern "
                + "(a regular expression)", only(fails("rnn.topic.input=")));
        AppConfig ok = AppConfig.load(null, Map.of(), List.of("rnn.topic.input=", "rnn.topic.input.pattern=s.*"));
        assertEquals(List.of(), ok.streamSettings().inputTopics());
    }

    @Test
    void badKafkaValueIsNamedWithTheAllowedValues() {
        assertEquals("processing.guarantee: invalid value 'exactly_once' (from --set): String must be one of: "
                + "at_least_once, exactly_once_v2", only(fails("processing.guarantee=exactly_once")));
        assertEquals("consumer.max.poll.records: invalid value 'abc' (from --set): Not a number of type INT",
                only(fails("consumer.max.poll.records=abc")));
    }

    @Test
    void malformedSetFlag() {
        assertEquals("--set 'rnn.model.hidden' must have the form key=value", only(fails("rnn.model.hidden")));
        assertEquals("--set '=5' must have the form key=value", only(fails("=5")));
    }

    @Test
    void missingFileIsAnError() {
        Path missing = dir.resolve("missing.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(missing, Map.of(), List.of()));
        assertEquals("configuration file " + missing + " does not exist", only(e));
    }

    @Test
    void allErrorsAreReportedTogetherOnePerLine() throws IOException {
        Path f = dir.resolve("app.properties");
        Files.write(f, List.of("rnn.model.cell=cnn", "bootstrap.server=x:1"), StandardCharsets.UTF_8);
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.load(f,
                Map.of("RNN_MODEL_HIDEN", "8", "RNN_TRAIN_K2", "8"),
                List.of("rnn.train.k1=12", "rnn.time.gap-reset=soon", "processing.guarantee=maybe")));
        List<String> expected = List.of(
                "unknown setting 'bootstrap.server' (from file " + f + "): neither an rnn.* setting nor a Kafka "
                        + "Streams, consumer, producer, admin or topic config; did you mean 'bootstrap.servers'?",
                "unknown environment variable RNN_MODEL_HIDEN: it names no rnn.* setting; did you mean "
                        + "'RNN_MODEL_HIDDEN'?",
                "rnn.model.cell: invalid value 'cnn' (from file " + f + "): must be one of elman, gru, lstm",
                "rnn.time.gap-reset: invalid value 'soon' (from --set): must be a positive ISO-8601 duration "
                        + "(e.g. PT1H, P7D) or a whole number with unit ms, s, m, h or d (e.g. 90s, 15m, 2h, 7d)",
                "rnn.train.k1 (12) must be <= rnn.train.k2 (8): truncated BPTT trains every k1 readings on a "
                        + "window of the last k2",
                "processing.guarantee: invalid value 'maybe' (from --set): String must be one of: at_least_once, "
                        + "exactly_once_v2");
        assertEquals(expected, e.errors());
        assertEquals("invalid configuration (6 errors):\n  - " + String.join("\n  - ", expected), e.getMessage());
    }

    @Test
    void ofReportsErrorsToo() {
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.of(Map.of("rnn.model.channels", "x")));
        assertEquals("invalid configuration: rnn.model.channels: invalid value 'x' (from given): must be an integer "
                + ">= 1", e.getMessage());
    }
}
