package io.rnnstreams.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReadingSourceTest {
    private static final String TS = "expected epoch milliseconds or ISO-8601 such as 2016-07-01T00:00:00Z or "
            + "2016-07-01 00:00:00 (UTC)";

    @TempDir
    Path dir;

    /** Good and bad rows, CRLF and LF, blank lines, quoted and multi-line fields: every line number is exact. */
    @Test
    void goodAndBadRowsWithExactLineNumbersAndReasons() throws Exception {
        Path file = write("readings.csv", String.join("",
                "timestamp,sensor,a,b\r\n",                       // 1
                "1000,s1,1.5,2.5\r\n",                            // 2 good, epoch
                "2016-07-01T00:00:00Z,s2,-1,1e3\n",               // 3 good, ISO
                "\n",                                             // 4 blank: skipped, not bad
                "2016-07-01 00:00:00,s1,NaN,-Inf\n",              // 5 good: non-finite values pass
                "1001,s1,1.5\n",                                  // 6 too few columns
                "1002,s1,abc,2\n",                                // 7 not a number
                "yesterday,s1,1,2\n",                             // 8 not a timestamp
                "1003,,1,2\n",                                    // 9 no sensor
                "1004,s1,,2\n",                                   // 10 empty value
                "1005,\"s,3\",1,\"2\"\n",                         // 11 good: quoted fields
                "1006,\"multi\nline\",1,2\n",                     // 12-13 good: a field with a line break
                "2016-02-30T00:00:00Z,s1,1,2\n",                  // 14 no such day
                "1007,s1,1,2,3\n",                                // 15 too many columns
                "   \n",                                          // 16 blank
                " 1008 , s4 , 3 , 4 "));                          // 17 good: spaces, no final line break
        List<SourceRow> rows = readAll(file);
        assertEquals(13, rows.size());

        assertReading(rows.get(0), 2, "s1", 1000, 1.5, 2.5);
        assertReading(rows.get(1), 3, "s2", Instant.parse("2016-07-01T00:00:00Z").toEpochMilli(), -1, 1000);
        assertReading(rows.get(2), 5, "s1", Instant.parse("2016-07-01T00:00:00Z").toEpochMilli(), Double.NaN,
                Double.NEGATIVE_INFINITY);
        assertBad(rows.get(3), file, 6, "expected 4 columns (timestamp, sensor and 2 channels), found 3");
        assertBad(rows.get(4), file, 7, "unparsable number \"abc\" in column a (3)");
        assertBad(rows.get(5), file, 8, "unparsable timestamp \"yesterday\": " + TS);
        assertBad(rows.get(6), file, 9, "empty sensor id");
        assertBad(rows.get(7), file, 10, "empty value in column a (3)");
        assertReading(rows.get(8), 11, "s,3", 1005, 1, 2);
        assertReading(rows.get(9), 12, "multi\nline", 1006, 1, 2);
        assertBad(rows.get(10), file, 14, "unparsable timestamp \"2016-02-30T00:00:00Z\": " + TS);
        assertBad(rows.get(11), file, 15, "expected 4 columns (timestamp, sensor and 2 channels), found 5");
        assertReading(rows.get(12), 17, "s4", 1008, 3, 4);
    }

    @Test
    void describesItself() throws Exception {
        Path file = write("one.csv", "Timestamp,SENSOR,temperature\n1,s,2\n");
        try (ReadingSource source = ReadingSources.open(file, false, null)) {
            assertInstanceOf(CsvReadingSource.class, source);
            assertEquals(List.of("temperature"), source.channels());
            assertEquals("CSV with a sensor column, 1 channel", source.describe());
            assertReading(source.next(), 2, "s", 1, 2);
            assertNull(source.next());
            assertNull(source.next(), "stays at the end");
            assertEquals(Files.size(file), source.bytesRead());
        }
    }

    @Test
    void byteOrderMarkBeforeTheHeader() throws Exception {
        Path file = write("bom.csv", "\uFEFFtimestamp,sensor,x\n5,s,1\n");
        try (ReadingSource source = ReadingSources.open(file, false, null)) {
            assertInstanceOf(CsvReadingSource.class, source);
            assertReading(source.next(), 2, "s", 5, 1);
        }
    }

    @Test
    void blankLinesBeforeTheHeader() throws Exception {
        Path file = write("blank-first.csv", "\n \r\ntimestamp,sensor,x\n5,s,1\n");
        try (ReadingSource source = ReadingSources.open(file, false, null)) {
            assertInstanceOf(CsvReadingSource.class, source);
            assertReading(source.next(), 4, "s", 5, 1);
        }
    }

    @Test
    void gzipFiles() throws Exception {
        Path file = dir.resolve("readings.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("timestamp,sensor,x\n1,s,1\n2,s,oops\n3,s,3\n".getBytes(StandardCharsets.UTF_8));
        }
        List<SourceRow> rows = readAll(file);
        assertEquals(3, rows.size());
        assertReading(rows.get(0), 2, "s", 1, 1);
        assertBad(rows.get(1), file, 3, "unparsable number \"oops\" in column x (3)");
        assertReading(rows.get(2), 4, "s", 3, 3);
    }

    @Test
    void unusableFilesFailBeforeAnyRow() throws Exception {
        assertInput("empty.csv", "", ": no header line (the file is empty)");
        assertInput("blank.csv", "\n\n", ": no header line (the file is empty)");
        assertInput("nochannel.csv", "timestamp,sensor\n1,s\n", ":1: the header names no channel after "
                + "timestamp,sensor");
        assertInput("notime.csv", "\ntime,sensor,x\n1,s,2\n", ":2: the header of a CSV file with a sensor "
                + "column must start with timestamp,sensor; found time,sensor,x");
        assertInput("onecolumn.csv", "date\n2016-07-01\n", ":1: the header of a wide CSV file needs a "
                + "time column and at least one channel; found date");
        ReplayException missing = assertThrows(ReplayException.class,
                () -> ReadingSources.open(dir.resolve("missing.csv"), false, null));
        assertEquals(dir.resolve("missing.csv") + ": no such file", missing.getMessage());
        assertEquals(2, missing.exitCode());
        ReplayException directory = assertThrows(ReplayException.class, () -> ReadingSources.open(dir, false, null));
        assertEquals(dir + ": not a regular file", directory.getMessage());
    }

    @Test
    void sensorIdIsRefusedForFilesWithASensorColumn() throws Exception {
        Path file = write("long.csv", "timestamp,sensor,x\n1,s,2\n");
        ReplayException e = assertThrows(ReplayException.class, () -> ReadingSources.open(file, false, "pump"));
        assertEquals(file + ": --sensor-id applies to wide CSV files only; this file has a sensor column",
                e.getMessage());
    }

    /** Opening the file fails with FILE followed by {@code rest}. */
    private void assertInput(String name, String content, String rest) throws IOException {
        Path file = write(name, content);
        ReplayException e = assertThrows(ReplayException.class, () -> ReadingSources.open(file, false, null));
        assertEquals(file + rest, e.getMessage());
        assertEquals(ReplayException.Kind.INPUT, e.kind());
    }

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    static List<SourceRow> readAll(Path file) throws Exception {
        return readAll(file, false, null);
    }

    static List<SourceRow> readAll(Path file, boolean wide, String sensorId) throws Exception {
        List<SourceRow> rows = new ArrayList<>();
        try (ReadingSource source = ReadingSources.open(file, wide, sensorId)) {
            for (SourceRow row = source.next(); row != null; row = source.next()) {
                assertEquals(file, row.file());
                rows.add(row);
            }
        }
        return rows;
    }

    /** A CSV reading: its fields, and the header's channel names as its one tag. */
    static void assertReading(SourceRow row, long line, String sensor, long eventTime, double... values) {
        SourceRow.Reading r = assertReadingValues(row, line, sensor, eventTime, values);
        assertEquals(java.util.Set.of("channels"), r.tags().keySet(), "the header's channel names, as one tag");
        assertEquals(values.length, r.tags().get("channels").split(",").length);
    }

    /** A reading's line, sensor, event time and values. */
    static SourceRow.Reading assertReadingValues(SourceRow row, long line, String sensor, long eventTime,
                                                 double... values) {
        SourceRow.Reading r = assertInstanceOf(SourceRow.Reading.class, row, () -> "line " + line + ": " + row);
        assertEquals(line, r.line(), "line");
        assertEquals(sensor, r.sensor(), "sensor");
        assertEquals(eventTime, r.eventTime(), "event time");
        assertArrayEquals(values, r.values(), "values");
        return r;
    }

    static void assertBad(SourceRow row, Path file, long line, String reason) {
        SourceRow.Bad bad = assertInstanceOf(SourceRow.Bad.class, row, () -> "line " + line + ": " + row);
        assertEquals(line, bad.line(), "line");
        assertEquals(reason, bad.reason());
        assertEquals(file + ":" + line + ": " + reason, bad.toString());
    }
}
