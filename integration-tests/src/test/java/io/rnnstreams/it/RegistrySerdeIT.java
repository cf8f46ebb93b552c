package io.rnnstreams.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.it.broker.RegistryServer;
import io.rnnstreams.stream.registry.RegistryFraming;
import io.rnnstreams.stream.registry.RegistrySerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The registry serdes against a real Apicurio Registry server (no broker): what they register is what a
 * Confluent client finds under the Confluent-compatible API, and a schema evolved through that API (a new
 * optional field, checked by the registry's BACKWARD rule) reads as the current class.
 *
 * <p>Bounded, so that CI cannot hang here (it did once at 751bcf8, in a registry call without a time-out): each
 * test 3 min (about 10 s when green, server start included), the server's start 20 min (the install script's
 * 15 min and the 180 s readiness wait are its own bounds), both in a separate thread, so that even a thread
 * stuck in an uninterruptible read fails the test instead of holding the run; the serdes' requests are bounded
 * by {@code rnn.registry.timeout} (10 s by default).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
class RegistrySerdeIT {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static RegistryServer server;

    @BeforeAll
    @Timeout(value = 20, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    static void startServer() {
        server = RegistryServer.shared().orElse(null);
    }

    private static RegistryServer server() {
        assumeTrue(server != null, "no JDK >= 21 for the registry server (see the RegistryServer line above)");
        return server;
    }

    @Test
    void whatTheSerdeWritesIsTheSchemaAConfluentClientFindsById() {
        RegistryServer registry = server();
        Prediction prediction = Prediction.newBuilder().setEventTime(Instant.ofEpochMilli(1_750_000_000_000L))
                .setForecast(List.of(1.25, -3.5)).setAnomalyScore(0.25).setReadingsLearned(7)
                .setModelFingerprint("fp").build();
        try (RegistrySerde<Prediction> serde = RegistrySerde.of(Prediction.class, registry.endpoint())) {
            byte[] first = serde.encode("serde-it-predictions", prediction);
            byte[] second = serde.encode("serde-it-predictions", prediction);

            int id = RegistryFraming.schemaId(first);
            assertArrayEquals(first, second, "the schema is registered once, the same id written every time");
            assertEquals(prediction, serde.decode("serde-it-predictions", first));
            HttpResponse<String> subjects = registry.confluentGet("/subjects");
            assertTrue(subjects.body().contains("\"serde-it-predictions-value\""), subjects.body());
            HttpResponse<String> byId = registry.confluentGet("/schemas/ids/" + id);
            assertEquals(200, byId.statusCode(), byId.body());
            assertEquals(Prediction.getClassSchema(), new Schema.Parser().parse(schemaOf(byId.body())));
        }
    }

    @Test
    void aNewOptionalFieldPassesTheRegistrysCheckAndReadsAsTheCurrentClass() throws IOException {
        RegistryServer registry = server();
        String subject = "serde-it-sensors-value";
        assertEquals(200, registry.confluentSend("PUT", "/config/" + subject, "{\"compatibility\":\"BACKWARD\"}")
                .statusCode());
        int v1 = register(registry, subject, SensorReading.getClassSchema());
        Schema v2 = evolved(SensorReading.getClassSchema(), "{\"name\":\"site\",\"type\":[\"null\",\"string\"],"
                + "\"default\":null}");
        int v2Id = register(registry, subject, v2);
        Schema required = evolved(SensorReading.getClassSchema(), "{\"name\":\"site\",\"type\":\"string\"}");
        HttpResponse<String> refused = registry.confluentSend("POST", "/subjects/" + subject + "/versions",
                schemaRequest(required));

        assertNotEquals(v1, v2Id);
        assertEquals(409, refused.statusCode(), "a new field without a default breaks BACKWARD: " + refused.body());
        GenericRecord written = new GenericData.Record(v2);
        written.put("eventTime", 1_750_000_000_000L);
        written.put("values", List.of(0.5, 1.5));
        written.put("tags", Map.of("unit", "bar"));
        written.put("site", "pump 4");
        try (RegistrySerde<SensorReading> serde = RegistrySerde.of(SensorReading.class, registry.endpoint())) {
            SensorReading read = serde.decode("serde-it-sensors", frame(v2Id, v2, written));

            assertEquals(SensorReading.newBuilder().setEventTime(Instant.ofEpochMilli(1_750_000_000_000L))
                    .setValues(List.of(0.5, 1.5)).setTags(Map.of("unit", "bar")).build(), read);
            UndecodableRecordException unknown = assertThrows(
                    UndecodableRecordException.class,
                    () -> serde.decode("serde-it-sensors", frame(9_999, v2, written)));
            assertEquals(UndecodableRecordException.Reason.UNKNOWN_SCHEMA, unknown.reason());
            // ids no registry gives (the id's high bit set, 0): a dead letter too, never an outage (branch rev20)
            for (int id : new int[] {-1, Integer.MIN_VALUE, 0}) {
                String outcome;
                try {
                    serde.decode("serde-it-sensors", frame(id, v2, written));
                    outcome = "decoded";
                } catch (UndecodableRecordException e) {
                    outcome = e.reason().name();
                } catch (RuntimeException e) {
                    outcome = e.toString();
                }
                assertEquals("UNKNOWN_SCHEMA", outcome, "schema id " + id);
            }
        }
    }

    /** Registers {@code schema} under {@code subject} as a Confluent client does; its schema id. */
    static int register(RegistryServer registry, String subject, Schema schema) {
        HttpResponse<String> response = registry.confluentSend("POST", "/subjects/" + subject + "/versions",
                schemaRequest(schema));
        assertEquals(200, response.statusCode(), response.body());
        Matcher m = ID.matcher(response.body());
        assertTrue(m.find(), response.body());
        return Integer.parseInt(m.group(1));
    }

    /** {@code base} with one more field (JSON) at the end. */
    static Schema evolved(Schema base, String fieldJson) {
        String json = base.toString();
        return new Schema.Parser().parse(json.substring(0, json.lastIndexOf(']')) + "," + fieldJson
                + json.substring(json.lastIndexOf(']')));
    }

    /** The registry wire format written by hand, as any Confluent-framing producer writes it. */
    static byte[] frame(int schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8),
                (byte) schemaId});
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static String schemaRequest(Schema schema) {
        return "{\"schema\":" + quote(schema.toString()) + "}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The "schema" string of a Confluent {@code /schemas/ids/N} answer, unescaped. */
    private static String schemaOf(String body) {
        String key = "\"schema\":\"";
        int start = body.indexOf(key) + key.length();
        StringBuilder s = new StringBuilder();
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                s.append(body.charAt(++i));
            } else if (c == '"') {
                break;
            } else {
                s.append(c);
            }
        }
        return s.toString();
    }
}
