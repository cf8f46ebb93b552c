package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PackedFloatsTest {
    @Test
    void roundTripsEveryBitPatternLittleEndian() {
        float[] values = {1.0f, -0.0f, Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, 3.1415927f};
        ByteBuffer packed = PackedFloats.wrap(values);
        assertEquals(4 * values.length, packed.remaining());
        assertEquals(0x00, packed.get(0));
        assertEquals((byte) 0x80, packed.get(2), "1.0f = 0x3f800000, little-endian: 00 00 80 3f");
        assertEquals(0x3f, packed.get(3));
        float[] back = PackedFloats.unpack(packed);
        assertEquals(values.length, back.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(back[i]), "value " + i);
        }
        assertEquals(0, packed.position(), "the buffer is not moved");
    }

    @Test
    void readsFromThePositionAndRefusesAPartialFloat() {
        ByteBuffer packed = PackedFloats.wrap(new float[] {1f, 2f, 3f});
        packed.position(4);
        assertArrayEquals(new float[] {2f, 3f}, PackedFloats.unpack(packed));
        assertThrows(IllegalArgumentException.class, () -> PackedFloats.unpack(ByteBuffer.wrap(new byte[5])));
    }
}
