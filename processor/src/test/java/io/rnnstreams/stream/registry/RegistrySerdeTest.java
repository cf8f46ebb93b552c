package io.rnnstreams.stream.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.Prediction;
import io.rnnstreams.avro.SensorReading;
import io.rnnstreams.avro.SingleObjectCodec;
import io.rnnstreams.avro.UndecodableRecordException;
import io.rnnstreams.avro.UndecodableRecordException.Reason;
import io.rnnstreams.stream.RawReading;
import io.rnnstreams.stream.RegistryReadingDeserializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The wire format byte for byte, with a registry in a map ({@link StubSchemaResolver}). */
class RegistrySerdeTest {
    private static final String TOPIC = "sensors";
    private static final SensorReading READING = SensorReading.newBuilder()
            .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L)).setValues(List.of(1.5, -2.25, 1e-3))
            .setTags(Map.of("site", "north")).build();

    private final StubSchemaResolver registry = new StubSchemaResolver()
            .register(0x01020304L, SensorReading.getClassSchema())
            .register(7, Prediction.getClassSchema());
    private final RegistrySerde<SensorReading> serde = RegistrySerde.withResolver(SensorReading.class, registry);

    @Test
    void writesMagicByteThenTheBigEndianContentIdThenTheAvroBody() throws IOException {
        byte[] bytes = serde.serializer().serialize(TOPIC, READING);

        assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, Arrays.copyOf(bytes, 5));
        assertArrayEquals(avroBody(new SpecificDatumWriter<>(SensorReading.class), READING),
                Arrays.copyOfRange(bytes, 5, bytes.length));
        assertEquals(0x01020304, RegistryFraming.schemaId(bytes));
    }

    @Test
    void readsAFrameBuiltByHand() throws IOException {
        byte[] frame = frame(0x01020304, avroBody(new SpecificDatumWriter<>(SensorReading.class), READING));

        assertEquals(READING, serde.deserializer().deserialize(TOPIC, frame));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serde.serializer().serialize(TOPIC, null));
        assertNull(serde.deserializer().deserialize(TOPIC, null));
    }

    @Test
    void readsAWriterSchemaWithANewOptionalFieldAsTheCurrentClass() throws IOException {
        Schema evolved = SchemaBuilder.record("SensorReading").namespace("io.rnnstreams.avro").fields()
                .name("eventTime").type(SensorReading.getClassSchema().getField("eventTime").schema()).noDefault()
                .name("values").type().array().items().doubleType().noDefault()
                .name("tags").type().map().values().stringType().mapDefault(Map.of())
                .name("site").type().optional().stringType()
                .endRecord();
        registry.register(12, evolved);
        GenericRecord written = new GenericData.Record(evolved);
        written.put("eventTime", 1_700_000_000_123L);
        written.put("values", List.of(1.5, -2.25, 1e-3));
        written.put("tags", Map.of("site", "north"));
        written.put("site", "pump 4");

        SensorReading read = serde.decode(TOPIC, frame(12, avroBody(new GenericDatumWriter<>(evolved), written)));

        assertEquals(READING, read);
    }

    @Test
    void singleObjectBytesAreABadHeaderThatNamesTheirEncoding() {
        byte[] singleObject = SingleObjectCodec.of(SensorReading.class).encode(READING);

        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> serde.decode(TOPIC, singleObject));

        assertEquals(Reason.BAD_HEADER, e.reason());
        assertTrue(e.getMessage().contains("starts with 0xC3") && e.getMessage().contains("single-object"),
                e.getMessage());
    }

    @Test
    void shorterThanTheHeaderIsABadHeader() {
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> serde.decode(TOPIC, new byte[] {0, 0, 0, 1}));

        assertEquals(Reason.BAD_HEADER, e.reason());
        assertTrue(e.getMessage().contains("got only 4 bytes"), e.getMessage());
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchema() throws IOException {
        byte[] frame = frame(99, avroBody(new SpecificDatumWriter<>(SensorReading.class), READING));

        UndecodableRecordException e = assertThrows(UndecodableRecordException.class, () -> serde.decode(TOPIC, frame));

        assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("schema id 99 is not in the schema registry"), e.getMessage());
    }

    @Test
    void anIdOfAnotherRecordTypeIsRefusedByName() throws IOException {
        Prediction prediction = Prediction.newBuilder().setEventTime(Instant.ofEpochMilli(5)).setForecast(List.of(1.0))
                .setAnomalyScore(0.5).setReadingsLearned(3).setModelFingerprint("f").build();
        byte[] frame = frame(7, avroBody(new SpecificDatumWriter<>(Prediction.class), prediction));

        UndecodableRecordException e = assertThrows(UndecodableRecordException.class, () -> serde.decode(TOPIC, frame));

        assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("schema id 7: the writer schema is a io.rnnstreams.avro.Prediction, not a "
                + "io.rnnstreams.avro.SensorReading"), e.getMessage());
    }

    @Test
    void aCutBodyIsTruncated() throws IOException {
        byte[] body = avroBody(new SpecificDatumWriter<>(SensorReading.class), READING);
        byte[] frame = frame(0x01020304, Arrays.copyOf(body, body.length - 3));

        UndecodableRecordException e = assertThrows(UndecodableRecordException.class, () -> serde.decode(TOPIC, frame));

        assertEquals(Reason.TRUNCATED, e.reason());
    }

    @Test
    void aRegistryThatCannotBeReachedIsNotTheRecordsFault() throws IOException {
        byte[] frame = frame(0x01020304, avroBody(new SpecificDatumWriter<>(SensorReading.class), READING));
        registry.failWith(() -> new RuntimeException(new ConnectException("Connection refused")));

        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                () -> serde.decode(TOPIC, frame));
        assertTrue(e.getMessage().contains("could not fetch schema id 16909060"), e.getMessage());
        assertThrows(RegistryUnavailableException.class,
                () -> new RegistryReadingDeserializer(serde).deserialize(TOPIC, frame));
    }

    @Test
    void theReadingDeserializerKeepsTheBytesAndTheReasonOfAnUndecodableValue() throws IOException {
        RegistryReadingDeserializer deserializer = new RegistryReadingDeserializer(serde);
        byte[] good = frame(0x01020304, avroBody(new SpecificDatumWriter<>(SensorReading.class), READING));
        byte[] bad = {0, 0, 0, 0, 99, 2, 4};

        RawReading ok = deserializer.deserialize(TOPIC, good);
        RawReading dead = deserializer.deserialize(TOPIC, bad);

        assertEquals(READING, ok.reading());
        assertNull(ok.decodeError());
        assertNull(dead.reading());
        assertArrayEquals(bad, dead.bytes());
        assertTrue(dead.decodeError().startsWith("UNKNOWN_SCHEMA: schema id 99"), dead.decodeError());
        assertNull(deserializer.deserialize(TOPIC, null));
    }

    private static <R> byte[] avroBody(DatumWriter<R> writer, R record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] frame(int schemaId, byte[] body) {
        byte[] frame = new byte[5 + body.length];
        frame[0] = 0;
        frame[1] = (byte) (schemaId >>> 24);
        frame[2] = (byte) (schemaId >>> 16);
        frame[3] = (byte) (schemaId >>> 8);
        frame[4] = (byte) schemaId;
        System.arraycopy(body, 0, frame, 5, body.length);
        return frame;
    }
}
