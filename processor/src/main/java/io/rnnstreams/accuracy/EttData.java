package io.rnnstreams.accuracy;

import io.rnnstreams.eval.Dataset;
import io.rnnstreams.eval.KeySeries;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The ETTh1 file (hourly readings of one electricity transformer: six load channels and the oil temperature
 * {@code OT}; Zhou et al., AAAI 2021; CC BY-ND 4.0, so it is read in place, never copied) and the three ways
 * the accuracy command models it:
 * <ul>
 *   <li>{@link #oilTemperature}: {@code OT} alone, one univariate sensor;</li>
 *   <li>{@link #jointSensor}: all seven channels as one 7-dimensional sensor (the network sees and forecasts
 *       all of them at once; the baselines work per channel); MASE is the mean of the seven channels';</li>
 *   <li>{@link #channelsAsSensors}: the seven channels as seven univariate sensors, so that scope
 *       {@code shared} trains one model on all seven; MASE is the mean of the seven sensors'.</li>
 * </ul>
 * All three use the daily period, 24 readings.
 */
public final class EttData {
    /** The channels, in file order; {@code OT} last. */
    public static final List<String> CHANNELS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    /** One day of hourly readings. */
    public static final int PERIOD = 24;

    private final Path file;
    private final double[][] rows;
    private final int fileRows;

    private EttData(Path file, double[][] rows, int fileRows) {
        this.file = file;
        this.rows = rows;
        this.fileRows = fileRows;
    }

    /**
     * Reads the file: a header {@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}, then one row an hour.
     *
     * @param maxRows keep only the first this many rows (0 = all)
     * @throws AccuracyException if the file is missing or not ETTh1-shaped
     */
    public static EttData read(Path file, int maxRows) throws AccuracyException {
        if (!Files.isRegularFile(file)) {
            throw new AccuracyException("ETTh1 not found at " + file.toAbsolutePath().normalize() + ". It is not in "
                    + "the repository (licence CC BY-ND 4.0): get ETT-small/ETTh1.csv from "
                    + "https://github.com/zhouhaoyi/ETDataset and pass its path with --ett FILE, or leave the real "
                    + "data out with --no-ett.");
        }
        List<double[]> rows = new ArrayList<>();
        int fileRows = 0;
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             var parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            List<String> expected = new ArrayList<>(List.of("date"));
            expected.addAll(CHANNELS);
            if (!header.equals(expected)) {
                throw new AccuracyException(file + ": expected the ETTh1 header " + String.join(",", expected)
                        + ", found " + String.join(",", header));
            }
            for (CSVRecord record : parser) {
                fileRows++;
                if (maxRows > 0 && rows.size() >= maxRows) {
                    continue;
                }
                if (record.size() != expected.size()) {
                    throw new AccuracyException(file + ":" + (record.getRecordNumber() + 1) + ": " + record.size()
                            + " fields, expected " + expected.size());
                }
                double[] row = new double[CHANNELS.size()];
                for (int c = 0; c < row.length; c++) {
                    String field = record.get(c + 1).trim();
                    try {
                        row[c] = Double.parseDouble(field);
                    } catch (NumberFormatException e) {
                        row[c] = Double.NaN;
                    }
                    if (!Double.isFinite(row[c])) {
                        throw new AccuracyException(file + ":" + (record.getRecordNumber() + 1) + ": "
                                + CHANNELS.get(c) + " is not a finite number: '" + field + "'");
                    }
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new AccuracyException("ETTh1 not found at " + file.toAbsolutePath().normalize());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new AccuracyException(file + ": cannot read as CSV: " + e.getMessage());
        }
        if (rows.size() < 2) {
            throw new AccuracyException(file + ": needs at least 2 data rows, found " + rows.size());
        }
        return new EttData(file, rows.toArray(new double[0][]), fileRows);
    }

    /** Rows used. */
    public int rows() {
        return rows.length;
    }

    /** Data rows in the file. */
    public int fileRows() {
        return fileRows;
    }

    /** {@code OT} alone, one univariate sensor. */
    public Dataset oilTemperature() {
        double[][] v = new double[rows.length][1];
        for (int t = 0; t < rows.length; t++) {
            v[t][0] = rows[t][CHANNELS.size() - 1];
        }
        return new Dataset("ETTh1, OT alone", extent() + "; oil temperature (OT) only, one sensor, 1 channel. "
                + "One key, so scope shared is the same computation as key (not repeated).", 1, PERIOD,
                List.of(new KeySeries("OT", v))).asReal();
    }

    /** All seven channels as one 7-dimensional sensor. */
    public Dataset jointSensor() {
        double[][] v = new double[rows.length][];
        for (int t = 0; t < rows.length; t++) {
            v[t] = rows[t].clone();
        }
        return new Dataset("ETTh1, seven channels as one 7-dimensional sensor", extent() + "; one sensor whose "
                + "readings have 7 channels: the network reads and forecasts all seven together; persistence and "
                + "AR work per channel. MASE is the mean of the channels' MASE. One key, so scope shared is the "
                + "same computation as key (not repeated).", CHANNELS.size(), PERIOD,
                List.of(new KeySeries("ETTh1", v))).asReal();
    }

    /** The seven channels as seven univariate sensors. */
    public Dataset channelsAsSensors() {
        List<KeySeries> keys = new ArrayList<>();
        for (int c = 0; c < CHANNELS.size(); c++) {
            double[][] v = new double[rows.length][1];
            for (int t = 0; t < rows.length; t++) {
                v[t][0] = rows[t][c];
            }
            keys.add(new KeySeries(CHANNELS.get(c), v));
        }
        return new Dataset("ETTh1, seven channels as seven sensors", extent() + "; each channel a univariate "
                + "sensor (7 keys, 1 channel), so scope shared trains one model on all seven. MASE is the mean of "
                + "the sensors' MASE; the baselines' rows equal the 7-dimensional table's.", 1, PERIOD, keys).asReal();
    }

    /** The three datasets in table order. */
    public List<Dataset> datasets() {
        return List.of(oilTemperature(), jointSensor(), channelsAsSensors());
    }

    private String extent() {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String used = rows.length == fileRows ? "all " + rows.length + " hourly rows"
                : "the first " + rows.length + " of " + fileRows + " hourly rows (capped by --ett-rows)";
        return name + ", " + used + ", period " + PERIOD;
    }
}
