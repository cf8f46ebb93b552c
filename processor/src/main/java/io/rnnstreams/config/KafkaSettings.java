package io.rnnstreams.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka settings that pass through to Kafka Streams: which names are known, how their values are
 * checked, which defaults we set, and which environment variable names map to them.
 *
 * <p>A key passes through when it is a Kafka Streams, consumer, producer or admin client config name; or
 * such a name behind one of Streams' client prefixes ({@code consumer.}, {@code main.consumer.},
 * {@code restore.consumer.}, {@code global.consumer.} with a consumer name, {@code producer.} with a producer
 * name, {@code admin.} with an admin name); or {@code topic.} with a topic config name (applied to Streams'
 * internal topics); or a security setting ({@code ssl.*}, {@code sasl.*}, {@code security.protocol}), with or
 * without a client prefix; or one of Kafka's open-ended families ({@code client.tag.*},
 * {@code config.providers.*}, {@code metrics.context.*}).
 */
final class KafkaSettings {
    /** A Kafka setting whose default we set, differing from Kafka's own. */
    record Default(String name, String value, String doc) {
    }

    /** Kafka settings we give defaults to (default key and value serdes are not needed: the topology sets its own). */
    static final List<Default> DEFAULTS = List.of(
            new Default(StreamsConfig.APPLICATION_ID_CONFIG, "rnn-streams",
                    "Kafka Streams application id: the consumer group, and the prefix of internal topics and of "
                            + "the state directory."),
            new Default(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
                    "Kafka brokers to connect to first (host:port, comma-separated)."),
            new Default(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                    "exactly_once_v2: every reading yields exactly one prediction or one dead letter, also across "
                            + "crashes; at_least_once may repeat some after a crash."));

    /** The longest suffix of an internal topic's name: the key-state store's changelog. */
    private static final String LONGEST_INTERNAL_SUFFIX = "-rnn-key-state-changelog";
    private static final int MAX_APPLICATION_ID_LENGTH = 249 - LONGEST_INTERNAL_SUFFIX.length();
    private static final String APPLICATION_ID_PATTERN = "[a-zA-Z0-9._-]{1," + MAX_APPLICATION_ID_LENGTH + "}";

    /** The client prefixes of Streams, each with the config definition of the client it addresses. */
    private static final Map<String, ConfigDef> CLIENT_PREFIXES;
    /** Open-ended families of Kafka settings, passed through without a name check. */
    private static final List<String> OPEN_PREFIXES = List.of(StreamsConfig.CLIENT_TAG_PREFIX,
            "config.providers.", "metrics.context.");
    /** Topic-level configs, settable for Streams' internal topics with the {@code topic.} prefix. */
    private static final Set<String> TOPIC_CONFIGS = Set.of(
            TopicConfig.SEGMENT_BYTES_CONFIG, TopicConfig.SEGMENT_MS_CONFIG, TopicConfig.SEGMENT_JITTER_MS_CONFIG,
            TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG,
            TopicConfig.FLUSH_MS_CONFIG, TopicConfig.RETENTION_BYTES_CONFIG, TopicConfig.RETENTION_MS_CONFIG,
            TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG, TopicConfig.LOCAL_LOG_RETENTION_MS_CONFIG,
            TopicConfig.LOCAL_LOG_RETENTION_BYTES_CONFIG, TopicConfig.REMOTE_LOG_COPY_DISABLE_CONFIG,
            TopicConfig.REMOTE_LOG_DELETE_ON_DISABLE_CONFIG, TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
            TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, TopicConfig.FILE_DELETE_DELAY_MS_CONFIG,
            TopicConfig.DELETE_RETENTION_MS_CONFIG, TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
            TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, TopicConfig.COMPRESSION_TYPE_CONFIG,
            TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG, TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG,
            TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, TopicConfig.PREALLOCATE_CONFIG,
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG,
            TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG);

    private static final ConfigDef STREAMS = StreamsConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    /** Every known (non-open-ended) Kafka setting name, prefixed ones included. */
    private static final Set<String> KNOWN;
    /** Environment variable name -> the setting names it could mean (more than one: ambiguous). */
    private static final Map<String, Set<String>> BY_ENVIRONMENT_NAME;

    static {
        Map<String, ConfigDef> prefixes = new LinkedHashMap<>();
        prefixes.put(StreamsConfig.MAIN_CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.RESTORE_CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.GLOBAL_CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.CONSUMER_PREFIX, CONSUMER);
        prefixes.put(StreamsConfig.PRODUCER_PREFIX, PRODUCER);
        prefixes.put(StreamsConfig.ADMIN_CLIENT_PREFIX, ADMIN);
        CLIENT_PREFIXES = Collections.unmodifiableMap(prefixes);

        Set<String> known = new TreeSet<>();
        known.addAll(STREAMS.names());
        known.addAll(CONSUMER.names());
        known.addAll(PRODUCER.names());
        known.addAll(ADMIN.names());
        for (Map.Entry<String, ConfigDef> p : CLIENT_PREFIXES.entrySet()) {
            for (String name : p.getValue().names()) {
                known.add(p.getKey() + name);
            }
        }
        for (String name : TOPIC_CONFIGS) {
            known.add(StreamsConfig.TOPIC_PREFIX + name);
        }
        KNOWN = Collections.unmodifiableSet(known);

        Map<String, Set<String>> byEnv = new TreeMap<>();
        for (String name : KNOWN) {
            byEnv.computeIfAbsent(environmentName(name), k -> new TreeSet<>()).add(name);
        }
        BY_ENVIRONMENT_NAME = Collections.unmodifiableMap(byEnv);
    }

    private KafkaSettings() {
    }

    /** The environment variable for a Kafka setting: {@code KAFKA_} + upper case, '.' and '-' -> '_'. */
    static String environmentName(String name) {
        return Setting.environmentName("KAFKA_", name);
    }

    /** How a key relates to Kafka's settings. */
    enum Kind {
        /** A Kafka Streams, client or topic config name, possibly behind a prefix. */
        KNOWN,
        /** A security setting ({@code ssl.*}, {@code sasl.*}) that Kafka does not define: passed through. */
        OTHER_SECURITY,
        /** A member of an open-ended family ({@code client.tag.*}, {@code config.providers.*}, ...). */
        OPEN,
        /** Not a Kafka setting. */
        UNKNOWN
    }

    /** Whether and how the key passes through to Kafka Streams. */
    static Kind classify(String key) {
        if (KNOWN.contains(key)) {
            return Kind.KNOWN;
        }
        if (isSecurity(key)) {
            return Kind.OTHER_SECURITY;
        }
        for (String open : OPEN_PREFIXES) {
            if (key.startsWith(open) && key.length() > open.length()) {
                return Kind.OPEN;
            }
        }
        String unprefixed = stripClientPrefix(key);
        return unprefixed != null && isSecurity(unprefixed) ? Kind.OTHER_SECURITY : Kind.UNKNOWN;
    }

    /** Whether the key passes through to Kafka Streams. */
    static boolean isKnown(String key) {
        return classify(key) != Kind.UNKNOWN;
    }

    /** Every known Kafka setting name (for suggestions). */
    static Set<String> knownNames() {
        return KNOWN;
    }

    /** The setting names an environment variable ({@code KAFKA_...}) may mean; empty when none. */
    static Set<String> forEnvironmentVariable(String variable) {
        return BY_ENVIRONMENT_NAME.getOrDefault(variable, Set.of());
    }

    /** Every environment variable name that maps to a Kafka setting (for suggestions). */
    static Set<String> environmentNames() {
        return BY_ENVIRONMENT_NAME.keySet();
    }

    /**
     * Checks a value against Kafka's own definition of the setting (type and validator), when Kafka defines
     * it; an empty result means valid or not checkable here (Kafka Streams checks it again at start).
     */
    static Optional<String> check(String key, String value) {
        if (key.equals(StreamsConfig.APPLICATION_ID_CONFIG) && !value.matches(APPLICATION_ID_PATTERN)) {
            // found here, not at the first internal topic's creation after Kafka Streams started
            return Optional.of("must be 1 to " + MAX_APPLICATION_ID_LENGTH + " of [a-zA-Z0-9._-]: it prefixes the "
                    + "internal topics' names (e.g. <application.id>" + LONGEST_INTERNAL_SUFFIX + "), and Kafka topic "
                    + "names are at most 249 of these characters");
        }
        ConfigDef.ConfigKey def = definition(key);
        if (def == null) {
            return Optional.empty();
        }
        try {
            Object parsed = ConfigDef.parseType(def.name, value, def.type);
            if (def.validator != null) {
                def.validator.ensureValid(def.name, parsed);
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of(reason);
        }
    }

    /** Whether a value of this Kafka setting is a secret (Kafka's type PASSWORD). */
    static boolean isPasswordType(String key) {
        ConfigDef.ConfigKey def = definition(key);
        return def != null && def.type == ConfigDef.Type.PASSWORD;
    }

    private static ConfigDef.ConfigKey definition(String key) {
        for (ConfigDef def : List.of(STREAMS, CONSUMER, PRODUCER, ADMIN)) {
            ConfigDef.ConfigKey k = def.configKeys().get(key);
            if (k != null) {
                return k;
            }
        }
        for (Map.Entry<String, ConfigDef> p : CLIENT_PREFIXES.entrySet()) {
            if (key.startsWith(p.getKey())) {
                ConfigDef.ConfigKey k = p.getValue().configKeys().get(key.substring(p.getKey().length()));
                if (k != null) {
                    return k;
                }
            }
        }
        return null;
    }

    private static boolean isSecurity(String key) {
        return key.equals("security.protocol") || (key.startsWith("ssl.") && key.length() > 4)
                || (key.startsWith("sasl.") && key.length() > 5);
    }

    /** The key without its client prefix, or null when it has none. */
    private static String stripClientPrefix(String key) {
        for (String prefix : CLIENT_PREFIXES.keySet()) {
            if (key.startsWith(prefix)) {
                return key.substring(prefix.length());
            }
        }
        return null;
    }

    /** The names of the Kafka settings we give defaults to. */
    static List<String> defaultNames() {
        List<String> names = new ArrayList<>();
        for (Default d : DEFAULTS) {
            names.add(d.name());
        }
        return names;
    }
}
