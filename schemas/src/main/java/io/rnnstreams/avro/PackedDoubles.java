package io.rnnstreams.avro;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs {@code double[]} into Avro {@code bytes} fields and back: 8 bytes per value, little-endian,
 * in array order. The exact bit pattern of every value is kept ({@link Double#doubleToRawLongBits}),
 * so {@code -0.0}, infinities and NaNs with any payload round-trip bit for bit.
 *
 * <p>The {@link ByteBuffer} methods read the bytes between the buffer's position and limit, work on
 * heap, direct and read-only buffers, and never change the buffer's position, limit or byte order.
 * All methods are stateless and thread-safe.
 */
public final class PackedDoubles {
    private static final VarHandle LONG_LE_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedDoubles() {
    }

    /** Returns a new array of {@code 8 * values.length} bytes holding {@code values} little-endian. */
    public static byte[] pack(double[] values) {
        byte[] bytes = new byte[Math.multiplyExact(values.length, Double.BYTES)];
        for (int i = 0; i < values.length; i++) {
            LONG_LE_ARRAY.set(bytes, i * Double.BYTES, Double.doubleToRawLongBits(values[i]));
        }
        return bytes;
    }

    /**
     * Returns {@link #pack}{@code (values)} wrapped in a heap buffer with position 0 and limit
     * {@code 8 * values.length}, ready to be set on a {@code bytes} field of a generated record.
     */
    public static ByteBuffer wrap(double[] values) {
        return ByteBuffer.wrap(pack(values));
    }

    /**
     * Returns the doubles packed in the buffer's remaining bytes.
     *
     * @throws IllegalArgumentException if the number of remaining bytes is not a multiple of 8
     */
    public static double[] unpack(ByteBuffer packed) {
        int bytes = packed.remaining();
        if (bytes % Double.BYTES != 0) {
            throw new IllegalArgumentException("packed doubles must be a multiple of 8 bytes long, got "
                    + bytes + " bytes");
        }
        double[] values = new double[bytes / Double.BYTES];
        read(packed, values);
        return values;
    }

    /**
     * Unpacks the buffer's remaining bytes into {@code dst}, overwriting all of it; allocates nothing.
     *
     * @throws IllegalArgumentException if the buffer does not hold exactly {@code 8 * dst.length}
     *                                  remaining bytes ({@code dst} is then left unchanged)
     */
    public static void unpackInto(ByteBuffer packed, double[] dst) {
        long expected = (long) dst.length * Double.BYTES;
        if (packed.remaining() != expected) {
            throw new IllegalArgumentException("expected " + expected + " bytes for " + dst.length
                    + " packed doubles, got " + packed.remaining() + " bytes");
        }
        read(packed, dst);
    }

    private static void read(ByteBuffer packed, double[] dst) {
        int base = packed.position();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = Double.longBitsToDouble((long) LONG_LE_BUFFER.get(packed, base + i * Double.BYTES));
        }
    }
}
