package io.rnnstreams.avro;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;

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
    private PackedDoubles() {
    }

    /** Returns a new array of {@code 8 * values.length} bytes holding {@code values} little-endian. */
    public static byte[] pack(double[] values) {
        return pack(DoubleBuffer.wrap(values));
    }

    /**
     * Returns a new array holding the buffer's remaining values little-endian (8 bytes each); the buffer's position
     * is not changed. Lets an owner pack a read-only view of its numbers without copying them first.
     */
    public static byte[] pack(DoubleBuffer values) {
        byte[] bytes = new byte[Math.multiplyExact(values.remaining(), Double.BYTES)];
        // one bulk copy of the raw bits (no NaN is canonicalised), not a call per number
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values.duplicate());
        return bytes;
    }

    /** {@link #pack(DoubleBuffer)} wrapped in a heap buffer with position 0, for a {@code bytes} field. */
    public static ByteBuffer wrap(DoubleBuffer values) {
        return ByteBuffer.wrap(pack(values));
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
        // a view of the remaining bytes (the buffer's own position, limit and order untouched), copied in bulk
        packed.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(dst);
    }
}
