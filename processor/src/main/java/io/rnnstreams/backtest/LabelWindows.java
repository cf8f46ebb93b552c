package io.rnnstreams.backtest;

import io.rnnstreams.replay.FieldParsers;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Labelled anomaly windows per sensor, read from a CSV file with the header {@code sensor,start,end}: one
 * window a row, {@code start} and {@code end} inclusive event times (epoch milliseconds or ISO-8601, as the
 * replay command reads them). A reading is anomalous when its event time lies in one of its sensor's windows;
 * sensors without a row have none.
 */
public final class LabelWindows {
    /** One window: event times {@code startMs..endMs}, both inclusive. */
    public record Window(long startMs, long endMs) {
        public boolean contains(long eventTime) {
            return eventTime >= startMs && eventTime <= endMs;
        }
    }

    private final Map<String, List<Window>> windows;

    private LabelWindows(Map<String, List<Window>> windows) {
        this.windows = windows;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and line when it is not such a CSV, or a window ends before it
     *                           starts
     */
    public static LabelWindows read(Path file) {
        Map<String, List<Window>> windows = new TreeMap<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8); var parser = format.parse(reader)) {
            if (!parser.getHeaderNames().equals(List.of("sensor", "start", "end"))) {
                throw new IllegalArgumentException(file + ": --labels needs the header sensor,start,end, found "
                        + String.join(",", parser.getHeaderNames()));
            }
            for (CSVRecord record : parser) {
                String where = file + ":" + (record.getRecordNumber() + 1);
                if (record.size() != 3) {
                    throw new IllegalArgumentException(where + ": " + record.size() + " fields, expected 3");
                }
                long start;
                long end;
                try {
                    start = FieldParsers.parseTimestamp(record.get(1));
                    end = FieldParsers.parseTimestamp(record.get(2));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage() + "; expected "
                            + FieldParsers.TIMESTAMP_FORMATS);
                }
                if (end < start) {
                    throw new IllegalArgumentException(where + ": the window ends before it starts");
                }
                windows.computeIfAbsent(record.get(0), k -> new ArrayList<>()).add(new Window(start, end));
            }
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": cannot read as a labels CSV: " + e.getMessage());
        }
        return new LabelWindows(windows);
    }

    /** Windows in memory (for tests and in-process callers). */
    public static LabelWindows of(Map<String, List<Window>> windows) {
        return new LabelWindows(new TreeMap<>(windows));
    }

    /** {@code sensor}'s windows, in file order. */
    public List<Window> of(String sensor) {
        return windows.getOrDefault(sensor, List.of());
    }

    /** Per reading of {@code eventTimes}, whether it lies in one of {@code sensor}'s windows. */
    public boolean[] labels(String sensor, long[] eventTimes) {
        boolean[] labels = new boolean[eventTimes.length];
        for (Window w : of(sensor)) {
            for (int t = 0; t < eventTimes.length; t++) {
                labels[t] |= w.contains(eventTimes[t]);
            }
        }
        return labels;
    }
}
