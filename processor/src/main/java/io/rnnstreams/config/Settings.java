package io.rnnstreams.config;

import io.rnnstreams.learner.ModelScope;
import io.rnnstreams.model.Activation;
import io.rnnstreams.model.CellType;
import io.rnnstreams.model.OptimizerConfig;
import io.rnnstreams.model.Seq2SeqConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one table of every {@code rnn.*} setting: name, type, default, allowed values and documentation.
 * {@link AppConfig} parses and validates with it, the {@code settings} command prints it, and the example
 * {@code rnn-streams.properties} is generated from it ({@link #exampleProperties()}).
 */
public final class Settings {
    private static final List<Setting<?>> DEFINED = new ArrayList<>();

    // ---- topics
    public static final Setting<List<String>> TOPIC_INPUT = define("rnn.topic.input", "list<topic>",
            "sensor-readings", "comma-separated Kafka topic names",
            "Sensor topics to read; record key = sensor id, value = Avro SensorReading. Its default does not "
                    + "apply when rnn.topic.input.pattern is set; setting both explicitly is an error.",
            Values::topics);
    public static final Setting<Pattern> TOPIC_INPUT_PATTERN = define("rnn.topic.input.pattern", "regex", null,
            "a Java regular expression",
            "Read every topic whose name matches this regular expression instead of the rnn.topic.input list. "
                    + "Unset by default.",
            Values::regex);
    public static final Setting<String> TOPIC_PREDICTIONS = define("rnn.topic.predictions", "topic",
            "predictions", Values.TOPIC_ALLOWED,
            "Topic that the Avro Prediction made at every accepted reading goes to.",
            Values::topic);
    public static final Setting<String> TOPIC_DEAD_LETTERS = define("rnn.topic.dead-letters", "topic",
            "sensor-readings-dlq", Values.TOPIC_ALLOWED,
            "Topic that every record which cannot be used goes to, with the reason in its headers.",
            Values::topic);

    public static final Setting<String> TOPIC_LAGGED = define("rnn.topic.lagged", "topic", null,
            Values.TOPIC_ALLOWED,
            "Topic that the Avro LaggedOutput of every reading goes to when rnn.smoothing.lag > 0 (the smoother's "
                    + "judgement of the reading, L readings later). Unset: <rnn.topic.predictions>-lagged.",
            s -> s.isEmpty() ? null : Values.topic(s));

    // ---- formats
    public static final Setting<WireFormat> FORMAT_INPUT = define("rnn.format.input", "enum", "single-object",
            WireFormat.inputChoices(),
            "Framing of the Avro SensorReading values of the sensor topics. single-object: Avro's single-object "
                    + "encoding (C3 01, the writer schema's 8-byte fingerprint, the body). registry: the "
                    + "schema-registry wire format of Confluent's and Apicurio's serializers (byte 0, a 4-byte "
                    + "schema id, the body), the writer schema fetched by its id from rnn.registry.url and resolved "
                    + "to SensorReading (a producer may add optional fields).",
            WireFormat::parseInput);
    public static final Setting<WireFormat> FORMAT_OUTPUT = define("rnn.format.output", "enum", "single-object",
            WireFormat.choices(),
            "Framing of the Avro Prediction values of rnn.topic.predictions: single-object, or registry (the "
                    + "Prediction schema registered under the subject <topic>-value at rnn.registry.url, so that "
                    + "Kafka Connect, ksqlDB or kcat -s avro read them through the registry's Confluent-compatible "
                    + "API), or json (one UTF-8 JSON object per value, the Avro field names, times in epoch "
                    + "milliseconds: for consumers without Avro; rnn-streams tail reads all three). Dead letters "
                    + "keep the bytes they came with.",
            WireFormat::parse);
    public static final Setting<RegistryEndpoint> REGISTRY_URL = define("rnn.registry.url", "url", null,
            "the base http(s) URL of an Apicurio Registry 3 server",
            "Schema registry of the registry format, e.g. http://localhost:8080: an Apicurio Registry server (its "
                    + "serdes use /apis/registry/v3 under it; Confluent clients use /apis/ccompat/v7). Required when a "
                    + "format is registry; asked at start-up. Unset by default.",
            s -> s.isEmpty() ? null : RegistryEndpoint.parse(s));
    public static final Setting<Duration> REGISTRY_TIMEOUT = define("rnn.registry.timeout", "duration", "10s",
            RegistryEndpoint.TIMEOUT_ALLOWED,
            "Bound of every HTTP request to rnn.registry.url, the start-up check's included (connecting, then each "
                    + "wait for the next byte of the answer). A registry that does not answer in time at start-up "
                    + "fails the start (exit 2, naming this setting); later it is an outage, never a dead letter: "
                    + "the stream thread stops with the registry's error and the application exits 1, to be restarted from its "
                    + "last commit (no reading is lost). Kept below max.poll.interval.ms (5 min by default).",
            s -> {
                Duration d;
                try {
                    d = Values.positiveDuration(s);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("must be " + RegistryEndpoint.TIMEOUT_ALLOWED);
                }
                if (d.compareTo(RegistryEndpoint.MIN_TIMEOUT) < 0 || d.compareTo(RegistryEndpoint.MAX_TIMEOUT) > 0) {
                    throw new IllegalArgumentException("must be " + RegistryEndpoint.TIMEOUT_ALLOWED);
                }
                return d;
            });

    // ---- learner
    public static final Setting<LearnerChoice.Kind> LEARNER = define("rnn.learner", "enum", "hybrid",
            Values.choices(LearnerChoice.Kind.class),
            "Which learner forecasts. hybrid (the default): the classical combination (persistence, seasonal "
                    + "persistence, AR by RLS, Holt-Winters, weighted by their recent errors) plus a recurrent network "
                    + "(rnn.model.* shapes, rnn.train.k1/k2, clipping; Adam 0.003) learning its next error, its "
                    + "correction weighted by a gain fitted online; it beats the best classical online baseline on "
                    + "every real dataset of the accuracy suite: docs/accuracy.md. It forecasts one step and starts "
                    + "from no model file: rnn.forecast.horizon > 1, rnn.forecast.mode=seq2seq and rnn.model.init "
                    + "need rnn.learner=rnn, and it ignores rnn.train.optimizer, rnn.train.learning-rate and the "
                    + "optimizer's coefficients, and rnn.model.residual. rnn: the recurrent network forecasts the "
                    + "reading itself (every rnn.model.* and rnn.train.* setting).",
            Values.oneOf(LearnerChoice.Kind.class));
    public static final Setting<Integer> HYBRID_PERIOD = define("rnn.hybrid.period", "int", "0",
            "an integer in [0, " + LearnerChoice.MAX_PERIOD + "]",
            "rnn.learner=hybrid: the seasonal period in readings (e.g. 24 for hourly readings with a daily cycle) "
                    + "of its seasonal persistence and Holt-Winters; 0 for none.",
            Values.intIn(0, LearnerChoice.MAX_PERIOD, "an integer in [0, " + LearnerChoice.MAX_PERIOD + "]"));
    public static final Setting<Integer> HYBRID_AR_ORDER = define("rnn.hybrid.ar-order", "int", "8",
            "an integer in [1, " + LearnerChoice.MAX_AR_ORDER + "]",
            "rnn.learner=hybrid: the order p of its AR(p) by recursive least squares.",
            Values.intIn(1, LearnerChoice.MAX_AR_ORDER, "an integer in [1, " + LearnerChoice.MAX_AR_ORDER + "]"));

    // ---- model
    public static final Setting<ModelScope> MODEL_SCOPE = define("rnn.model.scope", "enum", "shared",
            Values.choices(ModelScope.class),
            "Which keys share weights. shared (the default): one set of weights per stream task, trained on the "
                    + "windows of all its keys (each key keeps its own hidden state, window and normaliser); "
                    + "measured 2-17x key scope's throughput and 1/30 of its state per key, but its predictions "
                    + "change with the partition count (README, Model scope). key: every sensor has its own "
                    + "weights and optimizer state (~4P doubles per key, ~120 KB written to the changelog at every "
                    + "training with the hybrid learner at H=32), so a sensor's predictions do not depend on which "
                    + "keys share its partition.",
            Values.oneOf(ModelScope.class));
    public static final Setting<Integer> MODEL_CHANNELS = define("rnn.model.channels", "int", "1",
            "an integer >= 1",
            "Channels D of every reading (the length of its value vector); a reading of another length is a "
                    + "dead letter.",
            Values.intIn(1, Integer.MAX_VALUE, "an integer >= 1"));
    /**
     * Its default depends on the learner: the hybrid's recurrent corrector is a GRU (with H = 16 it keeps every
     * accuracy line of issue 18 and streams 1.2x as fast as an LSTM of the same size through a broker,
     * docs/accuracy.md and docs/performance.md, branch h16g), the plain RNN an LSTM (where its figures were measured).
     */
    public static final Setting<CellType> MODEL_CELL = defineByLearner("rnn.model.cell", "enum",
            Map.of("hybrid", "gru", "rnn", "lstm"), Values.choices(CellType.class),
            "Recurrent cell of every layer. Unset, it depends on rnn.learner: gru for the hybrid's recurrent "
                    + "corrector, lstm for the plain RNN; a value given applies to either.",
            Values.oneOf(CellType.class));
    public static final Setting<Activation> MODEL_ACTIVATION = define("rnn.model.activation", "enum", "tanh",
            Values.choices(Activation.class),
            "Activation of the elman cell (gru and lstm ignore it).",
            Values.oneOf(Activation.class));
    /**
     * Its default depends on the learner: the hybrid's recurrent corrector at H = 16 (the throughput line of
     * issue 18 at the same accuracy, docs/accuracy.md, tput18i and h16), the plain RNN at H = 32 (where its
     * figures were measured).
     */
    public static final Setting<List<Integer>> MODEL_HIDDEN = defineByLearner("rnn.model.hidden", "list<int>",
            Map.of("hybrid", "16", "rnn", "32"), "comma-separated integers >= 1",
            "Hidden sizes of the stacked recurrent layers, bottom layer first; their number is the depth. Unset, "
                    + "it depends on rnn.learner: 16 for the hybrid's recurrent corrector, 32 for the plain RNN; a "
                    + "value given applies to either.",
            Values::layerSizes);
    public static final Setting<Boolean> MODEL_RESIDUAL = define("rnn.model.residual", "boolean", "true",
            "true, false",
            "true: the network forecasts the change from the current reading (forecast = reading + output), so "
                    + "persistence is its starting point and it learns the correction; best for slowly varying "
                    + "sensors. false: it forecasts the next reading itself.",
            Values::bool);
    public static final Setting<Long> MODEL_SEED = define("rnn.model.seed", "long", "42",
            "any whole number",
            "Seed of the weight initialisation. The same input, configuration and seed give bit-identical "
                    + "predictions.",
            Values::anyLong);
    public static final Setting<java.nio.file.Path> MODEL_INIT = define("rnn.model.init", "path", null,
            "a readable model file written by rnn-streams export-model",
            "Warm start: a key (key scope) or a task (shared scope) without a stored model starts from the weights "
                    + "and optimizer state in this file instead of a seeded initialisation. The file's model must have "
                    + "the same shape as rnn.model.*. Unset by default.",
            Values::readableFile);
    public static final Setting<Integer> MODEL_CACHE_SIZE = define("rnn.model.cache-size", "int", "1000",
            "an integer >= 1",
            "Key scope: per-key models kept deserialised in memory per stream task. Each costs about 4P doubles "
                    + "(weights, Adam moments, gradients): ~140 KB for an LSTM with D=1, H=32. A key whose model is "
                    + "not cached reads it from the state store once.",
            Values.intIn(1, Integer.MAX_VALUE, "an integer >= 1"));

    public static final Setting<Long> MODEL_CACHE_BYTES = define("rnn.model.cache-bytes", "long", "268435456",
            "a whole number of bytes >= 1",
            "Key scope: bytes of deserialised per-key models one instance keeps in memory, all stream threads and "
                    + "tasks together (each model ~32P bytes: ~140 KB for an LSTM with D=1, H=32). A task evicts "
                    + "its least recently used models while the instance is over it; an evicted model is read back "
                    + "from the state store, with the same results. Gauge rnn_model_cache_bytes. Leave room for it "
                    + "in -Xmx.",
            s -> {
                long v = Values.anyLong(s);
                if (v < 1) {
                    throw new IllegalArgumentException("must be a whole number of bytes >= 1");
                }
                return v;
            });

    // ---- training
    public static final Setting<Integer> TRAIN_K1 = define("rnn.train.k1", "int", "16",
            "an integer >= 1, <= rnn.train.k2",
            "Truncated BPTT: readings of a key between two trainings of its model.",
            Values.intIn(1, Integer.MAX_VALUE, "an integer >= 1"));
    public static final Setting<Integer> TRAIN_K2 = define("rnn.train.k2", "int", "16",
            "an integer >= 1, >= rnn.train.k1",
            "Truncated BPTT: the window length; every training back-propagates through the last k2 readings.",
            Values.intIn(1, Integer.MAX_VALUE, "an integer >= 1"));
    public static final Setting<OptimizerConfig.Kind> TRAIN_OPTIMIZER = define("rnn.train.optimizer", "enum",
            "adam", Values.choices(OptimizerConfig.Kind.class),
            "Update rule: sgd (w -= lr g), momentum (heavy ball) or adam (with bias correction).",
            Values.oneOf(OptimizerConfig.Kind.class));
    public static final Setting<Double> TRAIN_LEARNING_RATE = define("rnn.train.learning-rate", "double",
            "0.001", "a number > 0",
            "Step size of the optimizer.",
            Values.doubleIn(0, false, Double.POSITIVE_INFINITY, false, "a number > 0"));
    public static final Setting<Double> TRAIN_MOMENTUM = define("rnn.train.momentum", "double", "0.9",
            "a number in [0, 1)",
            "Momentum coefficient mu of the momentum optimizer (others ignore it).",
            Values.doubleIn(0, true, 1, false, "a number in [0, 1)"));
    public static final Setting<Double> TRAIN_BETA1 = define("rnn.train.beta1", "double", "0.9",
            "a number in [0, 1)",
            "Adam's decay of the first moment (other optimizers ignore it).",
            Values.doubleIn(0, true, 1, false, "a number in [0, 1)"));
    public static final Setting<Double> TRAIN_BETA2 = define("rnn.train.beta2", "double", "0.999",
            "a number in [0, 1)",
            "Adam's decay of the second moment (other optimizers ignore it).",
            Values.doubleIn(0, true, 1, false, "a number in [0, 1)"));
    public static final Setting<Double> TRAIN_EPSILON = define("rnn.train.epsilon", "double", "1e-8",
            "a number > 0",
            "Adam's offset of the denominator (other optimizers ignore it).",
            Values.doubleIn(0, false, Double.POSITIVE_INFINITY, false, "a number > 0"));
    public static final Setting<Double> TRAIN_CLIP_NORM = define("rnn.train.clip-norm", "double", "1.0",
            "a number >= 0 (0 = off)",
            "Scale the whole gradient down to this global L2 norm; 0 = off. Applied after rnn.train.clip-value.",
            Values.doubleIn(0, true, Double.POSITIVE_INFINITY, false, "a number >= 0 (0 = off)"));
    public static final Setting<Double> TRAIN_CLIP_VALUE = define("rnn.train.clip-value", "double", "0",
            "a number >= 0 (0 = off)",
            "Clip every gradient element to [-value, value]; 0 = off.",
            Values.doubleIn(0, true, Double.POSITIVE_INFINITY, false, "a number >= 0 (0 = off)"));
    public static final Setting<Boolean> TRAIN_NORMALISE = define("rnn.train.normalise", "boolean", "true",
            "true, false",
            "Normalise every input channel online (running mean and variance); undone on the forecast.",
            Values::bool);

    // ---- forecasting, time, state, input, anomaly score
    public static final Setting<Integer> FORECAST_HORIZON = define("rnn.forecast.horizon", "int", "1",
            "an integer in [1, 1000]",
            "Forecast steps per prediction; above 1 the model rolls forward on its own output "
                    + "(rnn.forecast.mode=recursive), or the encoder-decoder's decoder generates them (seq2seq).",
            Values.intIn(1, 1000, "an integer in [1, 1000]"));
    public static final Setting<ForecastMode> FORECAST_MODE = define("rnn.forecast.mode", "enum", "recursive",
            Values.choices(ForecastMode.class),
            "How the plain RNN forecasts rnn.forecast.horizon readings ahead. recursive: the one-step model rolls "
                    + "forward on its own outputs, so errors compound with the step. seq2seq: an encoder-decoder "
                    + "(the encoder reads the readings, a decoder with its own weights generates all N steps from "
                    + "its state), corrected: its output at step h corrects a classical forecast of horizon h "
                    + "(persistence and a smoothed level of the last 12 readings, with rnn.forecast.period seasonal "
                    + "persistence too, combined by their recent errors at h) with a gain fitted online; trained on "
                    + "the realised next N readings, whose supervision arrives N readings later; beats the "
                    + "recursive rollout at h >= 6 and persistence, AR and Holt-Winters at h = N on ETTh1 and SKAB "
                    + "(docs/accuracy.md); about 35x (N = 24) to 90x (N = 60) the recursive model's cost per "
                    + "reading, and a larger key state (a window of k2 + N + 11 readings, the N forecasts and the "
                    + "base's and gain's statistics; docs/stream.md). seq2seq needs rnn.learner=rnn, "
                    + "rnn.forecast.horizon >= 2, rnn.model.residual=true and no rnn.model.init.",
            Values.oneOf(ForecastMode.class));
    public static final Setting<Integer> FORECAST_PERIOD = define("rnn.forecast.period", "int", "0",
            "an integer in [0, " + Seq2SeqConfig.MAX_HORIZON + "]",
            "rnn.forecast.mode=seq2seq: the seasonal period in readings (e.g. 24 for hourly readings with a daily "
                    + "cycle) of the seasonal persistence in the base the encoder-decoder corrects; 0 for none. Needs "
                    + "rnn.forecast.mode=seq2seq.",
            Values.intIn(0, Seq2SeqConfig.MAX_HORIZON, "an integer in [0, " + Seq2SeqConfig.MAX_HORIZON + "]"));
    public static final Setting<Integer> SMOOTHING_LAG = define("rnn.smoothing.lag", "int", "0",
            "an integer in [0, " + Smoothing.MAX_LAG + "] (0 = off)",
            "Fixed-lag smoothing: L > 0 sends, for every reading of a key once L later readings of it arrived, the "
                    + "bidirectional smoother's smoothed value of the reading (from its past and its L successors, "
                    + "the reading masked) and a lagged anomaly score of its residual to rnn.topic.lagged: a "
                    + "sharper judgement than the online score (a spike is seen from both sides), L readings late. "
                    + "About 5x (L = 3) to 14x (L = 10) the plain RNN's cost per reading, and (L + 3) S + (k2 + 2L + 3) D "
                    + "more doubles of key state (docs/stream.md). 0 = off.",
            Values.intIn(0, Smoothing.MAX_LAG, "an integer in [0, " + Smoothing.MAX_LAG + "] (0 = off)"));
    public static final Setting<Duration> TIME_GAP_RESET = define("rnn.time.gap-reset", "duration", "PT1H",
            Values.DURATION_ALLOWED,
            "A gap in event time longer than this between two readings of a key resets its recurrent state, "
                    + "until the key has 3 intervals between readings; then rnn.time.gap-multiple decides.",
            Values::positiveDuration);
    public static final Setting<Double> TIME_GAP_MULTIPLE = define("rnn.time.gap-multiple", "double", "3",
            "a number > 1",
            "A pause longer than this many times the median of the key's last 5 intervals between readings resets "
                    + "its recurrent state (an hourly sensor that misses one or two readings keeps it).",
            Values.doubleIn(1, false, Double.POSITIVE_INFINITY, false, "a number > 1"));
    public static final Setting<Duration> TIME_MAX_AHEAD = define("rnn.time.max-ahead", "duration", "PT10M",
            Values.DURATION_ALLOWED,
            "A reading whose event time is more than this ahead of the wall clock is a dead letter "
                    + "(EVENT_TIME_AHEAD): brokers refuse outputs stamped beyond message.timestamp.after.max.ms "
                    + "(1 h by default), so keep it below that.",
            Values::positiveDuration);
    public static final Setting<Duration> STATE_IDLE_RETENTION = define("rnn.state.idle-retention", "duration",
            "P7D", Values.DURATION_ALLOWED,
            "A key of which an instance has seen no reading for longer than this (in wall-clock time, counted "
                    + "from its last reading or from the task's start) is removed from the state stores. Another "
                    + "sensor's clock cannot make a key idle.",
            Values::positiveDuration);
    public static final Setting<Duration> STATE_IDLE_SCAN_INTERVAL = define("rnn.state.idle-scan-interval",
            "duration", "PT1H", Values.DURATION_ALLOWED,
            "How often (in wall-clock time) idle keys are looked for.",
            Values::positiveDuration);
    public static final Setting<Long> STATE_ROCKSDB_MEMORY = define("rnn.state.rocksdb-memory", "long",
            "67108864", "a whole number of bytes >= 8388608 (8 MiB)",
            "Off-heap bytes that all RocksDB stores of the process share: one block cache of this size, which "
                    + "also holds the memtables (up to half of it) and the index and filter blocks. Unset, Kafka "
                    + "Streams gives each store of each task its own 50 MiB cache and up to 48 MiB of memtables. "
                    + "Applies unless rocksdb.config.setter is set.",
            s -> {
                long v = Values.anyLong(s);
                if (v < 8L << 20) {
                    throw new IllegalArgumentException("must be a whole number of bytes >= 8388608 (8 MiB)");
                }
                return v;
            });
    public static final Setting<Integer> STATE_HELD_KEYS = define("rnn.state.held-keys", "int", "1000",
            "an integer in [0, 1000000]",
            "Hybrid learner (rnn.learner=hybrid): key states each stream task keeps in memory after storing them, "
                    + "the least recently stored dropped first, so that a held key's next reading skips the state "
                    + "store's read and decoding (the store still writes each key's state once per commit). Each "
                    + "costs ~10 KB of heap at D=1, H=32 (more with more channels or hidden units): ~10 MB per task "
                    + "at the default; leave "
                    + "room for it in -Xmx, or lower it on an instance running many tasks. 0 holds none. Results "
                    + "are the same at every value.",
            Values.intIn(0, 1_000_000, "an integer in [0, 1000000]"));
    public static final Setting<Double> INPUT_MAX_ABS_VALUE = define("rnn.input.max-abs-value", "double", "1e12",
            "a number in (0, 1e100]",
            "A reading with a channel beyond +-this value is a dead letter. At most 1e100, so that no accepted "
                    + "reading, forecast error or sum of their squares can overflow.",
            Values.doubleIn(0, false, StreamSettings.MAX_INPUT_BOUND, true, "a number in (0, 1e100]"));
    public static final Setting<Integer> INPUT_MAX_KEY_BYTES = define("rnn.input.max-key-bytes", "int", "1024",
            "an integer in [1, 65536]",
            "A record whose key (the sensor id) is longer than this in UTF-8 bytes is a dead letter (KEY_TOO_LONG) "
                    + "with its key cut to this length: a longer key would be stored in every changelog record and "
                    + "prediction of the sensor.",
            Values.intIn(1, 65_536, "an integer in [1, 65536]"));
    public static final Setting<Integer> ANOMALY_SHORT_WINDOW = define("rnn.anomaly.short-window", "int", "10",
            "an integer >= 2, < rnn.anomaly.long-window",
            "Readings in the short mean of the readings that the anomaly score's level test compares with the "
                    + "normal level.",
            Values.intIn(2, Integer.MAX_VALUE, "an integer >= 2"));
    public static final Setting<Integer> ANOMALY_LONG_WINDOW = define("rnn.anomaly.long-window", "int", "3000",
            "an integer >= 3, > rnn.anomaly.short-window",
            "Readings in the long windows of the anomaly score: the normal level, the spreads and the fits of "
                    + "its tests.",
            Values.intIn(3, Integer.MAX_VALUE, "an integer >= 3"));
    public static final Setting<Double> ANOMALY_THRESHOLD = define("rnn.anomaly.threshold", "double", "0.9999",
            "a number in (0, 1 - 1e-12]",
            "A reading whose anomaly score reaches this is flagged, and raises an alarm (Prediction.anomaly) if "
                    + "the key's alarm is armed. The score is calibrated: on normal data about 1 - threshold of the "
                    + "readings reach it. Scores above 1 - 1e-12 only rank rarer readings.",
            Values.doubleIn(0, false, 1 - 1e-12, true, "a number in (0, 1 - 1e-12]"));
    public static final Setting<Integer> ANOMALY_QUIET = define("rnn.anomaly.quiet", "int", "30",
            "an integer >= 1",
            "Readings in a row below the threshold that re-arm a key's alarm after it was raised (one alarm per "
                    + "event, and a re-alarm while it stands when a reading's surprise -log10(1 - score) exceeds "
                    + "twice the event's peak so far: the event got markedly worse, or when a channel moves 5 of its "
                    + "spreads further from normal than the event's own level: it changed again); also the readings after "
                    + "an alarm during which a channel still catching up with the step that raised it is not tested for "
                    + "that change, and the readings an event's level statistic must stay below a thirtieth of its peak "
                    + "before the level it left is taken as the new normal.",
            Values.intIn(1, Integer.MAX_VALUE, "an integer >= 1"));
    public static final Setting<Integer> ANOMALY_WARM_UP = define("rnn.anomaly.warm-up", "int", "100",
            "an integer >= 2",
            "Normal readings a key's anomaly score learns before it counts; the normal level is learned from "
                    + "the readings after them (a start-up is not the normal level), and Prediction.warmingUp stays "
                    + "set (the score 0) until its test is fitted, about 60 readings more.",
            Values.intIn(2, Integer.MAX_VALUE, "an integer >= 2"));
    public static final Setting<Integer> ANOMALY_HOLD_LIMIT = define("rnn.anomaly.hold-limit", "int", "1000",
            "an integer >= 1",
            "Flagged readings in a row after which they are learned as the key's new normal.",
            Values.intIn(1, Integer.MAX_VALUE, "an integer >= 1"));
    public static final Setting<Boolean> ANOMALY_QUARANTINE = define("rnn.anomaly.quarantine", "boolean", "true",
            "true, false",
            "Keep flagged readings out of the anomaly score's normal statistics (up to rnn.anomaly.hold-limit), so "
                    + "that a lasting fault stays flagged while it lasts. The forecaster learns from every reading.",
            Values::bool);

    // ---- HTTP API (interactive queries, health, Prometheus metrics)
    public static final Setting<Boolean> HTTP_ENABLED = define("rnn.http.enabled", "boolean", "false",
            "true, false",
            "Serve the read-only HTTP API: GET /sensors, /sensors/{id}, /sensors/{id}/forecast, /health and "
                    + "/metrics (Prometheus). Off by default. With several instances, set application.server to "
                    + "the host:port the others reach this one's API at (left unset, it is "
                    + "rnn.http.bind:rnn.http.port).",
            Values::bool);
    public static final Setting<String> HTTP_BIND = define("rnn.http.bind", "host", "127.0.0.1",
            "a host name or IP address of this machine (0.0.0.0 = every interface)",
            "Address the HTTP API listens on. The loopback default keeps it off the network; a wildcard "
                    + "address needs application.server to say where other instances reach it.",
            Values::host);
    public static final Setting<Integer> HTTP_PORT = define("rnn.http.port", "int", "8080",
            "an integer in [0, 65535] (0 = any free port)",
            "TCP port of the HTTP API.",
            Values.intIn(0, 65535, "an integer in [0, 65535]"));
    public static final Setting<Integer> HTTP_FORECAST_MAX_STEPS = define("rnn.http.forecast.max-steps", "int",
            "100", "an integer in [1, 10000]",
            "Largest steps a GET /sensors/{id}/forecast?steps=N may ask for.",
            Values.intIn(1, 10_000, "an integer in [1, 10000]"));

    /** Every setting, in documentation order. */
    public static final List<Setting<?>> ALL = List.copyOf(DEFINED);

    private static final Map<String, Setting<?>> BY_NAME;

    static {
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            if (byName.put(s.name(), s) != null) {
                throw new ExceptionInInitializerError("setting defined twice: " + s.name());
            }
        }
        BY_NAME = byName;
    }

    private Settings() {
    }

    private static <T> Setting<T> define(String name, String type, String defaultValue, String allowed, String doc,
                                         Function<String, T> parser) {
        Setting<T> s = new Setting<>(name, type, defaultValue, allowed, doc, parser);
        DEFINED.add(s);
        return s;
    }

    /** A setting whose default depends on {@link #LEARNER}: {@code defaults} maps every learner to its default. */
    private static <T> Setting<T> defineByLearner(String name, String type, Map<String, String> defaults,
                                                  String allowed, String doc, Function<String, T> parser) {
        if (!defaults.keySet().equals(Set.copyOf(List.of(LEARNER.allowed().split(", "))))) {
            throw new ExceptionInInitializerError(name + ": a default for every learner, got " + defaults.keySet());
        }
        Setting<T> s = new Setting<>(name, type, null, defaults, allowed, doc, parser);
        DEFINED.add(s);
        return s;
    }

    /** The setting of that exact name. */
    public static Optional<Setting<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The names of every setting, in documentation order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The settings table as aligned plain text: name, default, allowed values, description. */
    public static String table() {
        return SettingsDocs.table();
    }

    /** The settings table as a Markdown table (for the README). */
    public static String markdown() {
        return SettingsDocs.markdown();
    }

    /**
     * The documented example configuration file: every setting with its default, and the Kafka settings
     * whose defaults we set. The file {@code rnn-streams.properties} in the resources is exactly this text.
     */
    public static String exampleProperties() {
        return SettingsDocs.exampleProperties();
    }
}
