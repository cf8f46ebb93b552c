package io.rnnstreams.accuracy;

import io.rnnstreams.eval.KeySeries;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The Skoltech Anomaly Benchmark (SKAB; Katser and Kozitsin, 2020; GPL v3, so it is read in place, never
 * copied): a pump testbed's eight sensors at 1 Hz, one file per run. {@code anomaly-free/anomaly-free.csv} is
 * normal operation only; the 34 runs under {@code valve1/}, {@code valve2/} and {@code other/} each start
 * normal, then a fault is induced, and carry two label columns: {@code anomaly} (1 while the fault lasts)
 * and {@code changepoint} (1 at its onset).
 *
 * <p>Files are separated by {@code ;}; the first column is a local date-time without zone
 * ({@code 2020-03-09 10:14:33}), read here as UTC seconds (only differences and order matter).
 */
public final class SkabData {
    /** The sensors, in file order. */
    public static final List<String> CHANNELS = List.of("Accelerometer1RMS", "Accelerometer2RMS", "Current",
            "Pressure", "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS");
    /** The folders of labelled runs, in the order their files are listed. */
    public static final List<String> RUN_FOLDERS = List.of("valve1", "valve2", "other");
    /** The published protocol fits a detector on each run's first this many rows and scores the rest. */
    public static final int TRAINING_ROWS = 400;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /**
     * One file.
     *
     * @param name        folder and file without extension, e.g. {@code valve1/0}
     * @param epochSecond each row's time, seconds since 1970 reading the local time as UTC; {@code n} rows
     * @param values      {@code n x 8} readings, channels in {@link #CHANNELS} order, all finite
     * @param anomaly     {@code n} labels (1 during a fault), or null for the anomaly-free file
     * @param changepoint {@code n} labels (1 at a fault's onset), or null for the anomaly-free file
     */
    public record Run(String name, long[] epochSecond, double[][] values, int[] anomaly, int[] changepoint) {
        /** Rows in the file. */
        public int length() {
            return values.length;
        }

        /** Whether the file carries labels. */
        public boolean labelled() {
            return anomaly != null;
        }

        /** This run as one 8-channel sensor keyed by its name. */
        public KeySeries asSensor() {
            return new KeySeries(name, values);
        }
    }

    private final Path root;
    private final Run anomalyFree;
    private final List<Run> runs;

    private SkabData(Path root, Run anomalyFree, List<Run> runs) {
        this.root = root;
        this.anomalyFree = anomalyFree;
        this.runs = List.copyOf(runs);
    }

    /**
     * Reads {@code root/anomaly-free/anomaly-free.csv} and every {@code root/<folder>/<n>.csv} of
     * {@link #RUN_FOLDERS}, files in numeric order within a folder.
     *
     * @throws AccuracyException if the folder is missing or a file is not SKAB-shaped
     */
    public static SkabData read(Path root) throws AccuracyException {
        if (!Files.isDirectory(root)) {
            throw new AccuracyException("SKAB not found at " + root.toAbsolutePath().normalize() + ". It is not in "
                    + "the repository (licence GPL v3): get the data/ folder of https://github.com/waico/SKAB and "
                    + "pass its path with --skab DIR, or leave it out with --no-skab.");
        }
        Run anomalyFree = readRun(root.resolve("anomaly-free").resolve("anomaly-free.csv"), "anomaly-free", false);
        List<Run> runs = new ArrayList<>();
        for (String folder : RUN_FOLDERS) {
            Path dir = root.resolve(folder);
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir)) {
                files = listing.filter(p -> p.getFileName().toString().matches("\\d+\\.csv"))
                        .sorted(Comparator.comparingInt(SkabData::fileNumber)).toList();
            } catch (IOException e) {
                throw new AccuracyException(dir + ": cannot list SKAB runs: " + e.getMessage());
            }
            for (Path file : files) {
                runs.add(readRun(file, folder + "/" + fileNumber(file), true));
            }
        }
        if (runs.isEmpty()) {
            throw new AccuracyException(root + ": no labelled SKAB runs under " + RUN_FOLDERS);
        }
        return new SkabData(root, anomalyFree, runs);
    }

    /** The normal-operation file (no labels). */
    public Run anomalyFree() {
        return anomalyFree;
    }

    /** The labelled runs: {@code valve1/0..15}, {@code valve2/0..3}, {@code other/1..14}. */
    public List<Run> runs() {
        return runs;
    }

    /** The labelled runs ordered by their first timestamp (ties by name), as one stream would deliver them. */
    public List<Run> runsInTimeOrder() {
        return runs.stream().sorted(Comparator.<Run>comparingLong(r -> r.epochSecond()[0])
                .thenComparing(Run::name)).toList();
    }

    /** Where the data was read from. */
    public Path root() {
        return root;
    }

    private static int fileNumber(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.length() - ".csv".length()));
    }

    private static Run readRun(Path file, String name, boolean labelled) throws AccuracyException {
        List<String> expected = new ArrayList<>(List.of("datetime"));
        expected.addAll(CHANNELS);
        if (labelled) {
            expected.addAll(List.of("anomaly", "changepoint"));
        }
        List<Long> times = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(';').setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             var parser = format.parse(reader)) {
            if (!parser.getHeaderNames().equals(expected)) {
                throw new AccuracyException(file + ": expected the SKAB header " + String.join(";", expected)
                        + ", found " + String.join(";", parser.getHeaderNames()));
            }
            for (CSVRecord record : parser) {
                String where = file + ":" + (record.getRecordNumber() + 1);
                if (record.size() != expected.size()) {
                    throw new AccuracyException(where + ": " + record.size() + " fields, expected " + expected.size());
                }
                try {
                    times.add(LocalDateTime.parse(record.get(0).trim(), TIME).toEpochSecond(ZoneOffset.UTC));
                } catch (DateTimeParseException e) {
                    throw new AccuracyException(where + ": datetime '" + record.get(0) + "' is not yyyy-MM-dd HH:mm:ss");
                }
                double[] row = new double[CHANNELS.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = number(record.get(c + 1), where, CHANNELS.get(c));
                }
                rows.add(row);
                if (labelled) {
                    labels.add(new int[] {label(record.get(9), where, "anomaly"),
                            label(record.get(10), where, "changepoint")});
                }
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new AccuracyException(file + ": cannot read as SKAB CSV: " + e.getMessage());
        }
        if (rows.size() < 2) {
            throw new AccuracyException(file + ": needs at least 2 data rows, found " + rows.size());
        }
        long[] epochSecond = times.stream().mapToLong(Long::longValue).toArray();
        int[] anomaly = labelled ? labels.stream().mapToInt(l -> l[0]).toArray() : null;
        int[] changepoint = labelled ? labels.stream().mapToInt(l -> l[1]).toArray() : null;
        return new Run(name, epochSecond, rows.toArray(new double[0][]), anomaly, changepoint);
    }

    private static double number(String field, String where, String column) throws AccuracyException {
        double v;
        try {
            v = Double.parseDouble(field.trim());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!Double.isFinite(v)) {
            throw new AccuracyException(where + ": " + column + " is not a finite number: '" + field + "'");
        }
        return v;
    }

    private static int label(String field, String where, String column) throws AccuracyException {
        double v = number(field, where, column);
        if (v != 0.0 && v != 1.0) {
            throw new AccuracyException(where + ": " + column + " must be 0 or 1, found " + field);
        }
        return (int) v;
    }
}
