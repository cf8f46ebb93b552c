package io.rnnstreams.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Parsers of setting values. Each is strict (no trailing garbage, no silent rounding) and fails with an
 * {@link IllegalArgumentException} whose message says what is allowed; the caller adds the setting's name,
 * the value and where it came from.
 */
final class Values {
    static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    static final String TOPIC_ALLOWED = "a Kafka topic name: 1 to 249 of [a-zA-Z0-9._-]";
    static final String DURATION_ALLOWED = "a positive ISO-8601 duration (e.g. PT1H, P7D) or a whole number "
            + "with unit ms, s, m, h or d (e.g. 90s, 15m, 2h, 7d)";

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)");

    private Values() {
    }

    /** An int in {@code [min, max]}. */
    static Function<String, Integer> intIn(int min, int max, String allowed) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be " + allowed);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("must be " + allowed);
            }
            return v;
        };
    }

    /** Any long. */
    static Long anyLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number in [" + Long.MIN_VALUE + ", "
                    + Long.MAX_VALUE + "]");
        }
    }

    /**
     * A finite decimal number in a range.
     *
     * @param min          lower limit
     * @param minInclusive whether {@code min} itself is allowed
     * @param max          upper limit ({@code +Infinity} for none)
     * @param maxInclusive whether {@code max} itself is allowed
     */
    static Function<String, Double> doubleIn(double min, boolean minInclusive, double max, boolean maxInclusive,
                                             String allowed) {
        return s -> {
            if (!DECIMAL.matcher(s).matches()) {
                throw new IllegalArgumentException("must be " + allowed);
            }
            double v = Double.parseDouble(s);
            boolean ok = Double.isFinite(v)
                    && (minInclusive ? v >= min : v > min)
                    && (maxInclusive ? v <= max : v < max);
            if (!ok) {
                throw new IllegalArgumentException("must be " + allowed);
            }
            return v;
        };
    }

    static Boolean bool(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (s.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    /** The lower-case names of an enum's constants, comma separated. */
    static <E extends Enum<E>> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /** One of an enum's constants, by name, case-insensitive. */
    static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
        return s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("must be one of " + choices(type));
        };
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9:]([A-Za-z0-9.:-]{0,252}[A-Za-z0-9:])?");

    /** A host name, an IPv4 address or an IPv6 address without brackets: no scheme, port or path. */
    static String host(String s) {
        if (!HOST.matcher(s).matches()) {
            throw new IllegalArgumentException("must be a host name or IP address (no scheme, port or path)");
        }
        return s;
    }

    static String topic(String s) {
        if (!TOPIC_NAME.matcher(s).matches() || s.equals(".") || s.equals("..")) {
            throw new IllegalArgumentException("must be " + TOPIC_ALLOWED);
        }
        return s;
    }

    /** A comma-separated list of distinct topic names; the empty text is the empty list. */
    static List<String> topics(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String part : s.split(",", -1)) {
            String t = part.trim();
            if (!TOPIC_NAME.matcher(t).matches() || t.equals(".") || t.equals("..")) {
                throw new IllegalArgumentException("must be a comma-separated list of Kafka topic names "
                        + "(1 to 249 of [a-zA-Z0-9._-] each), got the entry '" + t + "'");
            }
            if (!topics.add(t)) {
                throw new IllegalArgumentException("must list each topic once, got '" + t + "' twice");
            }
        }
        return List.copyOf(topics);
    }

    /** A regular expression over topic names; the empty text is unset ({@code null}). */
    /** An existing readable file; empty means unset (null). */
    static java.nio.file.Path readableFile(String s) {
        if (s.isBlank()) {
            return null;
        }
        java.nio.file.Path path = java.nio.file.Path.of(s.trim());
        if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
            throw new IllegalArgumentException("no readable file at " + path.toAbsolutePath());
        }
        return path;
    }

    static Pattern regex(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("must be a Java regular expression ("
                    + e.getDescription() + " near index " + e.getIndex() + ")");
        }
    }

    /** A non-empty comma-separated list of layer sizes, each {@code >= 1}. */
    static List<Integer> layerSizes(String s) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String t = part.trim();
            int v;
            try {
                v = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                v = 0;
            }
            if (v < 1) {
                throw new IllegalArgumentException("must be a comma-separated list of layer sizes, each an "
                        + "integer >= 1 (bottom layer first, e.g. 64,32)");
            }
            sizes.add(v);
        }
        return List.copyOf(sizes);
    }

    /** A positive duration: ISO-8601 ({@code PT1H}, {@code P7D}) or a number and unit ({@code 90s}). */
    static Duration positiveDuration(String s) {
        Duration d;
        Matcher m = SHORT_DURATION.matcher(s);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2)) {
                    case "ms":
                        d = Duration.ofMillis(n);
                        break;
                    case "s":
                        d = Duration.ofSeconds(n);
                        break;
                    case "m":
                        d = Duration.ofMinutes(n);
                        break;
                    case "h":
                        d = Duration.ofHours(n);
                        break;
                    default:
                        d = Duration.ofDays(n);
                        break;
                }
            } else {
                d = Duration.parse(s);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("must be " + DURATION_ALLOWED);
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be " + DURATION_ALLOWED);
        }
        return d;
    }
}
