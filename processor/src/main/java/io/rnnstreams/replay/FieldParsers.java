package io.rnnstreams.replay;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/** Parsing of the timestamp and value fields of CSV rows. */
public final class FieldParsers {
    /**
     * {@code yyyy-MM-dd['T'HH:mm[:ss[.fraction]]][offset]}; a space instead of the {@code T} is replaced
     * before parsing. Strict: no 2016-02-30.
     */
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
            .optionalStart().appendOffsetId().optionalEnd()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    /** What a timestamp may look like, for messages. */
    public static final String TIMESTAMP_FORMATS = "epoch milliseconds or ISO-8601 such as 2016-07-01T00:00:00Z or "
            + "2016-07-01 00:00:00 (UTC)";

    private FieldParsers() {
    }

    /**
     * Milliseconds since the epoch from a timestamp field: an integer is epoch milliseconds; otherwise
     * ISO-8601 date-time {@code 2016-07-01T00:00:00Z}, with an offset ({@code +02:00}) or without one (UTC),
     * {@code T} or a space between date and time, optional fraction of a second (truncated to milliseconds);
     * a date alone is midnight UTC.
     *
     * @throws IllegalArgumentException with a short reason when the text is none of these
     */
    public static long parseTimestamp(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty timestamp");
        }
        if (isInteger(t)) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestamp " + quote(t) + " is out of range");
            }
        }
        if (t.length() > 10 && t.charAt(10) == ' ') {
            t = t.substring(0, 10) + 'T' + t.substring(11);
        }
        long fast = fastIso(t);
        if (fast != NOT_FAST) {
            return fast;
        }
        try {
            TemporalAccessor parsed = ISO.parse(t);
            LocalDate date = parsed.query(TemporalQueries.localDate());
            LocalTime time = parsed.query(TemporalQueries.localTime());
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                    ? ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)) : ZoneOffset.UTC;
            return LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time).toInstant(offset).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("unparsable timestamp " + quote(text.strip()) + ": expected "
                    + TIMESTAMP_FORMATS);
        }
    }

    /**
     * A channel value: a decimal number ({@code 1}, {@code -2.5}, {@code 1e-3}), or a non-finite one, which is
     * passed on ({@code NaN}, {@code Inf}, {@code Infinity}, {@code -inf}, any case). Java's extras (hex,
     * a trailing {@code d} or {@code f}) are refused.
     *
     * @throws NumberFormatException when the text is not a number
     */
    static double parseValue(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "nan":
            case "+nan":
            case "-nan":
                return Double.NaN;
            case "inf":
            case "+inf":
            case "infinity":
            case "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf":
            case "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                throw new NumberFormatException(t);
            }
        }
        return Double.parseDouble(t);
    }

    private static final long NOT_FAST = Long.MIN_VALUE;

    /**
     * The common shapes {@code yyyy-MM-ddTHH:mm:ss[.SSS][Z]} without a DateTimeFormatter, which is an order of
     * magnitude slower; {@link #NOT_FAST} for any other shape or an invalid date (the formatter then decides).
     */
    private static long fastIso(String t) {
        int n = t.length();
        boolean zulu = n > 0 && (t.charAt(n - 1) == 'Z' || t.charAt(n - 1) == 'z');
        int core = zulu ? n - 1 : n;
        if (core != 19 && core != 23) {
            return NOT_FAST;
        }
        if (t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != 't')
                || t.charAt(13) != ':' || t.charAt(16) != ':' || core == 23 && t.charAt(19) != '.') {
            return NOT_FAST;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int milli = core == 23 ? digits(t, 20, 23) : 0;
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || milli < 0) {
            return NOT_FAST;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC) * 1000L
                    + milli;
        } catch (DateTimeException e) {
            return NOT_FAST;
        }
    }

    /** The decimal number in t[from, to), or -1 if a character there is not a digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isInteger(String t) {
        int start = t.charAt(0) == '-' || t.charAt(0) == '+' ? 1 : 0;
        if (start == t.length()) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The text in double quotes, shortened to 40 characters, for messages. */
    static String quote(String text) {
        String t = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return '"' + t + '"';
    }
}
