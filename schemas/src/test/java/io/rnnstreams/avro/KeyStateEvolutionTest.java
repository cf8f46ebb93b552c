package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rnnstreams.avro.UndecodableRecordException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.HexFormat;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * State written by an older release still decodes. {@code evolution/KeyState-v0.bin} is a single-object
 * message written once, with Avro's generic API and {@code evolution/KeyState-v0.avsc} (KeyState
 * before {@code errorStats} and {@code modelVersion} existed), and committed as bytes. Its values:
 * stateVersion 0, lastEventTime 1700000000123, hiddenState {0.5, -0.25, -0.0, 1e-300}, anchor
 * {0.125, -1.5, 0.0, 2.0}, windowInputs {0.1, -0.2, 0.3, -0.4, 0.5, -0.6}, windowTargets {-0.2, 0.3,
 * -0.4, 0.5, -0.6, 0.7}, windowCount 3, windowHead 1, pushesSinceUpdate 2, normaliserCount 42,
 * normaliserMean {20.5, -3.25}, normaliserM2 {101.0, 7.5}, lastInput {0.3, -0.4}, hasLastInput true,
 * lastForecast {21.0, -3.0}, readings 42.
 */
class KeyStateEvolutionTest {
    private static Schema v0;
    private static byte[] v0Message;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream schema = resource("evolution/KeyState-v0.avsc");
             InputStream message = resource("evolution/KeyState-v0.bin")) {
            v0 = new Schema.Parser().parse(schema);
            v0Message = message.readAllBytes();
        }
    }

    private static InputStream resource(String name) {
        InputStream in = KeyStateEvolutionTest.class.getClassLoader().getResourceAsStream(name);
        assertTrue(in != null, "missing test resource " + name);
        return in;
    }

    @Test
    void theOldMessageNamesTheOldSchema() {
        assertEquals(255, v0Message.length);
        assertEquals("c301", HexFormat.of().formatHex(v0Message, 0, 2));
        long fingerprint = ByteBuffer.wrap(v0Message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SingleObjectCodec.fingerprint(v0), fingerprint);
        assertNotEquals(SingleObjectCodec.fingerprint(KeyState.getClassSchema()), fingerprint);
    }

    @Test
    void withoutTheOldSchemaRegisteredTheMessageIsUndecodable() {
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> SingleObjectCodec.of(KeyState.class).decode(v0Message));
        assertEquals(Reason.UNKNOWN_SCHEMA, e.reason());
    }

    @Test
    void theCodecDecodesTheOldMessageOnceTheOldSchemaIsRegistered() {
        KeyState state = SingleObjectCodec.of(KeyState.class).addWriterSchema(v0).decode(v0Message);
        assertV0Values(state);
    }

    @Test
    void avroResolutionReadsTheOldBodyWithTheCurrentSchema() throws IOException {
        // the same resolution without the codec's decoding: the v0 body, v0 as writer schema, current
        // as reader. Creating a codec is what tells Avro 1.12 to trust (instantiate) KeyState.
        SingleObjectCodec.of(KeyState.class);
        SpecificDatumReader<KeyState> reader = new SpecificDatumReader<>(v0, KeyState.getClassSchema());
        KeyState state = reader.read(null,
                DecoderFactory.get().binaryDecoder(v0Message, 10, v0Message.length - 10, null));
        assertV0Values(state);
    }

    private static void assertV0Values(KeyState state) {
        assertEquals(0, state.getStateVersion());
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), state.getLastEventTime());
        // raw bytes of one field, independently of PackedDoubles: 0.5, -0.25, -0.0, 1e-300 little-endian
        assertEquals("000000000000e03f" + "000000000000d0bf" + "0000000000000080" + "59f3f8c21f6ea501",
                hex(state.getHiddenState()));
        assertArrayEquals(new double[] {0.5, -0.25, -0.0, 1.0e-300}, PackedDoubles.unpack(state.getHiddenState()));
        assertArrayEquals(new double[] {0.125, -1.5, 0.0, 2.0}, PackedDoubles.unpack(state.getAnchor()));
        assertArrayEquals(new double[] {0.1, -0.2, 0.3, -0.4, 0.5, -0.6}, PackedDoubles.unpack(state.getWindowInputs()));
        assertArrayEquals(new double[] {-0.2, 0.3, -0.4, 0.5, -0.6, 0.7}, PackedDoubles.unpack(state.getWindowTargets()));
        assertEquals(3, state.getWindowCount());
        assertEquals(1, state.getWindowHead());
        assertEquals(2, state.getPushesSinceUpdate());
        assertEquals(42L, state.getNormaliserCount());
        assertArrayEquals(new double[] {20.5, -3.25}, PackedDoubles.unpack(state.getNormaliserMean()));
        assertArrayEquals(new double[] {101.0, 7.5}, PackedDoubles.unpack(state.getNormaliserM2()));
        assertArrayEquals(new double[] {0.3, -0.4}, PackedDoubles.unpack(state.getLastInput()));
        assertEquals(true, state.getHasLastInput());
        assertArrayEquals(new double[] {21.0, -3.0}, PackedDoubles.unpack(state.getLastForecast()));
        assertEquals(42L, state.getReadings());
        // fields added in version 1 take their defaults
        assertEquals(0, state.getErrorStats().remaining());
        assertEquals(0L, state.getModelVersion());
        // fields added later (the HTTP API's summary) take theirs
        assertEquals(0.0, state.getAnomalyScore());
        assertEquals(0L, state.getErrorCount());
        assertEquals(0, state.getErrorAbsSum().remaining());
        assertEquals(0, state.getErrorSquaredSum().remaining());
    }

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
