package io.rnnstreams.config;

import java.util.List;

/**
 * An invalid configuration: every problem found, each naming the setting (and, for a bad value, the value
 * and what is allowed). The message lists them one per line, so that a user fixes everything in one go.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> errors;

    /** @param errors one message per problem, in the order found; at least one */
    public ConfigException(List<String> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(String error) {
        this(List.of(error));
    }

    /** Each problem, one message each. */
    public List<String> errors() {
        return errors;
    }

    private static String format(List<String> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        if (errors.size() == 1) {
            return "invalid configuration: " + errors.get(0);
        }
        StringBuilder sb = new StringBuilder("invalid configuration (" + errors.size() + " errors):");
        for (String e : errors) {
            sb.append('\n').append("  - ").append(e);
        }
        return sb.toString();
    }
}
