package io.rnnstreams.config;

import io.rnnstreams.eval.detection.DetectorConfig;
import io.rnnstreams.learner.HybridForecaster;
import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.Activation;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.GradientClipping;
import io.rnnstreams.model.LearnerConfig;
import io.rnnstreams.model.NetworkConfig;
import io.rnnstreams.model.OptimizerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's configuration: typed, validated and immutable. Built from, lowest to highest precedence,
 * the built-in defaults ({@link Settings}, {@link KafkaSettings#DEFAULTS}), a properties file, environment
 * variables, and {@code --set key=value} flags. The result is the topology's {@link StreamSettings} and the
 * {@link Properties} handed to Kafka Streams.
 *
 * <p>Keys named {@code rnn.*} are ours and must be defined in {@link Settings}; every other key must be a
 * Kafka setting (see {@link KafkaSettings}). Environment variables: {@code RNN_MODEL_HIDDEN} sets
 * {@code rnn.model.hidden}, {@code KAFKA_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}; the names are
 * matched against the known settings, so {@code KAFKA_RACK_AWARE_ASSIGNMENT_NON_OVERLAP_COST} finds
 * {@code rack.aware.assignment.non_overlap_cost}. An unknown {@code RNN_*} variable is an error; other
 * variables, unknown {@code KAFKA_*} ones included (think {@code KAFKA_HEAP_OPTS}), are ignored.
 *
 * <p>Every problem found is reported at once in one {@link ConfigException}.
 */
public final class AppConfig {
    /** The origin of a built-in default value, for {@link #describe()} and error messages. */
    static final String DEFAULT = "default";

    private final StreamSettings streamSettings;
    private final Map<Setting<?>, Object> typed;
    private final Map<String, Entry> rnnValues;
    private final Map<String, Entry> kafkaValues;
    private final Properties kafka;
    private final List<String> warnings;

    /** One effective text value and where it came from. */
    private record Entry(String value, String origin) {
    }

    private AppConfig(StreamSettings streamSettings, Map<Setting<?>, Object> typed, Map<String, Entry> rnnValues,
                      Map<String, Entry> kafkaValues, List<String> warnings) {
        this.streamSettings = streamSettings;
        this.typed = Collections.unmodifiableMap(new HashMap<>(typed));
        this.rnnValues = Collections.unmodifiableMap(new LinkedHashMap<>(rnnValues));
        this.kafkaValues = Collections.unmodifiableMap(new TreeMap<>(kafkaValues));
        Properties p = new Properties();
        kafkaValues.forEach((k, e) -> p.setProperty(k, e.value()));
        this.kafka = p;
        this.warnings = List.copyOf(warnings);
    }

    /** The built-in defaults only. */
    public static AppConfig defaults() {
        return new Loader().build();
    }

    /**
     * The defaults overridden by the given settings ({@code rnn.*} or Kafka keys); no file, no environment.
     * Meant for tests and embedding.
     *
     * @throws ConfigException listing every problem
     */
    public static AppConfig of(Map<String, String> settings) {
        Loader loader = new Loader();
        new TreeMap<>(settings).forEach((k, v) -> loader.put(k, v, "given"));
        return loader.build();
    }

    /**
     * The defaults, overridden by the properties file (if any), overridden by the environment, overridden by
     * the {@code key=value} flags (later flags win over earlier ones).
     *
     * @param file        a properties file (UTF-8), or null for none; a missing or unreadable file is an error
     * @param environment environment variables, e.g. {@link System#getenv()}; only {@code RNN_*} and
     *                    {@code KAFKA_*} ones are looked at
     * @param sets        {@code key=value} texts, as given to {@code --set}
     * @throws ConfigException listing every problem
     */
    public static AppConfig load(Path file, Map<String, String> environment, List<String> sets) {
        Loader loader = new Loader();
        if (file != null) {
            loader.file(file);
        }
        loader.environment(Objects.requireNonNull(environment, "environment"));
        for (String set : Objects.requireNonNull(sets, "sets")) {
            loader.set(set);
        }
        return loader.build();
    }

    /** The topology's settings (the learner configuration included). */
    public StreamSettings streamSettings() {
        return streamSettings;
    }

    /** The engine's configuration, same as {@code streamSettings().learner()}. */
    public LearnerConfig learnerConfig() {
        return streamSettings.learner();
    }

    /**
     * The engine's configuration as {@code learner} runs it, for commands that run both learners side by side
     * ({@code accuracy}, {@code detection}): {@link #learnerConfig()} with {@code rnn.model.cell} and
     * {@code rnn.model.hidden} each resolved for {@code learner} when it is unset ({@link Setting#defaultFor}: a GRU
     * of 16 for the hybrid, an LSTM of 32 for the plain RNN), so each learner's rows run at its own defaults whatever
     * {@code rnn.learner} says; a value given applies to either, and every other setting is
     * {@link #learnerConfig()}'s. Equal to {@link #learnerConfig()} for the configured learner.
     */
    public LearnerConfig learnerConfig(LearnerChoice.Kind learner) {
        LearnerConfig configured = learnerConfig();
        String name = Loader.lower(learner);
        var network = configured.network().toBuilder();
        if (rnnValues.get(Settings.MODEL_HIDDEN.name()).origin().startsWith(DEFAULT)) {
            network.hiddenSizes(Settings.MODEL_HIDDEN.parse(Settings.MODEL_HIDDEN.defaultFor(name)).stream()
                    .mapToInt(Integer::intValue).toArray());
        }
        if (rnnValues.get(Settings.MODEL_CELL.name()).origin().startsWith(DEFAULT)) {
            network.cellType(Settings.MODEL_CELL.parse(Settings.MODEL_CELL.defaultFor(name)));
        }
        return configured.toBuilder().network(network.build()).build();
    }

    /**
     * The Kafka Streams (and client) configuration: our defaults ({@code application.id},
     * {@code bootstrap.servers}, {@code processing.guarantee}) and every Kafka setting given. A new copy on
     * every call.
     */
    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(kafka);
        return copy;
    }

    /** The typed value of one of our settings (null only for an unset {@link Settings#TOPIC_INPUT_PATTERN}). */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!typed.containsKey(setting)) {
            throw new IllegalArgumentException("not a defined setting: " + setting);
        }
        return (T) typed.get(setting);
    }

    /** The effective text value of any setting, ours or Kafka's; empty when unset. */
    public Optional<String> value(String key) {
        Entry e = rnnValues.containsKey(key) ? rnnValues.get(key) : kafkaValues.get(key);
        return e == null || e.value() == null ? Optional.empty() : Optional.of(e.value());
    }

    /**
     * Where the effective value of a setting came from: {@code default}, {@code file PATH},
     * {@code environment variable NAME}, {@code --set} or {@code given}; empty for a key not in effect.
     */
    public Optional<String> origin(String key) {
        Entry e = rnnValues.containsKey(key) ? rnnValues.get(key) : kafkaValues.get(key);
        return e == null ? Optional.empty() : Optional.of(e.origin());
    }

    /** Settings that are valid but have no effect, or weaken a promise; worth logging at start. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The fingerprint every prediction carries ({@link StreamSettings#modelFingerprint()}: the network the model
     * store holds, the hybrid's under {@code rnn.learner=hybrid}): changes with every model setting.
     */
    public String modelFingerprint() {
        return streamSettings.modelFingerprint();
    }

    /**
     * A printable listing of the effective configuration, one setting a line with where its value came from.
     * Values of keys containing {@code password}, {@code secret}, {@code jaas} or {@code key.password}, and of
     * Kafka's password-typed settings, are printed as {@code [hidden]}.
     */
    public String describe() {
        int width = 0;
        for (String k : rnnValues.keySet()) {
            width = Math.max(width, k.length());
        }
        for (String k : kafkaValues.keySet()) {
            width = Math.max(width, k.length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("rnn-streams configuration (model fingerprint ").append(modelFingerprint()).append(")\n");
        for (Map.Entry<String, Entry> e : rnnValues.entrySet()) {
            line(sb, width, e.getKey(), e.getValue());
        }
        sb.append("Kafka Streams configuration\n");
        for (Map.Entry<String, Entry> e : kafkaValues.entrySet()) {
            line(sb, width, e.getKey(), e.getValue());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static void line(StringBuilder sb, int width, String key, Entry e) {
        String value = e.value() == null ? "(unset)" : isSecret(key) ? Secrets.HIDDEN : e.value().isEmpty() ? "(none)"
                : e.value();
        sb.append("  ").append(pad(key, width)).append(" = ").append(pad(value, 24)).append("  (")
                .append(e.origin()).append(")\n");
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Whether the value of this key must not be printed (see {@link Secrets#isSecret}). */
    static boolean isSecret(String key) {
        return Secrets.isSecret(key);
    }

    /** Collects the layers, then parses, validates and builds, gathering every error. */
    private static final class Loader {
        private final Map<String, Entry> explicit = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        void file(Path file) {
            String origin = "file " + file;
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                errors.add("configuration file " + file + " does not exist");
                return;
            } catch (IOException | IllegalArgumentException e) {
                errors.add("cannot read configuration file " + file + ": " + e.getMessage());
                return;
            }
            new TreeMap<>(toMap(p)).forEach((k, v) -> put(k, v, origin));
        }

        void environment(Map<String, String> env) {
            Set<String> rnnVariables = new TreeSet<>();
            Map<String, Setting<?>> byVariable = new HashMap<>();
            for (Setting<?> s : Settings.ALL) {
                byVariable.put(s.environmentVariable(), s);
                rnnVariables.add(s.environmentVariable());
            }
            for (Map.Entry<String, String> v : new TreeMap<>(env).entrySet()) {
                String name = v.getKey();
                String origin = "environment variable " + name;
                if (name.startsWith("RNN_")) {
                    Setting<?> s = byVariable.get(name);
                    if (s == null) {
                        errors.add("unknown environment variable " + name + ": it names no rnn.* setting"
                                + Suggestions.didYouMean(name, rnnVariables));
                    } else {
                        put(s.name(), v.getValue(), origin);
                    }
                } else if (name.startsWith("KAFKA_")) {
                    Set<String> keys = KafkaSettings.forEnvironmentVariable(name);
                    if (keys.size() == 1) {
                        put(keys.iterator().next(), v.getValue(), origin);
                    } else if (keys.size() > 1) {
                        errors.add("environment variable " + name + " is ambiguous: it could mean "
                                + String.join(" or ", keys) + "; set it in the properties file or with --set");
                    } else {
                        String hint = Suggestions.didYouMean(name, KafkaSettings.environmentNames());
                        if (!hint.isEmpty()) {
                            warnings.add("ignoring environment variable " + name + ": it names no Kafka setting"
                                    + hint);
                        }
                    }
                }
            }
        }

        void set(String keyValue) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0 || keyValue.substring(0, eq).isBlank()) {
                errors.add("--set '" + keyValue + "' must have the form key=value");
                return;
            }
            put(keyValue.substring(0, eq), keyValue.substring(eq + 1), "--set");
        }

        void put(String rawKey, String rawValue, String origin) {
            String key = rawKey.trim();
            String value = rawValue == null ? "" : rawValue.trim();
            if (key.startsWith("rnn.")) {
                if (Settings.byName(key).isEmpty()) {
                    errors.add("unknown setting '" + key + "' (from " + origin + ")"
                            + Suggestions.didYouMean(key, Settings.names()));
                    return;
                }
            } else {
                KafkaSettings.Kind kind = KafkaSettings.classify(key);
                // security settings Kafka does not define pass through (custom login modules), unless a typo
                String typo = kind == KafkaSettings.Kind.OTHER_SECURITY
                        ? Suggestions.didYouMean(key, KafkaSettings.knownNames()) : "";
                if (kind == KafkaSettings.Kind.UNKNOWN || !typo.isEmpty()) {
                    List<String> candidates = new ArrayList<>(KafkaSettings.knownNames());
                    candidates.addAll(Settings.names());
                    errors.add("unknown setting '" + key + "' (from " + origin + "): neither an rnn.* setting nor "
                            + "a Kafka Streams, consumer, producer, admin or topic config"
                            + Suggestions.didYouMean(key, candidates));
                    return;
                }
            }
            explicit.put(key, new Entry(value, origin));
        }

        AppConfig build() {
            Map<Setting<?>, Object> typed = new HashMap<>();
            Map<String, Entry> rnnValues = new LinkedHashMap<>();
            boolean patternGiven = explicit.containsKey(Settings.TOPIC_INPUT_PATTERN.name())
                    && !explicit.get(Settings.TOPIC_INPUT_PATTERN.name()).value().isEmpty();
            for (Setting<?> s : Settings.ALL) {
                Entry e = explicit.get(s.name());
                if (e == null) {
                    String dflt = s.defaultValue();
                    if (s == Settings.TOPIC_INPUT && patternGiven) {
                        dflt = "";
                        e = new Entry(dflt, "default, not applied: " + Settings.TOPIC_INPUT_PATTERN.name()
                                + " is set");
                    } else if (!s.learnerDefaults().isEmpty()) {
                        // LEARNER precedes it in Settings.ALL; an invalid learner is reported and its default used
                        Object kind = typed.get(Settings.LEARNER);
                        String learner = kind == null ? Settings.LEARNER.defaultValue() : lower((Enum<?>) kind);
                        e = new Entry(s.defaultFor(learner), DEFAULT + ", for " + Settings.LEARNER.name()
                                + "=" + learner);
                    } else {
                        e = new Entry(dflt, DEFAULT);
                    }
                }
                rnnValues.put(s.name(), e);
                String text = e.value() == null ? "" : e.value();
                try {
                    typed.put(s, s.parse(text));
                } catch (IllegalArgumentException ex) {
                    errors.add(s.name() + ": invalid value '" + text + "' (" + from(e) + "): " + ex.getMessage());
                }
            }
            crossCheck(typed, rnnValues);

            Map<String, Entry> kafkaValues = new TreeMap<>();
            for (KafkaSettings.Default d : KafkaSettings.DEFAULTS) {
                kafkaValues.put(d.name(), new Entry(d.value(), DEFAULT));
            }
            explicit.forEach((k, e) -> {
                if (!k.startsWith("rnn.")) {
                    kafkaValues.put(k, e);
                    KafkaSettings.check(k, e.value()).ifPresent(reason -> errors.add(kafkaError(k, e, reason)));
                }
            });

            checkHttp(typed, kafkaValues);

            StreamSettings settings = null;
            if (errors.isEmpty()) {
                try {
                    settings = streamSettings(typed);
                } catch (IllegalArgumentException | NullPointerException ex) {
                    errors.add(String.valueOf(ex.getMessage()));
                }
            }
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
            warn(typed, kafkaValues);
            return new AppConfig(settings, typed, rnnValues, kafkaValues, warnings);
        }

        private void crossCheck(Map<Setting<?>, Object> typed, Map<String, Entry> values) {
            List<?> topics = (List<?>) typed.get(Settings.TOPIC_INPUT);
            Pattern pattern = (Pattern) typed.get(Settings.TOPIC_INPUT_PATTERN);
            if (topics != null && !topics.isEmpty() && pattern != null) {
                errors.add(Settings.TOPIC_INPUT.name() + " (" + from(values.get(Settings.TOPIC_INPUT.name()))
                        + ") and " + Settings.TOPIC_INPUT_PATTERN.name() + " ("
                        + from(values.get(Settings.TOPIC_INPUT_PATTERN.name()))
                        + ") are both set: set only one, a list of topics or a regular expression");
            } else if (topics != null && topics.isEmpty() && typed.containsKey(Settings.TOPIC_INPUT_PATTERN)
                    && pattern == null) {
                errors.add("no input topic: set " + Settings.TOPIC_INPUT.name() + " (a list of topics) or "
                        + Settings.TOPIC_INPUT_PATTERN.name() + " (a regular expression)");
            }
            String predictions = (String) typed.get(Settings.TOPIC_PREDICTIONS);
            String deadLetters = (String) typed.get(Settings.TOPIC_DEAD_LETTERS);
            if (predictions != null && predictions.equals(deadLetters)) {
                errors.add(Settings.TOPIC_PREDICTIONS.name() + " and " + Settings.TOPIC_DEAD_LETTERS.name()
                        + " must differ, both are '" + predictions + "'");
            }
            if (topics != null) {
                for (Object t : topics) {
                    if (t.equals(predictions) || t.equals(deadLetters)) {
                        errors.add(Settings.TOPIC_INPUT.name() + " must not contain the "
                                + (t.equals(predictions) ? Settings.TOPIC_PREDICTIONS.name()
                                : Settings.TOPIC_DEAD_LETTERS.name()) + " topic '" + t + "'");
                    }
                }
            }
            Integer k1 = (Integer) typed.get(Settings.TRAIN_K1);
            Integer k2 = (Integer) typed.get(Settings.TRAIN_K2);
            if (k1 != null && k2 != null && k1 > k2) {
                errors.add(Settings.TRAIN_K1.name() + " (" + k1 + ") must be <= " + Settings.TRAIN_K2.name() + " ("
                        + k2 + "): truncated BPTT trains every k1 readings on a window of the last k2");
            }
            checkLearner(typed, values);
            Integer shortWindow = (Integer) typed.get(Settings.ANOMALY_SHORT_WINDOW);
            Integer longWindow = (Integer) typed.get(Settings.ANOMALY_LONG_WINDOW);
            if (shortWindow != null && longWindow != null && longWindow <= shortWindow) {
                errors.add(Settings.ANOMALY_LONG_WINDOW.name() + " (" + longWindow + ") must be > "
                        + Settings.ANOMALY_SHORT_WINDOW.name() + " (" + shortWindow + ")");
            }
        }

        /**
         * The settings the hybrid learner ({@code rnn.learner=hybrid}, the default) cannot run: more than one
         * forecast step, the encoder-decoder, a plain RNN's model file. Each error names the setting, its value and
         * where it came from, and the fix ({@code rnn.learner=rnn}).
         */
        private void checkLearner(Map<Setting<?>, Object> typed, Map<String, Entry> values) {
            if (typed.get(Settings.LEARNER) != LearnerChoice.Kind.HYBRID) {
                return;
            }
            String learner = Settings.LEARNER.name() + " is hybrid (" + from(values.get(Settings.LEARNER.name())) + ")";
            Integer horizon = (Integer) typed.get(Settings.FORECAST_HORIZON);
            if (horizon != null && horizon > 1) {
                errors.add(Settings.FORECAST_HORIZON.name() + "=" + horizon + " ("
                        + from(values.get(Settings.FORECAST_HORIZON.name())) + ") needs the plain RNN: " + learner
                        + ", which forecasts one step; set " + Settings.LEARNER.name() + "=rnn to forecast " + horizon
                        + " steps, or " + Settings.FORECAST_HORIZON.name() + "=1");
            }
            if (typed.get(Settings.FORECAST_MODE) == ForecastMode.SEQ2SEQ) {
                errors.add(Settings.FORECAST_MODE.name() + "=seq2seq ("
                        + from(values.get(Settings.FORECAST_MODE.name())) + ") needs the plain RNN: " + learner
                        + "; set " + Settings.LEARNER.name() + "=rnn to run the encoder-decoder");
            }
            if (typed.get(Settings.MODEL_INIT) != null) {
                errors.add(Settings.MODEL_INIT.name() + "=" + values.get(Settings.MODEL_INIT.name()).value() + " ("
                        + from(values.get(Settings.MODEL_INIT.name())) + ") needs the plain RNN: " + learner
                        + ", which cannot start from a plain RNN's model file; set " + Settings.LEARNER.name()
                        + "=rnn to warm-start from it, or unset " + Settings.MODEL_INIT.name());
            }
        }

        /** The HTTP API on a wildcard address cannot tell other instances where it is by itself. */
        private void checkHttp(Map<Setting<?>, Object> typed, Map<String, Entry> kafkaValues) {
            String bind = (String) typed.get(Settings.HTTP_BIND);
            Entry server = kafkaValues.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
            boolean wildcard = bind != null && (bind.equals("0.0.0.0") || bind.equals("::")
                    || bind.replace("0", "").equals(":::::::"));
            if (Boolean.TRUE.equals(typed.get(Settings.HTTP_ENABLED)) && wildcard
                    && (server == null || server.value().isEmpty())) {
                errors.add(Settings.HTTP_BIND.name() + " is the wildcard address " + bind + ": set "
                        + StreamsConfig.APPLICATION_SERVER_CONFIG + " to the host:port at which other instances "
                        + "reach this one's HTTP API");
            }
        }

        private void warn(Map<Setting<?>, Object> typed, Map<String, Entry> kafkaValues) {
            if (typed.get(Settings.REGISTRY_URL) != null && typed.get(Settings.FORMAT_INPUT) != WireFormat.REGISTRY
                    && typed.get(Settings.FORMAT_OUTPUT) != WireFormat.REGISTRY) {
                warnings.add(Settings.REGISTRY_URL.name() + " is ignored: neither " + Settings.FORMAT_INPUT.name()
                        + " nor " + Settings.FORMAT_OUTPUT.name() + " is " + WireFormat.REGISTRY.label());
            }
            if (typed.get(Settings.REGISTRY_URL) == null && changed(typed, Settings.REGISTRY_TIMEOUT)) {
                warnings.add(Settings.REGISTRY_TIMEOUT.name() + " is ignored: " + Settings.REGISTRY_URL.name()
                        + " is not set");
            }
            CellType cell = (CellType) typed.get(Settings.MODEL_CELL);
            if (cell != CellType.ELMAN && changed(typed, Settings.MODEL_ACTIVATION)) {
                warnings.add(Settings.MODEL_ACTIVATION.name() + " is ignored: only the elman cell uses it, "
                        + Settings.MODEL_CELL.name() + " is " + lower(cell));
            }
            OptimizerConfig.Kind kind = (OptimizerConfig.Kind) typed.get(Settings.TRAIN_OPTIMIZER);
            boolean hybrid = typed.get(Settings.LEARNER) == LearnerChoice.Kind.HYBRID;
            if (hybrid) {
                for (Setting<?> s : List.of(Settings.TRAIN_OPTIMIZER, Settings.TRAIN_LEARNING_RATE,
                        Settings.TRAIN_MOMENTUM, Settings.TRAIN_BETA1, Settings.TRAIN_BETA2, Settings.TRAIN_EPSILON,
                        Settings.MODEL_RESIDUAL)) {
                    if (changed(typed, s)) {
                        warnings.add(s.name() + " is ignored: " + Settings.LEARNER.name() + " is hybrid, whose "
                                + "network learns the linear path's error with Adam at "
                                + HybridForecaster.LEARNING_RATE + "; set " + Settings.LEARNER.name()
                                + "=rnn to use it");
                    }
                }
            } else if (kind != OptimizerConfig.Kind.MOMENTUM && changed(typed, Settings.TRAIN_MOMENTUM)) {
                warnings.add(Settings.TRAIN_MOMENTUM.name() + " is ignored: only the momentum optimizer uses it, "
                        + Settings.TRAIN_OPTIMIZER.name() + " is " + lower(kind));
            }
            if (!hybrid && kind != OptimizerConfig.Kind.ADAM) {
                for (Setting<?> s : List.of(Settings.TRAIN_BETA1, Settings.TRAIN_BETA2, Settings.TRAIN_EPSILON)) {
                    if (changed(typed, s)) {
                        warnings.add(s.name() + " is ignored: only the adam optimizer uses it, "
                                + Settings.TRAIN_OPTIMIZER.name() + " is " + lower(kind));
                    }
                }
            }
            if (typed.get(Settings.MODEL_SCOPE) == ModelScope.SHARED
                    && changed(typed, Settings.MODEL_CACHE_SIZE)) {
                warnings.add(Settings.MODEL_CACHE_SIZE.name() + " is ignored: it applies to "
                        + Settings.MODEL_SCOPE.name() + "=key only");
            }
            Entry guarantee = kafkaValues.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
            if (!StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee.value())) {
                warnings.add(StreamsConfig.PROCESSING_GUARANTEE_CONFIG + "=" + guarantee.value()
                        + ": after a crash some readings may yield their prediction or dead letter twice; "
                        + StreamsConfig.EXACTLY_ONCE_V2 + " gives exactly one");
            }
        }

        /** Whether the setting was given a value other than its default. */
        private boolean changed(Map<Setting<?>, Object> typed, Setting<?> s) {
            return explicit.containsKey(s.name()) && !Objects.equals(typed.get(s), s.parse(s.defaultValue()));
        }

        private static StreamSettings streamSettings(Map<Setting<?>, Object> typed) {
            @SuppressWarnings("unchecked")
            List<Integer> hidden = (List<Integer>) typed.get(Settings.MODEL_HIDDEN);
            NetworkConfig network = NetworkConfig.builder()
                    .inputSize((Integer) typed.get(Settings.MODEL_CHANNELS))
                    .hiddenSizes(hidden.stream().mapToInt(Integer::intValue).toArray())
                    .cellType((CellType) typed.get(Settings.MODEL_CELL))
                    .activation((Activation) typed.get(Settings.MODEL_ACTIVATION))
                    .seed((Long) typed.get(Settings.MODEL_SEED))
                    .build();
            double lr = (Double) typed.get(Settings.TRAIN_LEARNING_RATE);
            OptimizerConfig optimizer;
            switch ((OptimizerConfig.Kind) typed.get(Settings.TRAIN_OPTIMIZER)) {
                case SGD:
                    optimizer = OptimizerConfig.sgd(lr);
                    break;
                case MOMENTUM:
                    optimizer = OptimizerConfig.momentum(lr, (Double) typed.get(Settings.TRAIN_MOMENTUM));
                    break;
                default:
                    optimizer = OptimizerConfig.adam(lr, (Double) typed.get(Settings.TRAIN_BETA1),
                            (Double) typed.get(Settings.TRAIN_BETA2), (Double) typed.get(Settings.TRAIN_EPSILON));
                    break;
            }
            LearnerConfig learner = LearnerConfig.builder()
                    .network(network)
                    .k1((Integer) typed.get(Settings.TRAIN_K1))
                    .k2((Integer) typed.get(Settings.TRAIN_K2))
                    .optimizer(optimizer)
                    .clipping(GradientClipping.of((Double) typed.get(Settings.TRAIN_CLIP_NORM),
                            (Double) typed.get(Settings.TRAIN_CLIP_VALUE)))
                    .normaliseInputs((Boolean) typed.get(Settings.TRAIN_NORMALISE))
                    .residual((Boolean) typed.get(Settings.MODEL_RESIDUAL))
                    .build();
            @SuppressWarnings("unchecked")
            List<String> topics = (List<String>) typed.get(Settings.TOPIC_INPUT);
            return new StreamSettings(topics, (Pattern) typed.get(Settings.TOPIC_INPUT_PATTERN),
                    (String) typed.get(Settings.TOPIC_PREDICTIONS), (String) typed.get(Settings.TOPIC_DEAD_LETTERS),
                    (ModelScope) typed.get(Settings.MODEL_SCOPE), learner,
                    (Integer) typed.get(Settings.FORECAST_HORIZON), (Duration) typed.get(Settings.TIME_GAP_RESET),
                    (Double) typed.get(Settings.TIME_GAP_MULTIPLE),
                    (Duration) typed.get(Settings.STATE_IDLE_RETENTION),
                    (Duration) typed.get(Settings.STATE_IDLE_SCAN_INTERVAL),
                    (Double) typed.get(Settings.INPUT_MAX_ABS_VALUE),
                    new DetectorConfig((Integer) typed.get(Settings.ANOMALY_SHORT_WINDOW),
                            (Integer) typed.get(Settings.ANOMALY_LONG_WINDOW),
                            (Integer) typed.get(Settings.ANOMALY_WARM_UP),
                            (Double) typed.get(Settings.ANOMALY_THRESHOLD),
                            (Integer) typed.get(Settings.ANOMALY_QUIET),
                            (Integer) typed.get(Settings.ANOMALY_HOLD_LIMIT),
                            (Boolean) typed.get(Settings.ANOMALY_QUARANTINE)),
                    (Integer) typed.get(Settings.MODEL_CACHE_SIZE),
                    (java.nio.file.Path) typed.get(Settings.MODEL_INIT),
                    new ValueFormats((WireFormat) typed.get(Settings.FORMAT_INPUT),
                            (WireFormat) typed.get(Settings.FORMAT_OUTPUT),
                            typed.get(Settings.REGISTRY_URL) == null ? null
                                    : ((RegistryEndpoint) typed.get(Settings.REGISTRY_URL))
                                            .withTimeout((Duration) typed.get(Settings.REGISTRY_TIMEOUT))),
                    new StreamLimits((Duration) typed.get(Settings.TIME_MAX_AHEAD),
                            (Integer) typed.get(Settings.INPUT_MAX_KEY_BYTES),
                            (Long) typed.get(Settings.MODEL_CACHE_BYTES),
                            (Integer) typed.get(Settings.STATE_HELD_KEYS)),
                    new LearnerChoice((LearnerChoice.Kind) typed.get(Settings.LEARNER),
                            (Integer) typed.get(Settings.HYBRID_PERIOD), (Integer) typed.get(Settings.HYBRID_AR_ORDER)),
                    (ForecastMode) typed.get(Settings.FORECAST_MODE),
                    new Smoothing((Integer) typed.get(Settings.SMOOTHING_LAG),
                            typed.get(Settings.TOPIC_LAGGED) != null ? (String) typed.get(Settings.TOPIC_LAGGED)
                                    : Smoothing.defaultTopic((String) typed.get(Settings.TOPIC_PREDICTIONS))),
                    (Integer) typed.get(Settings.FORECAST_PERIOD));
        }

        private static String kafkaError(String key, Entry e, String reason) {
            String prefix = "Invalid value " + e.value() + " for configuration ";
            String r = reason;
            if (r.startsWith(prefix)) {
                r = r.substring(prefix.length());
                int colon = r.indexOf(": ");
                r = colon >= 0 ? r.substring(colon + 2) : "invalid";
            }
            String shown = isSecret(key) ? "" : " '" + e.value() + "'";
            return key + ": invalid value" + shown + " (" + from(e) + "): " + r;
        }

        private static String from(Entry e) {
            return DEFAULT.equals(e.origin()) || e.origin().startsWith(DEFAULT + ",") ? e.origin()
                    : "from " + e.origin();
        }

        private static String lower(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }

        private static Map<String, String> toMap(Properties p) {
            Map<String, String> m = new HashMap<>();
            for (String name : p.stringPropertyNames()) {
                m.put(name, p.getProperty(name));
            }
            return m;
        }
    }
}
