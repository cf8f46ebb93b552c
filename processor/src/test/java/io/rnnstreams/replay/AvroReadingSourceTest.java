package io.rnnstreams.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvroReadingSourceTest {
    @TempDir
    Path dir;

    @Test
    void roundTripThroughTheWriter() throws Exception {
        Path file = dir.resolve("readings.avro");
        try (ReplayAvro.Writer w = new ReplayAvro.Writer(file)) {
            w.write("pump-1", 1_000, 1.5, -2.25);
            w.write("pump-2", 2_000, new double[] {Double.NaN, Double.POSITIVE_INFINITY}, Map.of("unit", "bar"));
            w.write("pump-1", 3_000);
        }
        try (ReadingSource source = ReadingSources.open(file, false, null)) {
            assertInstanceOf(AvroReadingSource.class, source);
            assertEquals("Avro container file, schema io.rnnstreams.replay.ReplayReading", source.describe());
            assertEquals(List.of(), source.channels());
            SourceRow.Reading a = (SourceRow.Reading) source.next();
            assertEquals(1, a.line(), "record number");
            assertEquals("pump-1", a.sensor());
            assertEquals(1_000, a.eventTime());
            assertArrayEquals(new double[] {1.5, -2.25}, a.values());
            assertTrue(a.tags().isEmpty());
            SourceRow.Reading b = (SourceRow.Reading) source.next();
            assertEquals(2, b.line());
            assertArrayEquals(new double[] {Double.NaN, Double.POSITIVE_INFINITY}, b.values());
            assertEquals(Map.of("unit", "bar"), b.tags());
            SourceRow.Reading c = (SourceRow.Reading) source.next();
            assertEquals(3, c.line());
            assertEquals(0, c.values().length, "an empty vector is a reading (the processor dead-letters it)");
            assertNull(source.next());
            assertEquals(Files.size(file), source.bytesRead());

            // and into the topic's value: the single-object encoded SensorReading
            SensorReading decoded = SingleObjectCodec.of(SensorReading.class).decode(Replayer.encode(b));
            assertEquals(2_000, decoded.getEventTime().toEpochMilli());
            assertEquals(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY), decoded.getValues());
            assertEquals(Map.of("unit", "bar"), decoded.getTags());
        }
    }

    /** Another writer's schema: nullable fields, float items, an extra field, another name. */
    @Test
    void compatibleSchemasAndNullsAsBadRecords() throws Exception {
        Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Row\",\"namespace\":\"other\","
                + "\"fields\":[{\"name\":\"site\",\"type\":\"string\"},"
                + "{\"name\":\"sensor\",\"type\":[\"null\",\"string\"]},"
                + "{\"name\":\"eventTime\",\"type\":[\"null\",\"long\"]},"
                + "{\"name\":\"values\",\"type\":[\"null\",{\"type\":\"array\",\"items\":[\"null\",\"float\"]}]}]}");
        Path file = dir.resolve("other.data");
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            w.create(schema, file.toFile());
            w.append(record(schema, "s1", 10L, Arrays.asList(1.5f, 2f)));
            w.append(record(schema, null, 11L, List.of(1f)));
            w.append(record(schema, "s1", null, List.of(1f)));
            w.append(record(schema, "s1", 12L, null));
            w.append(record(schema, "s1", 13L, Arrays.asList(1f, null)));
            w.append(record(schema, "", 14L, List.of(1f)));
            w.append(record(schema, "s2", 15L, List.of(0.25f)));
        }
        List<SourceRow> rows = CsvReadingSourceTest.readAll(file);
        assertEquals(7, rows.size());
        assertTrue(CsvReadingSourceTest.assertReadingValues(rows.get(0), 1, "s1", 10, 1.5, 2).tags().isEmpty(), "no tags");
        CsvReadingSourceTest.assertBad(rows.get(1), file, 2, "null sensor id");
        CsvReadingSourceTest.assertBad(rows.get(2), file, 3, "null eventTime");
        CsvReadingSourceTest.assertBad(rows.get(3), file, 4, "null values");
        CsvReadingSourceTest.assertBad(rows.get(4), file, 5, "null in values at index 1");
        CsvReadingSourceTest.assertBad(rows.get(5), file, 6, "empty sensor id");
        assertTrue(CsvReadingSourceTest.assertReadingValues(rows.get(6), 7, "s2", 15, 0.25).tags().isEmpty(), "no tags");
    }

    private static GenericRecord record(Schema schema, String sensor, Long time, List<Float> values) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("site", "x");
        r.put("sensor", sensor);
        r.put("eventTime", time);
        r.put("values", values);
        return r;
    }

    @Test
    void aSchemaWithoutTheFieldsIsRefusedWhenOpened() throws Exception {
        assertLayoutError("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"sensor\",\"type\":\"string\"},"
                + "{\"name\":\"values\",\"type\":{\"type\":\"array\",\"items\":\"double\"}}]}",
                "the record R has no field eventTime");
        assertLayoutError("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"sensor\",\"type\":\"string\"},"
                + "{\"name\":\"eventTime\",\"type\":\"string\"},"
                + "{\"name\":\"values\",\"type\":{\"type\":\"array\",\"items\":\"double\"}}]}",
                "field eventTime has type \"string\", expected long");
        assertLayoutError("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"sensor\",\"type\":\"string\"},"
                + "{\"name\":\"eventTime\",\"type\":\"long\"},"
                + "{\"name\":\"values\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}",
                "field values must be an array of double, found an array of STRING");
        assertLayoutError("\"long\"", "the file's schema is a LONG, not a record");
    }

    private void assertLayoutError(String schemaJson, String problem) throws IOException {
        Schema schema = new Schema.Parser().parse(schemaJson);
        Path file = dir.resolve("bad-" + Math.abs(schemaJson.hashCode()) + ".avro");
        try (DataFileWriter<Object> w = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
            w.create(schema, file.toFile());
        }
        ReplayException e = assertThrows(ReplayException.class, () -> ReadingSources.open(file, false, null));
        assertEquals(file + ": " + problem + "; an Avro file for replay holds records with fields sensor (string), "
                + "eventTime (long, timestamp-millis), values (array of double) and optionally tags (map of string)",
                e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void sensorIdIsRefusedForAvroFiles() throws Exception {
        Path file = dir.resolve("r.avro");
        try (ReplayAvro.Writer w = new ReplayAvro.Writer(file)) {
            w.write("a", 1, 1);
        }
        ReplayException e = assertThrows(ReplayException.class, () -> ReadingSources.open(file, false, "x"));
        assertEquals(file + ": --sensor-id applies to wide CSV files only; this Avro file has a sensor field",
                e.getMessage());
    }

    private Path bigFile() throws IOException {
        Path file = dir.resolve("big.avro");
        try (ReplayAvro.Writer w = new ReplayAvro.Writer(file)) {
            for (int i = 0; i < 50_000; i++) {
                w.write("s" + i % 7, i, Math.sin(i), Math.cos(i * 1.7), i);
            }
        }
        return file;
    }

    /** Avro's own reader stops silently at a block cut short; replay reports it. */
    @Test
    void aTruncatedFileEndsWithABadRow() throws Exception {
        byte[] bytes = Files.readAllBytes(bigFile());
        for (int cut : new int[] {1, 16, 100, 5_000}) {
            Path truncated = Files.write(dir.resolve("truncated.avro"), Arrays.copyOf(bytes, bytes.length - cut));
            List<SourceRow> rows = CsvReadingSourceTest.readAll(truncated);
            SourceRow.Bad bad = assertInstanceOf(SourceRow.Bad.class, rows.get(rows.size() - 1), "cut " + cut);
            assertEquals(rows.size(), bad.line(), "numbered after the last record read");
            assertTrue(bad.reason().startsWith("the file ends inside a data block (truncated?): the "), bad.reason());
            assertTrue(bad.reason().endsWith(" hold no complete block, and the records in them are lost"),
                    bad.reason());
            assertTrue(rows.size() < 50_000, "the last block is lost");
            for (int i = 0; i < rows.size() - 1; i++) {
                assertEquals(i + 1, rows.get(i).line());
                assertInstanceOf(SourceRow.Reading.class, rows.get(i));
            }
        }
    }

    @Test
    void corruptDataEndsTheFileWithABadRow() throws Exception {
        byte[] bytes = Files.readAllBytes(bigFile());
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        Path corrupt = Files.write(dir.resolve("corrupt.avro"), bytes);
        List<SourceRow> rows = CsvReadingSourceTest.readAll(corrupt);
        SourceRow.Bad bad = assertInstanceOf(SourceRow.Bad.class, rows.get(rows.size() - 1));
        assertTrue(bad.reason().startsWith("corrupt Avro data ("), bad.reason());
        assertTrue(bad.reason().endsWith("); the rest of the file is skipped"), bad.reason());
        assertTrue(rows.size() < 50_000);
    }

    @Test
    void aCompleteFileHasNoTruncationReport() throws Exception {
        List<SourceRow> rows = CsvReadingSourceTest.readAll(bigFile());
        assertEquals(50_000, rows.size());
        assertTrue(rows.stream().allMatch(r -> r instanceof SourceRow.Reading));
        Path empty = dir.resolve("empty.avro");
        new ReplayAvro.Writer(empty).close();
        assertEquals(List.of(), CsvReadingSourceTest.readAll(empty), "a header and no records");
    }
}
