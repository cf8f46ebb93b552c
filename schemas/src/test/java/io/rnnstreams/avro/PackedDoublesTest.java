package io.rnnstreams.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PackedDoublesTest {
    /** Special values, including NaNs with non-canonical payloads (a quiet one, a signalling one, a negative one). */
    private static final long[] SPECIAL_BITS = {
        Double.doubleToRawLongBits(0.0),
        Double.doubleToRawLongBits(-0.0),
        Double.doubleToRawLongBits(Double.MIN_VALUE),
        Double.doubleToRawLongBits(-Double.MIN_NORMAL),
        Double.doubleToRawLongBits(Double.MAX_VALUE),
        Double.doubleToRawLongBits(Double.POSITIVE_INFINITY),
        Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
        0x7FF8000000000000L, // canonical NaN
        0x7FF8000000000123L, // quiet NaN with payload
        0xFFF800000000BEEFL, // negative quiet NaN with payload
        0x7FF0000000000001L, // signalling NaN
        Double.doubleToRawLongBits(Math.PI),
    };

    private static double[] specials() {
        double[] values = new double[SPECIAL_BITS.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(SPECIAL_BITS[i]);
        }
        return values;
    }

    private static long[] bits(double[] values) {
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    @Test
    void packIsLittleEndianIeee754() {
        assertEquals("000000000000f03f" + "0000000000000080" + "182d4454fb210940",
                HexFormat.of().formatHex(PackedDoubles.pack(new double[] {1.0, -0.0, Math.PI})));
        assertEquals(0, PackedDoubles.pack(new double[0]).length);
    }

    @Test
    void aReadOnlyViewPacksAsItsArrayDoesAndKeepsItsPosition() {
        double[] values = specials();
        java.nio.DoubleBuffer view = java.nio.DoubleBuffer.wrap(values).asReadOnlyBuffer();
        view.position(1);
        byte[] packed = PackedDoubles.pack(view);
        assertEquals(1, view.position());
        assertArrayEquals(java.util.Arrays.copyOfRange(PackedDoubles.pack(values), 8, 8 * values.length), packed);
        assertArrayEquals(PackedDoubles.pack(values), PackedDoubles.wrap(java.nio.DoubleBuffer.wrap(values)).array());
    }

    @Test
    void specialValuesRoundTripBitExactly() {
        double[] values = specials();
        byte[] packed = PackedDoubles.pack(values);
        assertEquals(8 * values.length, packed.length);
        ByteBuffer expected = ByteBuffer.wrap(packed).order(ByteOrder.LITTLE_ENDIAN);
        for (long b : SPECIAL_BITS) {
            assertEquals(b, expected.getLong(), "packed bits");
        }

        assertArrayEquals(SPECIAL_BITS, bits(PackedDoubles.unpack(ByteBuffer.wrap(packed))));
        assertArrayEquals(SPECIAL_BITS, bits(PackedDoubles.unpack(PackedDoubles.wrap(values))));

        double[] dst = new double[values.length];
        PackedDoubles.unpackInto(ByteBuffer.wrap(packed), dst);
        assertArrayEquals(SPECIAL_BITS, bits(dst));
    }

    @Test
    void wrapIsAWholeFreshHeapBuffer() {
        ByteBuffer wrapped = PackedDoubles.wrap(new double[] {1.0, 2.0});
        assertEquals(0, wrapped.position());
        assertEquals(16, wrapped.limit());
        assertEquals(16, wrapped.capacity());
        assertArrayEquals(PackedDoubles.pack(new double[] {1.0, 2.0}), wrapped.array());
    }

    @Test
    void readsBetweenPositionAndLimitOfAnyBufferWithoutMovingIt() {
        double[] values = specials();
        byte[] packed = PackedDoubles.pack(values);
        // padding before and after, big-endian order set on the buffer, direct and read-only variants
        ByteBuffer heap = ByteBuffer.allocate(packed.length + 5).order(ByteOrder.BIG_ENDIAN);
        heap.position(3);
        heap.put(packed).position(3).limit(3 + packed.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(packed.length + 5);
        direct.position(3);
        direct.put(packed).position(3).limit(3 + packed.length);
        for (ByteBuffer buffer : new ByteBuffer[] {heap, direct, heap.asReadOnlyBuffer(), direct.slice()}) {
            int position = buffer.position();
            int limit = buffer.limit();
            ByteOrder order = buffer.order();
            assertArrayEquals(SPECIAL_BITS, bits(PackedDoubles.unpack(buffer)));
            double[] dst = new double[values.length];
            PackedDoubles.unpackInto(buffer, dst);
            assertArrayEquals(SPECIAL_BITS, bits(dst));
            assertEquals(position, buffer.position());
            assertEquals(limit, buffer.limit());
            assertEquals(order, buffer.order());
        }
    }

    @Test
    void emptyBufferIsEmptyArray() {
        assertEquals(0, PackedDoubles.unpack(ByteBuffer.allocate(0)).length);
        PackedDoubles.unpackInto(ByteBuffer.allocate(0), new double[0]);
    }

    @Test
    void lengthNotAMultipleOfEightIsRejected() {
        for (int length : new int[] {1, 7, 9, 15, 17}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PackedDoubles.unpack(ByteBuffer.allocate(length)));
            assertEquals("packed doubles must be a multiple of 8 bytes long, got " + length + " bytes",
                    e.getMessage());
        }
    }

    @Test
    void unpackIntoRejectsALengthMismatchAndLeavesTheTargetAlone() {
        double[] dst = {7.0, 7.0, 7.0};
        ByteBuffer twoValues = PackedDoubles.wrap(new double[] {1.0, 2.0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackedDoubles.unpackInto(twoValues, dst));
        assertEquals("expected 24 bytes for 3 packed doubles, got 16 bytes", e.getMessage());
        assertArrayEquals(new double[] {7.0, 7.0, 7.0}, dst);

        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> PackedDoubles.unpackInto(ByteBuffer.allocate(23), dst));
        assertTrue(odd.getMessage().contains("got 23 bytes"), odd.getMessage());
    }
}
