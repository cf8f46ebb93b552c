package io.rnnstreams.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one table of settings, and the example properties file generated from it. */
class SettingsTest {
    private static final String EXAMPLE = "/rnn-streams.properties";
    private static final Pattern ASSIGNMENT = Pattern.compile("^(#?)([a-z][a-z0-9._-]*)=(.*)$");

    private static String example() throws IOException {
        try (InputStream in = SettingsTest.class.getResourceAsStream(EXAMPLE)) {
            assertNotNull(in, EXAMPLE + " is missing from the resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSettingsAreTheDocumentedOnes() {
        assertEquals(List.of("rnn.topic.input", "rnn.topic.input.pattern", "rnn.topic.predictions",
                "rnn.topic.dead-letters", "rnn.topic.lagged", "rnn.format.input", "rnn.format.output", "rnn.registry.url",
                "rnn.registry.timeout", "rnn.learner", "rnn.hybrid.period", "rnn.hybrid.ar-order", "rnn.model.scope", "rnn.model.channels", "rnn.model.cell",
                "rnn.model.activation", "rnn.model.hidden", "rnn.model.residual", "rnn.model.seed", "rnn.model.init",
                "rnn.model.cache-size", "rnn.model.cache-bytes", "rnn.train.k1",
                "rnn.train.k2", "rnn.train.optimizer", "rnn.train.learning-rate", "rnn.train.momentum",
                "rnn.train.beta1", "rnn.train.beta2", "rnn.train.epsilon", "rnn.train.clip-norm",
                "rnn.train.clip-value", "rnn.train.normalise", "rnn.forecast.horizon", "rnn.forecast.mode", "rnn.forecast.period", "rnn.smoothing.lag", "rnn.time.gap-reset",
                "rnn.time.gap-multiple", "rnn.time.max-ahead", "rnn.state.idle-retention", "rnn.state.idle-scan-interval",
                "rnn.state.rocksdb-memory", "rnn.state.held-keys", "rnn.input.max-abs-value", "rnn.input.max-key-bytes",
                "rnn.anomaly.short-window", "rnn.anomaly.long-window", "rnn.anomaly.threshold", "rnn.anomaly.quiet",
                "rnn.anomaly.warm-up", "rnn.anomaly.hold-limit", "rnn.anomaly.quarantine",
                "rnn.http.enabled", "rnn.http.bind", "rnn.http.port", "rnn.http.forecast.max-steps"), Settings.names());
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            defaults.put(s.name(), s.defaultValue());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("rnn.topic.input", "sensor-readings");
        expected.put("rnn.topic.input.pattern", null);
        expected.put("rnn.topic.predictions", "predictions");
        expected.put("rnn.topic.dead-letters", "sensor-readings-dlq");
        expected.put("rnn.topic.lagged", null);
        expected.put("rnn.format.input", "single-object");
        expected.put("rnn.format.output", "single-object");
        expected.put("rnn.registry.url", null);
        expected.put("rnn.registry.timeout", "10s");
        expected.put("rnn.learner", "hybrid");
        expected.put("rnn.hybrid.period", "0");
        expected.put("rnn.hybrid.ar-order", "8");
        expected.put("rnn.model.scope", "shared");
        expected.put("rnn.model.channels", "1");
        expected.put("rnn.model.cell", null); // per learner (h16g)
        expected.put("rnn.model.activation", "tanh");
        expected.put("rnn.model.hidden", null); // per learner, below
        expected.put("rnn.model.residual", "true");
        expected.put("rnn.model.seed", "42");
        expected.put("rnn.model.init", null);
        expected.put("rnn.model.cache-size", "1000");
        expected.put("rnn.model.cache-bytes", "268435456");
        expected.put("rnn.train.k1", "16");
        expected.put("rnn.train.k2", "16");
        expected.put("rnn.train.optimizer", "adam");
        expected.put("rnn.train.learning-rate", "0.001");
        expected.put("rnn.train.momentum", "0.9");
        expected.put("rnn.train.beta1", "0.9");
        expected.put("rnn.train.beta2", "0.999");
        expected.put("rnn.train.epsilon", "1e-8");
        expected.put("rnn.train.clip-norm", "1.0");
        expected.put("rnn.train.clip-value", "0");
        expected.put("rnn.train.normalise", "true");
        expected.put("rnn.forecast.horizon", "1");
        expected.put("rnn.forecast.mode", "recursive");
        expected.put("rnn.forecast.period", "0");
        expected.put("rnn.smoothing.lag", "0");
        expected.put("rnn.time.gap-reset", "PT1H");
        expected.put("rnn.time.gap-multiple", "3");
        expected.put("rnn.time.max-ahead", "PT10M");
        expected.put("rnn.state.idle-retention", "P7D");
        expected.put("rnn.state.idle-scan-interval", "PT1H");
        expected.put("rnn.state.rocksdb-memory", "67108864");
        expected.put("rnn.state.held-keys", "1000");
        expected.put("rnn.input.max-abs-value", "1e12");
        expected.put("rnn.input.max-key-bytes", "1024");
        expected.put("rnn.anomaly.short-window", "10");
        expected.put("rnn.anomaly.long-window", "3000");
        expected.put("rnn.anomaly.threshold", "0.9999");
        expected.put("rnn.anomaly.quiet", "30");
        expected.put("rnn.anomaly.warm-up", "100");
        expected.put("rnn.anomaly.hold-limit", "1000");
        expected.put("rnn.anomaly.quarantine", "true");
        expected.put("rnn.http.enabled", "false");
        expected.put("rnn.http.bind", "127.0.0.1");
        expected.put("rnn.http.port", "8080");
        expected.put("rnn.http.forecast.max-steps", "100");
        assertEquals(expected, defaults);
        // h16, h16g: the hybrid's recurrent corrector defaults to a GRU of 16 hidden units, the plain RNN stays an
        // LSTM of 32; the only settings whose defaults depend on the learner
        for (Setting<?> s : Settings.ALL) {
            assertEquals(s == Settings.MODEL_HIDDEN ? Map.of("hybrid", "16", "rnn", "32")
                    : s == Settings.MODEL_CELL ? Map.of("hybrid", "gru", "rnn", "lstm") : Map.of(),
                    s.learnerDefaults(), s.name());
        }
        assertEquals("gru (rnn.learner=hybrid), lstm (rnn.learner=rnn)", Settings.MODEL_CELL.defaultText());
        assertEquals("16 (rnn.learner=hybrid), 32 (rnn.learner=rnn)", Settings.MODEL_HIDDEN.defaultText());
    }

    @Test
    void everySettingIsDocumentedAndHasItsOwnEnvironmentVariable() {
        Set<String> variables = new HashSet<>();
        for (Setting<?> s : Settings.ALL) {
            assertTrue(s.doc().length() > 10, s.name());
            assertTrue(!s.allowed().isBlank(), s.name());
            assertTrue(variables.add(s.environmentVariable()), s.name());
            assertEquals(s, Settings.byName(s.name()).orElseThrow());
        }
        assertEquals("RNN_TOPIC_DEAD_LETTERS", Settings.TOPIC_DEAD_LETTERS.environmentVariable());
        assertEquals("RNN_STATE_IDLE_SCAN_INTERVAL", Settings.STATE_IDLE_SCAN_INTERVAL.environmentVariable());
    }

    @Test
    void theExampleFileIsGeneratedFromTheSettings() throws IOException {
        assertEquals(Settings.exampleProperties(), example(), "processor/src/main/resources/rnn-streams.properties "
                + "is out of date; regenerate it with: rnn-streams settings --format properties");
    }

    @Test
    void theExampleFileListsExactlyTheDefinedSettingsWithTheirDefaults() throws IOException {
        Map<String, String> rnn = new LinkedHashMap<>();
        List<String> commentedOut = new ArrayList<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        for (String line : example().split("\n")) {
            Matcher m = ASSIGNMENT.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(2);
            boolean commented = !m.group(1).isEmpty();
            if (key.startsWith("rnn.")) {
                assertEquals(null, rnn.put(key, m.group(3)), key + " is listed twice");
                if (commented) {
                    commentedOut.add(key);
                }
            } else if (!commented) {
                kafka.put(key, m.group(3));
            }
        }
        assertEquals(Settings.names(), List.copyOf(rnn.keySet()));
        for (Setting<?> s : Settings.ALL) {
            assertEquals(s.defaultValue() == null ? "" : s.defaultValue(), rnn.get(s.name()), s.name());
        }
        // rnn.model.hidden's default depends on rnn.learner: a value in the file would pin it for both learners
        assertEquals(List.of("rnn.topic.input.pattern", "rnn.topic.lagged", "rnn.registry.url", "rnn.model.cell",
                "rnn.model.hidden", "rnn.model.init"), commentedOut, "only settings unset by default or whose default depends on the "
                + "learner are commented out");
        assertTrue(example().contains("# Type: list<int>. Allowed: comma-separated integers >= 1. Default: 16 "
                + "(rnn.learner=hybrid), 32\n# (rnn.learner=rnn). Environment: RNN_MODEL_HIDDEN.\n#rnn.model.hidden=\n"),
                "the file documents both defaults");
        assertEquals(Map.of("application.id", "rnn-streams", "bootstrap.servers", "localhost:9092",
                "processing.guarantee", "exactly_once_v2"), kafka);
    }

    @Test
    void loadingTheExampleFileGivesTheDefaultsWithoutWarnings() throws URISyntaxException {
        Path file = Path.of(SettingsTest.class.getResource(EXAMPLE).toURI());
        AppConfig fromFile = AppConfig.load(file, Map.of(), List.of());
        AppConfig defaults = AppConfig.defaults();
        assertEquals(defaults.streamSettings(), fromFile.streamSettings());
        assertEquals(defaults.kafkaProperties(), fromFile.kafkaProperties());
        assertEquals(List.of(), fromFile.warnings());
    }

    @Test
    void theTableListsEverySettingWithDefaultAndAllowedValues() {
        String table = Settings.table();
        List<String> lines = table.lines().toList();
        for (Setting<?> s : Settings.ALL) {
            String row = lines.stream().filter(l -> l.startsWith(s.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(s.name() + " missing from\n" + table));
            String dflt = s.defaultText() == null ? "(unset)" : SettingsDocs.wrap(s.defaultText(), 24).get(0);
            assertTrue(row.matches(Pattern.quote(s.name()) + " +" + Pattern.quote(dflt) + " .*"), row);
        }
        // the DEFAULT column is 24 wide since rnn.model.hidden's default per learner (h16)
        assertTrue(lines.contains("rnn.model.activation          tanh                      tanh, sigmoid, relu            "
                + "Activation of the elman cell (gru and lstm ignore it)."), table);
        String markdown = Settings.markdown();
        assertTrue(markdown.contains("| `rnn.model.cell` | gru (rnn.learner=hybrid), lstm (rnn.learner=rnn) | elman, "
                + "gru, lstm | Recurrent cell of every layer. Unset, it depends on rnn.learner"), markdown);
        assertEquals(2 + Settings.ALL.size() + 3, markdown.lines().count());
        assertTrue(markdown.contains("| `rnn.model.hidden` | 16 (rnn.learner=hybrid), 32 (rnn.learner=rnn) | "),
                markdown);
    }

    @ParameterizedTest
    @CsvSource({"PT1H, 3600", "pt1h, 3600", "P7D, 604800", "PT0.5S, 0.5", "90s, 90", "15m, 900", "2h, 7200",
        "7d, 604800", "250ms, 0.25", "PT1H30M, 5400"})
    void durations(String text, double seconds) {
        Duration d = Settings.TIME_GAP_RESET.parse(text);
        assertEquals(seconds, d.toNanos() / 1e9, text);
    }

    @Test
    void wrapBreaksAtSpaces() {
        assertEquals(List.of("aaa bb", "c dddd"), SettingsDocs.wrap("aaa bb c dddd", 6));
        assertEquals(List.of("x", "longerword", "y"), SettingsDocs.wrap("x longerword y", 3));
        assertEquals(List.of(""), SettingsDocs.wrap("", 5));
    }

    @Test
    void suggestionsAreWithinTwoEdits() {
        assertEquals(List.of("rnn.model.hidden"), Suggestions.closest("rnn.modle.hidden", Settings.names()));
        assertEquals(List.of("rnn.train.k1", "rnn.train.k2"), Suggestions.closest("rnn.train.k3", Settings.names()));
        assertEquals(List.of(), Suggestions.closest("rnn.model.layers", Settings.names()));
        assertEquals(List.of(), Suggestions.closest("abcd", List.of("wxyz", "abxyz", "xbcdyz")), "3 edits away");
        assertEquals(List.of("abxy"), Suggestions.closest("abcd", List.of("wxyz", "abxy")));
        assertEquals(3, Suggestions.distance("kitten", "sitting", 5));
        assertEquals(3, Suggestions.distance("kitten", "sitting", 2));
    }
}
