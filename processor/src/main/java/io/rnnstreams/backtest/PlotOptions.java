package io.rnnstreams.backtest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Which part of a sensor's backtest the charts show ({@code --plot-window}, {@code --plot-channel}).
 *
 * @param lastReadings the last this many readings only; 0: no such bound
 * @param from         readings at or after this event time only; null: from the first
 * @param to           readings at or before this event time only; null: to the last
 * @param channel      the one channel to chart, by its name (the predictions' {@code channelNames}) or its index;
 *                     null: every channel
 */
public record PlotOptions(int lastReadings, Instant from, Instant to, String channel) {
    /** The whole range, every channel. */
    public static final PlotOptions DEFAULTS = new PlotOptions(0, null, null, null);

    public PlotOptions {
        if (lastReadings < 0) {
            throw new IllegalArgumentException("--plot-window last:N needs N >= 1, got " + lastReadings);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("--plot-window FROM/TO must have FROM <= TO, got " + from + "/" + to);
        }
        if (channel != null && channel.isBlank()) {
            channel = null;
        }
    }

    /**
     * Parses {@code --plot-window}: {@code all} (the default: the whole range), {@code last:N} (the last N
     * readings) or {@code FROM/TO} (ISO-8601 instants such as {@code 2017-01-01T00:00:00Z}; either side may be
     * empty for an open end).
     *
     * @throws IllegalArgumentException naming the option, the value and what is allowed
     */
    public static PlotOptions window(String text, String channel) {
        String v = text == null ? "all" : text.strip();
        if (v.equalsIgnoreCase("all")) {
            return new PlotOptions(0, null, null, channel);
        }
        if (v.toLowerCase(Locale.ROOT).startsWith("last:")) {
            try {
                int n = Integer.parseInt(v.substring(5).strip());
                if (n >= 1) {
                    return new PlotOptions(n, null, null, channel);
                }
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
            throw new IllegalArgumentException("--plot-window: invalid value '" + text + "': last:N needs a whole "
                    + "number N >= 1");
        }
        int slash = v.indexOf('/');
        if (slash >= 0) {
            try {
                Instant from = slash == 0 ? null : Instant.parse(v.substring(0, slash).strip());
                Instant to = slash == v.length() - 1 ? null : Instant.parse(v.substring(slash + 1).strip());
                return new PlotOptions(0, from, to, channel);
            } catch (DateTimeParseException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("--plot-window: invalid value '" + text + "': must be all, last:N or "
                + "FROM/TO with ISO-8601 instants (e.g. 2017-01-01T00:00:00Z/2017-01-08T00:00:00Z; either may be "
                + "left empty)");
    }

    /** The first and one past the last index of {@code eventTimes} (increasing) inside this window. */
    int[] range(long[] eventTimes) {
        int start = 0;
        int end = eventTimes.length;
        while (start < end && from != null && eventTimes[start] < from.toEpochMilli()) {
            start++;
        }
        while (end > start && to != null && eventTimes[end - 1] > to.toEpochMilli()) {
            end--;
        }
        if (lastReadings > 0) {
            start = Math.max(start, end - lastReadings);
        }
        return new int[] {start, end};
    }

    /**
     * The channels to chart of a series with these names: every one, or the one named (or numbered) by
     * {@link #channel}.
     *
     * @throws IllegalArgumentException if no channel has that name or number (the message lists them)
     */
    int[] channels(SensorSeries series, int count) {
        if (channel == null) {
            int[] all = new int[count];
            for (int c = 0; c < count; c++) {
                all[c] = c;
            }
            return all;
        }
        StringBuilder names = new StringBuilder();
        for (int c = 0; c < count; c++) {
            if (series.channelName(c).equals(channel)) {
                return new int[] {c};
            }
            names.append(c == 0 ? "" : ", ").append(series.channelName(c));
        }
        try {
            int index = Integer.parseInt(channel);
            if (index >= 0 && index < count) {
                return new int[] {index};
            }
        } catch (NumberFormatException e) {
            // not a number either
        }
        throw new IllegalArgumentException("--plot-channel: sensor " + series.sensor() + " has no channel '"
                + channel + "': its channels are " + names + " (or their numbers 0.." + (count - 1) + ")");
    }
}
