package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PackedHalvesTest {
    @Test
    void roundTripsEveryBitPatternLittleEndian() {
        short[] values = new short[0x10000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (short) i;
        }
        ByteBuffer packed = PackedHalves.wrap(values);
        assertEquals(2 * values.length, packed.remaining());
        assertEquals((byte) 0x00, packed.get(2 * 0x3c00), "1.0 = 0x3c00, little-endian: 00 3c");
        assertEquals((byte) 0x3c, packed.get(2 * 0x3c00 + 1));
        assertArrayEquals(values, PackedHalves.unpack(packed));
        assertEquals(0, packed.position(), "the buffer is not moved");
    }

    @Test
    void readsFromThePositionAndRefusesAPartialHalf() {
        ByteBuffer packed = PackedHalves.wrap(new short[] {1, -2, 3});
        packed.position(2);
        assertArrayEquals(new short[] {-2, 3}, PackedHalves.unpack(packed));
        assertThrows(IllegalArgumentException.class, () -> PackedHalves.unpack(ByteBuffer.wrap(new byte[3])));
    }
}
