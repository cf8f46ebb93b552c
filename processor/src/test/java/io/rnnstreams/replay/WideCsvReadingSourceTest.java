package io.rnnstreams.replay;

import static io.rnnstreams.replay.CsvReadingSourceTest.assertBad;
import static io.rnnstreams.replay.CsvReadingSourceTest.assertReading;
import static io.rnnstreams.replay.CsvReadingSourceTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wide CSV files in the layout of ETTh1 ({@code date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT}, hourly,
 * {@code 2016-07-01 00:00:00}). The data set's licence (CC BY-ND) allows only unchanged copies, so the test
 * generates a file of the same shape instead of copying 50 rows.
 */
class WideCsvReadingSourceTest {
    static final List<String> ETT_CHANNELS = List.of("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT");
    static final LocalDateTime START = LocalDateTime.of(2016, 7, 1, 0, 0);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    @TempDir
    Path dir;

    /** Channel c of row i of the generated file: smooth, distinct per channel, with a long decimal expansion. */
    static double value(int row, int channel) {
        return Math.sin(row * 0.3 + channel) * (channel + 1) + 10 * channel + 1.0 / 3;
    }

    /** A wide CSV of {@code rows} hourly rows in ETTh1's layout. */
    static Path ettLike(Path file, int rows) throws IOException {
        StringBuilder sb = new StringBuilder("date," + String.join(",", ETT_CHANNELS) + "\n");
        for (int i = 0; i < rows; i++) {
            sb.append(DATE.format(START.plusHours(i)));
            for (int c = 0; c < ETT_CHANNELS.size(); c++) {
                sb.append(',').append(value(i, c));
            }
            sb.append('\n');
        }
        return Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static long hour(int i) {
        return START.plusHours(i).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    @Test
    void eachRowIsOneMultiChannelReadingOfTheFilesSensor() throws Exception {
        Path file = ettLike(dir.resolve("ETTh1.csv"), 50);
        try (ReadingSource source = ReadingSources.open(file, false, null)) {
            WideCsvReadingSource wide = assertInstanceOf(WideCsvReadingSource.class, source);
            assertEquals("ETTh1", wide.sensor(), "the file name without extensions");
            assertEquals(ETT_CHANNELS, source.channels());
            assertEquals("wide CSV, sensor ETTh1, 7 channels", source.describe());
        }
        List<SourceRow> rows = readAll(file);
        assertEquals(50, rows.size());
        for (int i = 0; i < 50; i++) {
            double[] expected = new double[7];
            for (int c = 0; c < 7; c++) {
                expected[c] = value(i, c);
            }
            assertReading(rows.get(i), i + 2, "ETTh1", hour(i), expected);
        }
        assertEquals(Instant.parse("2016-07-03T01:00:00Z").toEpochMilli(),
                ((SourceRow.Reading) rows.get(49)).eventTime());
    }

    @Test
    void sensorIdOption() throws Exception {
        Path file = ettLike(dir.resolve("ETTh1.csv.gz.csv"), 3);
        assertEquals("ETTh1", ((SourceRow.Reading) readAll(file).get(0)).sensor(), "up to the first dot");
        List<SourceRow> rows = readAll(file, false, "transformer-1");
        assertEquals(3, rows.size());
        for (SourceRow r : rows) {
            assertEquals("transformer-1", ((SourceRow.Reading) r).sensor());
        }
    }

    @Test
    void badRows() throws Exception {
        Path file = Files.writeString(dir.resolve("station.csv"), String.join("\n",
                "date,load,temp",
                "2016-07-01 00:00:00,1,2",
                "2016-07-01 01:00:00,1",
                "2016-07-01 02:00:00,1,2,3",
                "2016-07-01 03:00:00,x,2",
                "2016-07-01 04:00,1,2",
                "2016-07-01 25:00:00,1,2",
                "2016-07-01 06:00:00,1,",
                "1467338400000,nan,inf",
                ""));
        List<SourceRow> rows = readAll(file);
        assertEquals(8, rows.size());
        assertReading(rows.get(0), 2, "station", hour(0), 1, 2);
        assertBad(rows.get(1), file, 3, "expected 3 columns (date and 2 channels), found 2");
        assertBad(rows.get(2), file, 4, "expected 3 columns (date and 2 channels), found 4");
        assertBad(rows.get(3), file, 5, "unparsable number \"x\" in column load (2)");
        assertReading(rows.get(4), 6, "station", hour(4), 1, 2);
        assertBad(rows.get(5), file, 7, "unparsable timestamp \"2016-07-01 25:00:00\": expected epoch milliseconds "
                + "or ISO-8601 such as 2016-07-01T00:00:00Z or 2016-07-01 00:00:00 (UTC)");
        assertBad(rows.get(6), file, 8, "empty value in column temp (3)");
        assertReading(rows.get(7), 9, "station", hour(2), Double.NaN, Double.POSITIVE_INFINITY);
    }

    @Test
    void theLayoutFollowsTheHeaderUnlessWideIsForced() throws Exception {
        Path file = Files.writeString(dir.resolve("odd.csv"), "time,sensor\n1,2\n");
        ReplayException e = assertThrows(ReplayException.class, () -> ReadingSources.open(file, false, null),
                "a second column named sensor makes it the long layout");
        assertEquals(file + ":1: the header of a CSV file with a sensor column must start with timestamp,sensor; "
                + "found time,sensor", e.getMessage());
        List<SourceRow> rows = readAll(file, true, null);
        assertEquals(1, rows.size());
        assertReading(rows.get(0), 2, "odd", 1, 2);
        try (ReadingSource source = ReadingSources.open(file, true, null)) {
            assertEquals(List.of("sensor"), source.channels(), "--wide-csv: a channel that happens to be named sensor");
        }
    }
}
