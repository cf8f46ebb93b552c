package io.rnnstreams.config;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The definition of one {@code rnn.*} setting: its name, type, default, allowed values and documentation,
 * and the parser that turns a text value into a typed one. Every definition lives in {@link Settings}; parsing,
 * validation, the {@code settings} command and the example properties file are all driven by them.
 *
 * @param <T> the parsed type
 */
public final class Setting<T> {
    private final String name;
    private final String type;
    private final String defaultValue;
    private final String allowed;
    private final String doc;
    private final Function<String, T> parser;
    private final Map<String, String> learnerDefaults;

    Setting(String name, String type, String defaultValue, String allowed, String doc, Function<String, T> parser) {
        this(name, type, defaultValue, Map.of(), allowed, doc, parser);
    }

    Setting(String name, String type, String defaultValue, Map<String, String> learnerDefaults, String allowed,
            String doc, Function<String, T> parser) {
        this.name = Objects.requireNonNull(name, "name");
        this.learnerDefaults = Map.copyOf(learnerDefaults);
        if (!this.learnerDefaults.isEmpty() && defaultValue != null) {
            throw new IllegalArgumentException(name + ": a default per learner replaces the single default");
        }
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.parser = Objects.requireNonNull(parser, "parser");
        if (!name.startsWith("rnn.") || !name.matches("[a-z0-9.-]+")) {
            throw new IllegalArgumentException("a setting name is rnn.[a-z0-9.-]+, got " + name);
        }
    }

    /** The key, e.g. {@code rnn.model.hidden}. */
    public String name() {
        return name;
    }

    /** A short type name for documentation, e.g. {@code int}, {@code duration}, {@code list<int>}. */
    public String type() {
        return type;
    }

    /**
     * The default as text, or {@code null} when the setting is unset by default or its default depends on
     * {@code rnn.learner} ({@link #learnerDefaults()}).
     */
    public String defaultValue() {
        return defaultValue;
    }

    /**
     * For a setting whose default depends on {@code rnn.learner}: the default as text per learner, keyed by the
     * learner's name as written in a configuration (e.g. {@code hybrid -> 16, rnn -> 32} for
     * {@code rnn.model.hidden}); empty for every other setting.
     */
    public Map<String, String> learnerDefaults() {
        return learnerDefaults;
    }

    /**
     * The default under {@code rnn.learner=learner} (its name as written in a configuration, e.g. {@code hybrid}):
     * {@link #learnerDefaults()}'s entry for a setting whose default depends on the learner, else
     * {@link #defaultValue()}. The one rule by which a configuration resolves an unset setting, for the configured
     * learner ({@code AppConfig}'s loader) and for each learner a command runs side by side
     * ({@code AppConfig.learnerConfig(kind)}).
     */
    public String defaultFor(String learner) {
        return learnerDefaults.isEmpty() ? defaultValue : learnerDefaults.get(learner);
    }

    /**
     * The default as documentation shows it: {@link #defaultValue()}, or for a default per learner e.g.
     * {@code 16 (rnn.learner=hybrid), 32 (rnn.learner=rnn)}; {@code null} when unset by default.
     */
    public String defaultText() {
        if (learnerDefaults.isEmpty()) {
            return defaultValue;
        }
        return learnerDefaults.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " (rnn.learner=" + e.getKey() + ")")
                .collect(Collectors.joining(", "));
    }

    /** What values are allowed, for documentation and error messages, e.g. {@code elman, gru, lstm}. */
    public String allowed() {
        return allowed;
    }

    /** One or a few sentences on what the setting does. */
    public String doc() {
        return doc;
    }

    /** The environment variable that sets it: upper case, '.' and '-' become '_' ({@code RNN_MODEL_HIDDEN}). */
    public String environmentVariable() {
        return environmentName("", name);
    }

    /**
     * Parses a text value (already trimmed).
     *
     * @throws IllegalArgumentException with a message saying what is allowed (without the setting's name)
     */
    public T parse(String value) {
        return parser.apply(Objects.requireNonNull(value, "value"));
    }

    @Override
    public String toString() {
        return name;
    }

    /** {@code prefix} + the name in upper case with '.' and '-' replaced by '_'. */
    static String environmentName(String prefix, String key) {
        return prefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
